/**
 * Sends one PENDING outbound message (agent or bot) through its channel's
 * adapter and records the outcome: SENT with the platform's id, a retry
 * after a backoff, or FAILED with the reason. The job wrapper
 * (jobs/send-message.job.ts) turns a retry into a delayed job.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { rawRows } from '../../db/raw-sql';
import { Channel, Conversation, Message } from '../../entities';
import { MessageStatus } from '../../entities/enums';
import { PlatformError, PlatformRateLimited } from '../../integrations/order-api/types';
import type { ChatSenders } from '../../integrations/send';
import { RateLimiterRes, type RateLimiterAbstract } from '../../rate-limit';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS } from '../../kernel/topics';
import type { MessageAddedEvent } from './conversation-contracts';
import { windowClosedAt } from './messaging-rules';

export type DeliveryDeps = {
  orm: MikroORM;
  bus: EventBus;
  senders: ChatSenders;
  /** Per channel (key = channel id): sends beyond it wait, and count no attempt. */
  limiter: RateLimiterAbstract;
  maxAttempts: number;
  retryBaseMs: number;
  /** How long a claimed attempt keeps others off the message (longer than a send can take). */
  leaseMs: number;
};

export type DeliveryOutcome =
  | { kind: 'sent'; externalMessageId: string }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'skipped' };

/** Exponential: base, 2 x base, 4 x base...; a 429's Retry-After wins when longer. */
export function retryDelayMs(attempt: number, baseMs: number, retryAfterMs = 0): number {
  return Math.max(baseMs * 2 ** Math.max(0, attempt - 1), retryAfterMs);
}

export async function deliverMessage(
  deps: DeliveryDeps,
  messageId: string,
  now = new Date(),
): Promise<DeliveryOutcome> {
  const em = deps.orm.em.fork();
  const message = await em.findOne(Message, { id: messageId, status: MessageStatus.PENDING });
  if (!message) return { kind: 'skipped' };
  const conversation = await em.findOneOrFail(Conversation, message.conversation.id);
  const channel = await em.findOneOrFail(Channel, message.channel.id, {
    populate: ['accessToken'],
  });
  // Checked again at send time: a queued message can outlive the window.
  const closed = windowClosedAt(channel.platform, conversation.lastInboundAt);
  if (closed && closed <= now) {
    return fail(
      deps,
      message,
      `the ${channel.platform} reply window closed at ${closed.toISOString()}`,
    );
  }
  const sender = deps.senders[channel.platform];
  if (!sender) return fail(deps, message, `${channel.platform} has no chat send API`);
  try {
    await deps.limiter.consume(channel.id);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    return { kind: 'retry', delayMs: error.msBeforeNext, reason: 'channel send rate reached' };
  }
  // The claim: one attempt at a time, even if a sweep queued a second job.
  const [claimed] = await rawRows<{ attempts: number }>(
    em,
    `update "message" set "attempts" = "attempts" + 1, "next_attempt_at" = ?
     where "id" = ? and "status" = 'PENDING' and ("next_attempt_at" is null or "next_attempt_at" <= ?)
     returning "attempts"`,
    [new Date(now.getTime() + deps.leaseMs), messageId, now],
  );
  if (!claimed) return { kind: 'skipped' };
  try {
    const { externalMessageId } = await sender.send({
      channelId: channel.id,
      channelExternalId: channel.externalShopId,
      accessToken: channel.accessToken,
      threadId: conversation.externalThreadId,
      recipientId: conversation.externalUserId,
      text: message.body,
      attachments: message.attachments,
    });
    const sentAt = new Date();
    await em.transactional(async (tx) => {
      await rawRows(
        tx,
        `update "message" set "status" = 'SENT', "external_message_id" = ?, "last_error" = null, "next_attempt_at" = null
         where "id" = ?`,
        [externalMessageId, messageId],
      );
      // The first answer the buyer actually got, bot or agent (for response-time reports).
      await rawRows(
        tx,
        `update "conversation" set "first_response_at" = coalesce("first_response_at", ?) where "id" = ?`,
        [sentAt, conversation.id],
      );
    });
    publishStatus(deps.bus, conversation.id, messageId);
    return { kind: 'sent', externalMessageId };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Anything but a platform's own refusal may pass: network, 5xx, 429, a bug to be fixed.
    const retryable = !(error instanceof PlatformError) || error.retryable;
    if (!retryable || claimed.attempts >= deps.maxAttempts) {
      return fail(deps, message, `after ${claimed.attempts} attempt(s): ${reason}`);
    }
    const delayMs = retryDelayMs(
      claimed.attempts,
      deps.retryBaseMs,
      error instanceof PlatformRateLimited ? error.retryAfterMs : 0,
    );
    await rawRows(
      em,
      `update "message" set "last_error" = ?, "next_attempt_at" = ? where "id" = ?`,
      [reason.slice(0, 2_000), new Date(Date.now() + delayMs), messageId],
    );
    return { kind: 'retry', delayMs, reason };
  }
}

async function fail(
  deps: DeliveryDeps,
  message: Message,
  reason: string,
): Promise<DeliveryOutcome> {
  await rawRows(
    deps.orm.em.fork(),
    `update "message" set "status" = 'FAILED', "last_error" = ?, "next_attempt_at" = null
     where "id" = ? and "status" = 'PENDING'`,
    [reason.slice(0, 2_000), message.id],
  );
  publishStatus(deps.bus, message.conversation.id, message.id);
  return { kind: 'failed', reason };
}

/**
 * A delivery status change is announced on messageAdded again (same message
 * id, new status): clients keep messages by id, so the bubble updates.
 */
function publishStatus(bus: EventBus, conversationId: string, messageId: string): void {
  bus.publish(TOPICS.messageAdded, { conversationId, messageId } satisfies MessageAddedEvent);
}

/** PENDING messages nobody is working on (never queued, or their job was lost). */
export async function stalledOutboundMessages(
  orm: MikroORM,
  olderThan: Date,
  limit = 500,
): Promise<string[]> {
  const rows = await rawRows<{ id: string }>(
    orm.em.fork(),
    `select "id" from "message"
     where "status" = 'PENDING' and "direction" = 'OUTBOUND'
       and coalesce("next_attempt_at", "created_at") < ?
     order by "created_at" limit ?`,
    [olderThan, limit],
  );
  return rows.map((row) => row.id);
}
