import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { BotConfig } from '../../../config';
import { rawRows } from '../../../db/raw-sql';
import { Conversation, Message } from '../../../entities';
import {
  BotStep,
  ConversationStatus,
  MessageDirection,
  MessageSender,
  MessageStatus,
  type Platform,
} from '../../../entities/enums';
import type { EventBus } from '../../../realtime/event-bus';
import { TOPICS } from '../../../kernel/topics';
import { conversationAssignment } from '../conversation-assignment.service';
import type {
  ConversationBot,
  ConversationChangedEvent,
  MessageAddedEvent,
  OutboundDelivery,
} from '../conversation-contracts';
import { isId } from '../../../kernel/errors';
import {
  AiProviderError,
  createOpenAiCompatibleClient,
  type AiClient,
  type AiTurn,
} from './ai-client';
import { CircuitBreaker, type BreakerSnapshot } from './circuit-breaker';
import { asksForHuman, rejectsAnswer } from './intents';
import { createKnowledgeBaseMatcher } from './knowledge-base-step';
import { findTemplate } from './template-step';

/** What the bot tells a buyer it hands to a person. */
export const HANDOFF_TEXT =
  'Mình chuyển bạn đến nhân viên hỗ trợ ạ, bạn vui lòng chờ trong giây lát.';

/**
 * Kept back from the budget for the steps after the AI (two indexed
 * queries, already started) and the answer's transaction, so that an AI
 * timeout still leaves time to answer inside the budget.
 */
const FALLBACK_RESERVE_MS = 300;
/** Less time than this left for the AI: not worth a call. */
const MIN_AI_MS = 200;
/** Earlier messages given to the AI as context (and searched for the bot's last answer). */
const HISTORY = 8;

export type AiStatus = BreakerSnapshot & { enabled: boolean };

export interface Bot extends ConversationBot {
  /** The AI provider's breaker, as this process sees it. */
  aiStatus(): AiStatus;
  /** Resolves when the answers in flight are written (for a graceful stop). */
  drain(): Promise<void>;
}

export type BotDeps = {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  /** Sends the bot's PENDING outbound message (the inbox side's delivery queue). */
  delivery: OutboundDelivery;
  config: BotConfig;
  /** The breaker's clock (ms since the epoch); tests move it past the cool-down. */
  now?: () => number;
  /** Replaces the OpenAI-compatible client built from config.ai. */
  ai?: AiClient;
};

type Reply = { step: BotStep; body: string; why: string };
/** What the bot knows of the conversation it answers: the platform and, once linked, the buyer's name. */
type Thread = { platform: Platform; customerName?: string };

/** The bot answers a conversation nobody holds and that was not handed off since it was last resolved. */
const BOT_MAY_ANSWER = `c."status" in ('${ConversationStatus.OPEN}', '${ConversationStatus.PENDING_BOT}')
  and c."assignee_id" is null
  and (c."handed_off_at" is null or (c."resolved_at" is not null and c."handed_off_at" < c."resolved_at"))`;

const botMayAnswer = (c: Conversation): boolean =>
  (c.status === ConversationStatus.OPEN || c.status === ConversationStatus.PENDING_BOT) &&
  !c.assignee &&
  (!c.handedOffAt ||
    (c.resolvedAt !== undefined && c.resolvedAt !== null && c.handedOffAt < c.resolvedAt));

/**
 * The conversation bot. For each inbound buyer message of a conversation it
 * may answer, within one time budget counted from the message's arrival:
 * a request for a person, or a rejection of the bot's previous answer, hands
 * off at once; otherwise the AI provider (if configured, its breaker closed,
 * confident enough), else the best knowledge-base article, else a reply
 * template, else a handoff. The answer is a PENDING outbound BOT message
 * with its step and latency, queued for delivery in the same transaction.
 */
export function createConversationBot(deps: BotDeps): Bot {
  const { orm, bus, logger, delivery, config } = deps;
  const ai = deps.ai ?? (config.ai ? createOpenAiCompatibleClient(config.ai) : undefined);
  const breaker = new CircuitBreaker({ ...config.breaker, now: deps.now });
  const inFlight = new Set<Promise<void>>();
  const knowledgeBase = createKnowledgeBaseMatcher();

  async function askAi(turns: AiTurn[], deadline: number): Promise<string | null> {
    if (!ai) return null;
    const timeoutMs = Math.min(config.aiTimeoutMs, deadline - Date.now() - FALLBACK_RESERVE_MS);
    if (timeoutMs < MIN_AI_MS) return null;
    if (!breaker.tryAcquire()) return null;
    const started = performance.now();
    try {
      const reply = await ai.ask(turns, timeoutMs);
      breaker.onSuccess(Math.round(performance.now() - started));
      return reply.confidence >= config.aiMinConfidence ? reply.answer : null;
    } catch (error) {
      const reason =
        error instanceof AiProviderError
          ? `${error.kind}: ${error.message}`
          : `ERROR: ${error instanceof Error ? error.message : String(error)}`;
      breaker.onFailure(reason, Math.round(performance.now() - started));
      logger.warn(
        { reason, breaker: breaker.snapshot().state },
        'AI provider failed; falling back',
      );
      return null;
    }
  }

  /** Knowledge base, then templates; both queries start together so a fallback costs one round trip. */
  async function lookUp(em: EntityManager, text: string, thread: Thread): Promise<Reply | null> {
    const [article, template] = await Promise.all([
      knowledgeBase.find(em, text),
      findTemplate(em, text, thread.platform, { customerName: thread.customerName }),
    ]);
    if (article)
      return {
        step: BotStep.KNOWLEDGE_BASE,
        body: article.body,
        why: `article ${article.articleId} (score ${article.score.toFixed(2)}, margin ${article.margin.toFixed(2)})`,
      };
    if (template)
      return {
        step: BotStep.TEMPLATE,
        body: template.body,
        why: `template ${template.templateId}`,
      };
    return null;
  }

  async function decide(
    em: EntityManager,
    message: Message,
    history: Message[],
    thread: Thread,
    deadline: number,
  ): Promise<Reply> {
    const text = message.body;
    const handoff = (why: string): Reply => ({ step: BotStep.HANDOFF, body: HANDOFF_TEXT, why });
    if (asksForHuman(text)) return handoff('asked for a person');
    const lastOutbound = history.find((m) => m.direction === MessageDirection.OUTBOUND);
    if (
      lastOutbound?.sender === MessageSender.BOT &&
      lastOutbound.botStep &&
      lastOutbound.botStep !== BotStep.HANDOFF &&
      rejectsAnswer(text)
    ) {
      return handoff("rejected the bot's answer");
    }
    const fallback = lookUp(em, text, thread).catch((error: unknown) => {
      logger.error({ err: error }, 'knowledge-base or template lookup failed');
      return null;
    });
    const turns: AiTurn[] = [...history]
      .reverse()
      .filter((m) => m.body.trim() !== '')
      .map((m) => ({
        role: m.direction === MessageDirection.INBOUND ? ('user' as const) : ('assistant' as const),
        content: m.body,
      }));
    turns.push({ role: 'user', content: text });
    const answer = await askAi(turns, deadline);
    if (answer) return { step: BotStep.AI, body: answer, why: 'AI' };
    return (await fallback) ?? handoff('no step had an answer');
  }

  async function handle(conversationId: string, messageId: string): Promise<void> {
    if (!isId(conversationId) || !isId(messageId)) return;
    const em = orm.em.fork();
    const message = await em.findOne(Message, { id: messageId, conversation: conversationId });
    if (
      !message ||
      message.direction !== MessageDirection.INBOUND ||
      message.sender !== MessageSender.CUSTOMER
    ) {
      return;
    }
    // The budget runs from the message's arrival, not from this call.
    const receivedAt = Math.min(message.createdAt.getTime(), Date.now());
    const deadline = receivedAt + config.budgetMs;
    // Claims the conversation for the bot (PENDING_BOT) if nobody holds it, in one statement.
    const [claimed] = await rawRows<{ platform: Platform; customer_name: string | null }>(
      em,
      `update "conversation" c set "status" = '${ConversationStatus.PENDING_BOT}', "updated_at" = now()
         from "channel" ch
        where c."id" = ? and ch."id" = c."channel_id" and ${BOT_MAY_ANSWER}
       returning ch."platform",
         (select cu."full_name" from "customer" cu where cu."id" = c."customer_id" and cu."erased_at" is null) as "customer_name"`,
      [conversationId],
    );
    if (!claimed) return;
    const history = await em.find(
      Message,
      {
        conversation: conversationId,
        id: { $ne: messageId },
        createdAt: { $lte: message.createdAt },
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: HISTORY },
    );
    const thread: Thread = {
      platform: claimed.platform,
      customerName: claimed.customer_name ?? undefined,
    };
    const reply = await decide(em, message, history, thread, deadline);
    const written = await write(em, conversationId, message, reply, receivedAt);
    if (!written) return;
    publish(conversationId, written, reply);
    await delivery.sendNow?.(written.messageId);
  }

  type Written = { messageId: string; assigneeId: string | null };

  async function write(
    em: EntityManager,
    conversationId: string,
    message: Message,
    reply: Reply,
    receivedAt: number,
  ): Promise<Written | null> {
    const handoff = reply.step === BotStep.HANDOFF;
    return em.transactional(async (tx) => {
      const conversation = await tx.findOne(Conversation, conversationId, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        refresh: true,
      });
      // A person took it (or a handoff landed) while the bot was thinking.
      if (!conversation || !botMayAnswer(conversation)) return null;
      if (!handoff) {
        // A later message of the buyer gets its own answer, which sees this one as context.
        const newer = await tx.count(Message, {
          conversation,
          direction: MessageDirection.INBOUND,
          createdAt: { $gt: message.createdAt },
        });
        if (newer > 0) return null;
      }
      const now = new Date();
      const answer = tx.create(Message, {
        conversation,
        channel: conversation.channel,
        direction: MessageDirection.OUTBOUND,
        sender: MessageSender.BOT,
        body: reply.body,
        status: MessageStatus.PENDING,
        botStep: reply.step,
        botLatencyMs: Math.max(0, now.getTime() - receivedAt),
        sentAt: now,
      });
      conversation.lastMessageAt = now;
      let assigneeId: string | null = null;
      if (handoff) {
        assigneeId = await conversationAssignment.assignOnHandoff(tx, conversation, now);
      } else {
        // A handoff notice is not an answer: only real answers count as the first response.
        conversation.firstResponseAt ??= now;
        conversation.status = ConversationStatus.PENDING_BOT;
      }
      // The delivery queue refers to the row, so it exists before it is queued.
      await tx.flush();
      await delivery.enqueue(tx, answer.id);
      return { messageId: answer.id, assigneeId };
    });
  }

  function publish(conversationId: string, written: Written, reply: Reply): void {
    bus.publish(TOPICS.messageAdded, {
      conversationId,
      messageId: written.messageId,
    } satisfies MessageAddedEvent);
    if (reply.step !== BotStep.HANDOFF) {
      bus.publish(TOPICS.conversationChanged, {
        conversationId,
        action: 'MESSAGE',
      } satisfies ConversationChangedEvent);
      return;
    }
    bus.publish(TOPICS.conversationChanged, {
      conversationId,
      action: 'HANDED_OFF',
    } satisfies ConversationChangedEvent);
    if (written.assigneeId) {
      conversationAssignment.publishAssigned(bus, conversationId, null);
    } else {
      // Leaders see the HANDED_OFF event of an unassigned conversation in their stream.
      logger.warn(
        { conversationId, why: reply.why },
        'handoff: no agent available, conversation queued',
      );
    }
  }

  return {
    onCustomerMessage(conversationId, messageId) {
      // Never rejects: the inbox calls this after its commit and has nothing to undo.
      const task = handle(conversationId, messageId).catch((error: unknown) => {
        logger.error({ err: error, conversationId, messageId }, 'bot failed to answer');
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      return task;
    },
    aiStatus: () => ({ enabled: ai !== undefined, ...breaker.snapshot() }),
    drain: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}
