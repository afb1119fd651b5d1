/**
 * Applies an inbound chat message (issue 6, "Inbound" and "Threads"): one
 * conversation per (channel, thread), its customer linked by the platform
 * user id, the message stored once, the counters moved, and, after the
 * commit, the events published and the bot told. Runs inside the inbox
 * apply transaction of inbound.service.ts, which marks the push applied.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { rawRows } from '../../db/raw-sql';
import {
  ConversationStatus,
  MessageDirection,
  MessageSender,
  MessageStatus,
} from '../../entities/enums';
import type { InboundChatMessage } from '../../integrations/chat-types';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS } from '../../kernel/topics';
import type {
  ConversationBot,
  ConversationChangeAction,
  ConversationChangedEvent,
  MessageAddedEvent,
} from './conversation-contracts';
import { linkCustomer } from '../customers/customer-linking';

/** What the inbox apply path needs: apply in its transaction, get the after-commit work back. */
export interface ChatApplier {
  applyMessage(tx: EntityManager, message: InboundChatMessage): Promise<() => void>;
}

export type ConversationInboxDeps = {
  bus: EventBus;
  logger: Logger;
  /** Told about each new buyer message of a conversation no person holds; absent: no bot. */
  bot?: ConversationBot;
};

type ConversationRow = {
  id: string;
  customer_id: string | null;
  status: ConversationStatus;
  inserted: boolean;
};

const nothing = () => undefined;

export function createConversationInbox(deps: ConversationInboxDeps): ChatApplier {
  return {
    async applyMessage(tx, message) {
      const [channel] = await rawRows<{ id: string; branch_id: string | null }>(
        tx,
        `select "id", "branch_id" from "channel" where "platform" = ? and "external_shop_id" = ?`,
        [message.platform, message.channelExternalId],
      );
      // Like an order push for an unknown shop: fail, and the retry applies it once connected.
      if (!channel) {
        throw new Error(
          `no connected ${message.platform} channel for ${message.channelExternalId}`,
        );
      }
      const now = new Date();
      // Race-safe: two first messages of one thread meet on the unique
      // (channel, thread); DO UPDATE also locks the row, so concurrent
      // messages of a thread queue here and counters never lose an update.
      const [conversation] = await rawRows<ConversationRow>(
        tx,
        `insert into "conversation" ("id", "channel_id", "external_thread_id", "external_user_id", "status", "unread_count", "created_at", "updated_at")
         values (?, ?, ?, ?, 'OPEN', 0, ?, ?)
         on conflict ("channel_id", "external_thread_id")
           do update set "external_user_id" = coalesce("conversation"."external_user_id", excluded."external_user_id")
         returning "id", "customer_id", "status", (xmax = 0) as "inserted"`,
        [randomUUID(), channel.id, message.threadId, message.senderUserId || null, now, now],
      );
      if (!conversation) throw new Error('the conversation upsert returned no row');
      // Dedup by the unique (channel, external message id), never by a lookup.
      const [stored] = await rawRows<{ id: string }>(
        tx,
        `insert into "message" ("id", "conversation_id", "channel_id", "external_message_id", "direction", "sender", "body", "status", "attachments", "attempts", "sent_at", "created_at")
         values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 0, ?, ?)
         on conflict ("channel_id", "external_message_id") do nothing
         returning "id"`,
        [
          randomUUID(),
          conversation.id,
          channel.id,
          message.externalMessageId,
          MessageDirection.INBOUND,
          MessageSender.CUSTOMER,
          message.text,
          MessageStatus.RECEIVED,
          JSON.stringify(message.attachments),
          message.sentAt,
          now,
        ],
      );
      if (!stored) return nothing;

      let customerId = conversation.customer_id;
      if (!customerId && message.senderUserId) {
        // The platform user id is the key (kind = platform); chat pushes carry no phone.
        const linked = await linkCustomer(
          tx,
          message.platform,
          { platformId: message.senderUserId, name: null, phone: null, email: null },
          channel.branch_id,
        );
        customerId = linked?.customerId ?? null;
      }
      const [updated] = await rawRows<{ status: ConversationStatus; assignee_id: string | null }>(
        tx,
        `update "conversation" set
           "customer_id" = coalesce("customer_id", ?),
           "last_message_at" = greatest("last_message_at", ?),
           "last_inbound_at" = greatest("last_inbound_at", ?),
           "unread_count" = "unread_count" + 1,
           "status" = case when "status" = 'RESOLVED' then 'OPEN'::conversation_status else "status" end,
           "resolved_at" = case when "status" = 'RESOLVED' then null else "resolved_at" end,
           "updated_at" = ?
         where "id" = ?
         returning "status", "assignee_id"`,
        [customerId, message.sentAt, message.sentAt, now, conversation.id],
      );
      const action: ConversationChangeAction = conversation.inserted
        ? 'CREATED'
        : conversation.status === ConversationStatus.RESOLVED
          ? 'REOPENED'
          : 'MESSAGE';
      const conversationId = conversation.id;
      const messageId = stored.id;
      // No person holds it: the bot may answer.
      const forBot =
        updated !== undefined &&
        updated.assignee_id === null &&
        (updated.status === ConversationStatus.OPEN ||
          updated.status === ConversationStatus.PENDING_BOT);
      return () => {
        deps.bus.publish(TOPICS.messageAdded, {
          conversationId,
          messageId,
        } satisfies MessageAddedEvent);
        deps.bus.publish(TOPICS.conversationChanged, {
          conversationId,
          action,
        } satisfies ConversationChangedEvent);
        if (forBot && deps.bot) {
          // Not awaited: the bot has its own time budget and must not hold up the inbox.
          deps.bot.onCustomerMessage(conversationId, messageId).catch((error: unknown) => {
            deps.logger.error({ err: error, conversationId, messageId }, 'the bot failed');
          });
        }
      };
    },
  };
}
