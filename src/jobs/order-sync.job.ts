import type { MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { OrderApiClients } from '../integrations/order-api';
import type { EventBus } from '../realtime/event-bus';
import {
  orphanedSyncJobs,
  runOrderSync,
  type OrderSyncQueue,
} from '../services/orders/order-sync.service';
import { transactionDb } from './enrich-order.job';
import type { JobPayloads } from './job-map';

/**
 * `short` + singletonKey = sync job id: at most one waiting delivery per
 * sync. No pg-boss retries: the worker records its own failures on the job
 * row, and a worker that died mid-sync is found by the resume sweep (its
 * heartbeat goes stale) rather than by pg-boss's expiry, which would have
 * to outlast the longest sync. The expiry only bounds pg-boss's bookkeeping.
 */
export const ORDER_SYNC_QUEUE = {
  name: 'order-sync',
  policy: 'short',
  retryLimit: 0,
  expireInSeconds: 4 * 3_600,
} as const satisfies PgBoss.Queue;

/** Syncs running at once per process: each waits on one platform, mostly idle. */
export const ORDER_SYNC_WORKERS = 2;

/** Every minute: syncs queued by a process without jobs, and syncs whose worker died. */
export const resumeOrderSyncsSchedule = '* * * * *';

export function pgBossOrderSyncQueue(boss: PgBoss): OrderSyncQueue {
  return {
    async enqueue(em, jobId) {
      const payload: JobPayloads['order-sync'] = { syncJobId: jobId };
      // On the caller's transaction: the job exists exactly when the row does.
      await boss.send(ORDER_SYNC_QUEUE.name, payload, {
        singletonKey: jobId,
        db: transactionDb(em),
      });
    },
  };
}

export async function runOrderSyncJob(
  deps: { orm: MikroORM; bus: EventBus; clients: OrderApiClients; logger: Logger },
  payload: JobPayloads['order-sync'],
): Promise<void> {
  const result = await runOrderSync(deps, payload.syncJobId);
  deps.logger.info({ syncJobId: payload.syncJobId, result }, 'order sync ended');
}

/** Sends a delivery for every orphaned sync; the claim in runOrderSync keeps it single. */
export async function resumeOrderSyncs(
  orm: MikroORM,
  boss: PgBoss,
  now = new Date(),
): Promise<number> {
  const ids = await orphanedSyncJobs(orm.em.fork(), now);
  await Promise.all(
    ids.map((syncJobId) =>
      boss.send(ORDER_SYNC_QUEUE.name, { syncJobId } satisfies JobPayloads['order-sync'], {
        singletonKey: syncJobId,
      }),
    ),
  );
  return ids.length;
}
