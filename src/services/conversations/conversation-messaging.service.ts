/**
 * What agents do in a conversation (issue 6, "Threads" and "Outbound"):
 * send a message, mark it read, resolve it; and the subscription payloads.
 * Every write is scoped like a read (conversationScope): a conversation
 * outside it is NOT_FOUND.
 */
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { conversationScope, within } from '../../auth/scopes';
import { Channel, Conversation, Customer, Message, ReplyTemplate, User } from '../../entities';
import {
  ConversationStatus,
  MessageDirection,
  MessageSender,
  MessageStatus,
  Role,
  type Platform,
} from '../../entities/enums';
import type { ChatAttachment } from '../../integrations/chat-types';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS } from '../../kernel/topics';
import type {
  ConversationChangeAction,
  ConversationChangedEvent,
  MessageAddedEvent,
  OutboundDelivery,
} from './conversation-contracts';
import { assertId, badInput, notFound } from '../../kernel/errors';
import { assertSendable } from './messaging-rules';
import {
  bodyFor,
  missingVariables,
  renderTemplate,
  type TemplateValues,
} from './reply-template-text';
import type { RequestScope } from '../../kernel/request-scope';

export type MessagingDeps = { bus: EventBus; outbound: OutboundDelivery };

const MAX_ATTACHMENTS = 10;

/** The conversation, locked for this transaction, or NOT_FOUND outside the viewer's scope. */
async function lockInScope({ em, viewer }: RequestScope, id: string): Promise<Conversation> {
  const where = within(conversationScope(viewer), { id: assertId(id, 'conversationId') });
  const conversation = where
    ? await em.findOne(Conversation, where, { lockMode: LockMode.PESSIMISTIC_WRITE })
    : null;
  if (!conversation) throw notFound('Conversation', id);
  return conversation;
}

function publishChange(bus: EventBus, event: ConversationChangedEvent): void {
  bus.publish(TOPICS.conversationChanged, event);
}

/**
 * A canned reply: the template's wording for the channel's platform with its
 * variables filled; the customer's name defaults to the conversation's
 * customer. A template not offered here, or a variable left without a
 * value, is BAD_USER_INPUT.
 */
async function templateText(
  em: EntityManager,
  conversation: Conversation,
  platform: Platform,
  templateId: string,
  variables: TemplateValues | null | undefined,
): Promise<string> {
  const template = await em.findOne(ReplyTemplate, { id: assertId(templateId, 'templateId') });
  if (!template) throw notFound('ReplyTemplate', templateId);
  if (!template.active || (template.platform && template.platform !== platform)) {
    throw badInput(`templateId: the template is not offered on ${platform}`, 'templateId');
  }
  const body = bodyFor(template, platform);
  const customer = conversation.customer
    ? await em.findOne(Customer, conversation.customer.id)
    : null;
  const values: TemplateValues = {
    customerName: variables?.customerName ?? customer?.fullName,
    orderId: variables?.orderId,
  };
  const [missing] = missingVariables(body, values);
  if (missing) {
    throw badInput(
      `variables.${missing}: the template needs a value for {${missing}}`,
      `variables.${missing}`,
    );
  }
  return renderTemplate(body, values);
}

export const conversationMessaging = {
  /**
   * Stores a PENDING agent message and queues its delivery in the same
   * transaction. A customer-service agent answering an unassigned
   * conversation takes it (assigned to them). Platform rules are checked
   * first: a refusal stores nothing.
   */
  async send(
    scope: RequestScope,
    deps: MessagingDeps,
    input: {
      conversationId: string;
      text?: string | null;
      attachments?: ChatAttachment[] | null;
      /** A reply template instead of text, filled with `variables`. */
      templateId?: string | null;
      variables?: TemplateValues | null;
    },
    now = new Date(),
  ): Promise<Message> {
    const viewer = scope.viewer;
    if (viewer?.kind !== 'user') throw notFound('Conversation', input.conversationId);
    if (input.templateId != null && input.text)
      throw badInput('text: send either text or a templateId, not both', 'text');
    const attachments = (input.attachments ?? []).map((a) => ({
      type: a.type,
      ...(a.url ? { url: a.url } : {}),
      ...(a.name ? { name: a.name } : {}),
    }));
    if (attachments.length > MAX_ATTACHMENTS) {
      throw badInput(`attachments: at most ${MAX_ATTACHMENTS}`, 'attachments');
    }
    const events: ConversationChangedEvent[] = [];
    const message = await scope.em.transactional(async (tx) => {
      const conversation = await lockInScope({ em: tx, viewer }, input.conversationId);
      const channel = await tx.findOneOrFail(Channel, conversation.channel.id);
      const text =
        input.templateId == null
          ? (input.text ?? '')
          : await templateText(
              tx,
              conversation,
              channel.platform,
              input.templateId,
              input.variables,
            );
      assertSendable(channel.platform, conversation.lastInboundAt, text, attachments, now);
      if (viewer.role === Role.CUSTOMER_SERVICE && !conversation.assignee) {
        conversation.assignee = tx.getReference(User, viewer.id, { wrapped: true });
        conversation.status = ConversationStatus.ASSIGNED;
        events.push({
          conversationId: conversation.id,
          action: 'ASSIGNED',
          previousAssigneeId: null,
        });
      }
      const created = tx.create(Message, {
        conversation,
        channel,
        direction: MessageDirection.OUTBOUND,
        sender: MessageSender.AGENT,
        author: tx.getReference(User, viewer.id, { wrapped: true }),
        body: text,
        attachments,
        status: MessageStatus.PENDING,
        sentAt: now,
      });
      conversation.lastMessageAt = now;
      if (conversation.status === ConversationStatus.RESOLVED) {
        conversation.status = conversation.assignee
          ? ConversationStatus.ASSIGNED
          : ConversationStatus.OPEN;
        conversation.resolvedAt = undefined;
      }
      await tx.flush();
      // Same transaction: the job exists exactly when the message does.
      await deps.outbound.enqueue(tx, created.id);
      events.push({ conversationId: conversation.id, action: 'MESSAGE' });
      return created;
    });
    deps.bus.publish(TOPICS.messageAdded, {
      conversationId: message.conversation.id,
      messageId: message.id,
    } satisfies MessageAddedEvent);
    for (const event of events) publishChange(deps.bus, event);
    return message;
  },

  /** Unread back to 0. Viewing is not reading: the client says when. */
  async markRead(scope: RequestScope, bus: EventBus, id: string): Promise<Conversation> {
    return conversationMessaging.transition(scope, bus, id, 'READ', (conversation) => {
      if (conversation.unreadCount === 0) return false;
      conversation.unreadCount = 0;
      return true;
    });
  },

  async resolve(
    scope: RequestScope,
    bus: EventBus,
    id: string,
    now = new Date(),
  ): Promise<Conversation> {
    return conversationMessaging.transition(scope, bus, id, 'RESOLVED', (conversation) => {
      if (conversation.status === ConversationStatus.RESOLVED) return false;
      conversation.status = ConversationStatus.RESOLVED;
      conversation.resolvedAt = now;
      conversation.unreadCount = 0;
      return true;
    });
  },

  /** Locks, applies `change` (false: nothing changed, nothing published), publishes after commit. */
  async transition(
    scope: RequestScope,
    bus: EventBus,
    id: string,
    action: ConversationChangeAction,
    change: (conversation: Conversation) => boolean,
  ): Promise<Conversation> {
    let changed = false;
    const conversation = await scope.em.transactional(async (tx) => {
      const row = await lockInScope({ em: tx, viewer: scope.viewer }, id);
      changed = change(row);
      await tx.flush();
      return row;
    });
    if (changed) publishChange(bus, { conversationId: conversation.id, action });
    return conversation;
  },
};

/** The message an event announces, with its conversation for the scope check. */
export async function messageOfEvent(
  em: EntityManager,
  event: MessageAddedEvent,
): Promise<{ message: Message; conversation: Conversation } | null> {
  const message = await em.findOne(Message, { id: event.messageId });
  const conversation = message
    ? await em.findOne(Conversation, { id: event.conversationId })
    : null;
  return message && conversation ? { message, conversation } : null;
}

export type ConversationChangeRow = {
  action: ConversationChangeAction;
  conversation: Conversation;
  previousAssigneeId: string | null;
};

export async function conversationChangeOfEvent(
  em: EntityManager,
  event: ConversationChangedEvent,
): Promise<ConversationChangeRow | null> {
  const conversation = await em.findOne(Conversation, { id: event.conversationId });
  return conversation
    ? { action: event.action, conversation, previousAssigneeId: event.previousAssigneeId ?? null }
    : null;
}

export type ConversationChangeFilterInput = {
  channelIds?: string[] | null;
  statuses?: ConversationStatus[] | null;
  assigneeIds?: string[] | null;
  unassigned?: boolean | null;
};

/** The subscription filter, checked in memory against the conversation as it is now. */
export function matchesChangeFilter(
  filter: ConversationChangeFilterInput | undefined,
  conversation: Conversation,
): boolean {
  if (!filter) return true;
  if (filter.channelIds?.length && !filter.channelIds.includes(conversation.channel.id))
    return false;
  if (filter.statuses?.length && !filter.statuses.includes(conversation.status)) return false;
  const assignee = conversation.assignee?.id ?? null;
  const byAssignee = filter.assigneeIds?.length ? filter.assigneeIds : null;
  // assigneeIds and unassigned together mean "these people's or nobody's".
  if (byAssignee || filter.unassigned != null) {
    const mine = byAssignee !== null && assignee !== null && byAssignee.includes(assignee);
    const nobody = filter.unassigned === true && assignee === null;
    if (byAssignee && filter.unassigned === true) return mine || nobody;
    if (byAssignee) return mine && !(filter.unassigned === false && assignee === null);
    return filter.unassigned ? assignee === null : assignee !== null;
  }
  return true;
}
