import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  Branch,
  Channel,
  Conversation,
  KnowledgeBaseArticle,
  Message,
  ReplyTemplate,
  User,
  UserBranch,
} from '../../src/entities';
import {
  ConversationStatus,
  KnowledgeBaseType,
  MessageDirection,
  MessageSender,
  Platform,
  Role,
} from '../../src/entities/enums';
import type { EventBus } from '../../src/realtime/event-bus';
import type { OutboundDelivery } from '../../src/services/conversations/conversation-contracts';

/** A delivery that records what the bot queued (and when), checking the row exists in the caller's transaction. */
export function recordingDelivery(): OutboundDelivery & {
  queued: { messageId: string; at: number }[];
} {
  const queued: { messageId: string; at: number }[] = [];
  return {
    queued,
    async enqueue(em: EntityManager, messageId: string) {
      await em.findOneOrFail(Message, messageId);
      queued.push({ messageId, at: Date.now() });
    },
  };
}

/** Every event of a bus topic from now on, in order. */
export function recordTopic<T>(bus: EventBus, topic: string): { events: T[]; stop: () => void } {
  const events: T[] = [];
  const iterator = bus.subscribe(topic)[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      events.push(next.value as T);
    }
  })();
  return { events, stop: () => void iterator.return?.() };
}

let sequence = 0;

/** Conversations, messages, agents, articles and templates for the bot and handoff tests. */
export function botFixtures(orm: MikroORM) {
  const em = (): EntityManager => orm.em.fork();

  const branch = async (): Promise<Branch> => {
    const e = em();
    const row = e.create(Branch, {
      code: `BB${(sequence += 1)}-${randomUUID().slice(0, 6)}`,
      name: 'Bot branch',
    });
    await e.flush();
    return row;
  };

  const channel = async (branchRow?: Branch, platform = Platform.SHOPEE): Promise<Channel> => {
    const e = em();
    const row = e.create(Channel, {
      platform,
      externalShopId: `bot-shop-${randomUUID().slice(0, 8)}`,
      name: 'Bot test shop',
      branch: branchRow?.id,
    });
    await e.flush();
    return row;
  };

  /** A user in some branches; role CUSTOMER_SERVICE unless told. */
  const agent = async (
    branches: Branch[],
    overrides: { role?: Role; active?: boolean } = {},
  ): Promise<User> => {
    const e = em();
    const user = e.create(User, {
      email: `agent${(sequence += 1)}-${randomUUID().slice(0, 8)}@test.local`,
      passwordHash: 'unused',
      fullName: `Agent ${sequence}`,
      role: overrides.role ?? Role.CUSTOMER_SERVICE,
      active: overrides.active ?? true,
    });
    for (const b of branches) e.create(UserBranch, { user, branch: b.id });
    await e.flush();
    return user;
  };

  const conversation = async (
    channelRow: Channel,
    overrides: {
      assignee?: User;
      status?: ConversationStatus;
      assignedAt?: Date;
    } = {},
  ): Promise<Conversation> => {
    const e = em();
    const row = e.create(Conversation, {
      channel: channelRow.id,
      externalThreadId: `thread-${randomUUID()}`,
      externalUserId: `buyer-${randomUUID().slice(0, 8)}`,
      status:
        overrides.status ??
        (overrides.assignee ? ConversationStatus.ASSIGNED : ConversationStatus.OPEN),
      assignee: overrides.assignee?.id,
      assignedAt: overrides.assignedAt ?? (overrides.assignee ? new Date() : undefined),
    });
    await e.flush();
    return row;
  };

  /** A buyer's message as the inbox stores it: created (pushed) now unless told. */
  const inbound = async (conversationRow: Conversation, body: string, createdAt = new Date()) => {
    const e = em();
    const row = e.create(Message, {
      conversation: conversationRow.id,
      channel: conversationRow.channel.id,
      externalMessageId: `m-${randomUUID()}`,
      direction: MessageDirection.INBOUND,
      sender: MessageSender.CUSTOMER,
      body,
      sentAt: createdAt,
      createdAt,
    });
    await e.flush();
    return row;
  };

  const article = async (
    title: string,
    body: string,
    keywords = '',
    type = KnowledgeBaseType.CUSTOMER_SERVICE,
  ) => {
    const e = em();
    const row = e.create(KnowledgeBaseArticle, { type, title, body, keywords });
    await e.flush();
    return row;
  };

  const template = async (name: string, keywords: string[], body: string, platform?: Platform) => {
    const e = em();
    const row = e.create(ReplyTemplate, { name, keywords, body, platform });
    await e.flush();
    return row;
  };

  /** The bot's messages of a conversation, oldest first. */
  const botMessages = (conversationRow: Conversation) =>
    em().find(
      Message,
      { conversation: conversationRow.id, sender: MessageSender.BOT },
      { orderBy: { createdAt: 'asc' } },
    );

  const reload = (conversationRow: Conversation) =>
    em().findOneOrFail(Conversation, conversationRow.id);

  return { branch, channel, agent, conversation, inbound, article, template, botMessages, reload };
}
