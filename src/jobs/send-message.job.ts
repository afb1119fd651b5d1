import type { EntityManager } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { OutboundDelivery } from '../services/conversations/conversation-contracts';
import {
  deliverMessage,
  stalledOutboundMessages,
  type DeliveryDeps,
} from '../services/conversations/outbound-delivery.service';
import { transactionDb } from './enrich-order.job';
import type { JobPayloads } from './job-map';

/**
 * One waiting job per message (`short` + singletonKey = message id). pg-boss
 * does not retry a send itself: the worker records each attempt on the
 * message and queues the next one with `startAfter`, so a 429's Retry-After
 * and the exponential backoff both decide when.
 */
export const SEND_MESSAGE_QUEUE = {
  name: 'send-message',
  policy: 'short',
  retryLimit: 2,
  retryDelay: 5,
  expireInSeconds: 120,
} as const satisfies PgBoss.Queue;

export const SEND_MESSAGE_WORKERS = 4;
/** Polled often: an agent is waiting to see "sent". */
export const SEND_MESSAGE_POLLING_SECONDS = 0.5;

/** Every minute: PENDING messages stored by a process without jobs, or whose job was lost. */
export const sweepPendingMessagesSchedule = '* * * * *';

/**
 * The OutboundDelivery of a process running pg-boss: the job is inserted on
 * the caller's transaction connection, so it exists exactly when the message
 * does. The bot's PENDING BOT messages go through this too.
 */
export function pgBossOutboundDelivery(
  boss: PgBoss,
  /** With the send workers' dependencies (a process that sends), sendNow attempts at once. */
  sender?: DeliveryDeps & { logger: Logger; boss: PgBoss },
): OutboundDelivery {
  return {
    sendNow: sender
      ? async (messageId) => {
          try {
            await runSendMessage(sender, { messageId });
          } catch (error) {
            // The queued job (or the sweep) sends it; this was only the fast way.
            sender.logger.warn(
              { err: error, messageId },
              'immediate send failed; the queue retries',
            );
          }
        }
      : undefined,
    async enqueue(em: EntityManager, messageId: string) {
      const payload: JobPayloads['send-message'] = { messageId };
      await boss.send(SEND_MESSAGE_QUEUE.name, payload, {
        singletonKey: messageId,
        db: transactionDb(em),
      });
    },
  };
}

/**
 * A process that runs no jobs queues nothing: the message waits as PENDING
 * and the jobs process's sweep queues it within a minute.
 */
export const sweptOutboundDelivery: OutboundDelivery = {
  async enqueue() {
    return undefined;
  },
};

export async function runSendMessage(
  deps: DeliveryDeps & { logger: Logger; boss: PgBoss },
  payload: JobPayloads['send-message'],
): Promise<void> {
  const outcome = await deliverMessage(deps, payload.messageId);
  if (outcome.kind === 'retry') {
    await deps.boss.send(SEND_MESSAGE_QUEUE.name, payload, {
      singletonKey: payload.messageId,
      startAfter: new Date(Date.now() + outcome.delayMs),
    });
  } else if (outcome.kind === 'failed') {
    deps.logger.warn({ messageId: payload.messageId, reason: outcome.reason }, 'message not sent');
  }
}

export async function sweepPendingMessages(
  deps: Pick<DeliveryDeps, 'orm'> & { boss: PgBoss },
  now = new Date(),
): Promise<number> {
  const ids = await stalledOutboundMessages(deps.orm, new Date(now.getTime() - 30_000));
  await Promise.all(
    ids.map((messageId) =>
      deps.boss.send(SEND_MESSAGE_QUEUE.name, { messageId }, { singletonKey: messageId }),
    ),
  );
  return ids.length;
}
