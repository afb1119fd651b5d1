import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { PlatformRejected, type OrderApiClients } from '../integrations/order-api';
import type { EventBus } from '../realtime/event-bus';
import { LogSummary } from '../log-summary';
import {
  enrichOrder,
  markDetailRejected,
  unenrichedOrders,
  type EnrichmentQueue,
} from '../services/orders/order-enrichment.service';
import type { JobPayloads } from './job-map';

/**
 * `short` policy + singletonKey = order id: while one fetch for an order is
 * waiting, more pushes for it add nothing; a push during a running fetch
 * queues one more, since it may have changed what the detail says. A fetch
 * that fails (platform down, 429) is retried with exponential backoff from
 * 5 s: 5, 10, 20 ... about 10 minutes over 8 tries.
 */
export const ENRICH_ORDER_QUEUE = {
  name: 'enrich-order',
  policy: 'short',
  retryLimit: 8,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 120,
} as const satisfies PgBoss.Queue;

/** Parallel fetches per process: platforms answer slowly, the database is not the limit. */
export const ENRICH_ORDER_WORKERS = 4;

/** Every 5 minutes: orders whose enrichment was never queued (a process without jobs) or ran out of tries. */
export const sweepUnenrichedOrdersSchedule = '*/5 * * * *';

/** How far back the sweep looks; an order undescribed for 3 days is left for manual sync. */
const SWEEP_WINDOW_MS = 3 * 86_400_000;
/** New orders get a moment for their own job first. */
const SWEEP_GRACE_MS = 2 * 60_000;

/**
 * pg-boss's insert runs on the caller's transaction connection, so the job
 * exists exactly when the order change commits (STACK-NOTES: a job sent in
 * a rolled-back transaction does not exist). pg-boss writes `$n`
 * placeholders and MikroORM's execute takes `?`, so each `$n` becomes a `?`
 * with its value, repeated where the SQL repeats it.
 */
export function transactionDb(em: EntityManager): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const ordered: unknown[] = [];
      const sql = text.replace(/\$(\d+)/g, (_match, n: string) => {
        ordered.push(values[Number(n) - 1] ?? null);
        return '?';
      });
      return { rows: await em.execute<unknown[]>(sql, ordered) };
    },
  };
}

export function pgBossEnrichmentQueue(boss: PgBoss): EnrichmentQueue {
  return {
    async enqueue(em, orderId) {
      const payload: JobPayloads['enrich-order'] = { orderId };
      await boss.send(ENRICH_ORDER_QUEUE.name, payload, {
        singletonKey: orderId,
        db: transactionDb(em),
      });
    },
    async enqueueMany(em, orderIds) {
      if (orderIds.length === 0) return;
      await boss.insert(
        orderIds.map((orderId) => ({
          name: ENRICH_ORDER_QUEUE.name,
          data: { orderId } satisfies JobPayloads['enrich-order'],
          singletonKey: orderId,
        })),
        { db: transactionDb(em) },
      );
    },
  };
}

/**
 * One job. A rejection (order unknown to the platform, no access token) will
 * not change on retry: the job completes, the order is marked so the sweep
 * stops asking for it, and the rejection is counted into one summary line
 * per reason (a shop without a token refuses every one of its orders).
 * Anything else throws, and pg-boss retries with backoff.
 */
export async function runEnrichOrder(
  deps: {
    orm: MikroORM;
    bus: EventBus;
    clients: OrderApiClients;
    logger: Logger;
    rejections: LogSummary;
  },
  payload: JobPayloads['enrich-order'],
): Promise<void> {
  try {
    const result = await enrichOrder(deps.orm, deps.bus, deps.clients, payload.orderId);
    if (result === 'missing')
      deps.logger.warn({ orderId: payload.orderId }, 'order to enrich is gone');
  } catch (error) {
    if (!(error instanceof PlatformRejected)) throw error;
    await markDetailRejected(deps.orm.em.fork(), payload.orderId);
    deps.rejections.add(error.code ? `${error.platform}: code ${error.code}` : error.message, {
      orderId: payload.orderId,
      message: error.message,
    });
  }
}

/** The summary the enrich-order workers of one process count their rejections into. */
export function detailRejectionSummary(logger: Logger): LogSummary {
  return new LogSummary(logger, 'order details rejected by the platform, not retried');
}

/**
 * `startedAt`: when this process read its configuration. Details refused
 * before it are asked for once more (the app keys may have been set since);
 * those refused after it, not until their channel changes.
 */
export async function sweepUnenrichedOrders(
  orm: MikroORM,
  boss: PgBoss,
  startedAt: Date,
  now = new Date(),
): Promise<number> {
  const ids = await unenrichedOrders(orm.em.fork(), {
    olderThan: new Date(now.getTime() - SWEEP_GRACE_MS),
    notBefore: new Date(now.getTime() - SWEEP_WINDOW_MS),
    configuredAt: startedAt,
  });
  if (ids.length === 0) return 0;
  // The singleton key makes this a no-op for orders whose job is still waiting.
  await Promise.all(
    ids.map((orderId) =>
      boss.send(ENRICH_ORDER_QUEUE.name, { orderId }, { singletonKey: orderId }),
    ),
  );
  return ids.length;
}
