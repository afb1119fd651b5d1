import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderSyncJob } from '../entities';
import { notFound } from '../kernel/errors';
import { FINAL_SYNC_STATUSES } from '../services/orders/order-sync.service';
import type { EventBus } from './event-bus';
import { TOPICS, type OrderSyncProgressEvent } from '../kernel/topics';

/**
 * The progress events of one sync, for scopedEvents: first the job as it
 * stands (a client that subscribes late, even after the end, still learns
 * the result), then the bus's events of this job. The bus is subscribed
 * before the current state is read, so nothing published in between is
 * lost; at worst a state is delivered twice. An unknown job is NOT_FOUND.
 */
export function orderSyncProgressSource(options: {
  em: EntityManager;
  bus: EventBus;
  jobId: string;
}): AsyncIterator<OrderSyncProgressEvent> {
  const { em, bus, jobId } = options;
  const events = bus.subscribe(TOPICS.orderSyncProgress)[Symbol.asyncIterator]();
  let started = false;
  return {
    async next() {
      if (!started) {
        started = true;
        const job = await em
          .fork({ clear: true })
          .findOne(OrderSyncJob, jobId, { fields: ['id', 'status'] });
        if (!job) throw notFound('OrderSyncJob', jobId);
        return { done: false, value: { jobId, status: job.status } };
      }
      for (;;) {
        const event = await events.next();
        if (event.done) return { done: true, value: undefined };
        const progress = event.value as OrderSyncProgressEvent;
        if (progress.jobId === jobId) return { done: false, value: progress };
      }
    },
    async return() {
      await events.return?.();
      return { done: true, value: undefined };
    },
  };
}

/**
 * Ends a stream of jobs after the first one in a final state (SUCCEEDED,
 * FAILED): nothing more will happen to the job, so the subscription
 * completes instead of idling, and its listeners are released.
 */
export function untilFinished(rows: AsyncIterable<OrderSyncJob>): AsyncIterable<OrderSyncJob> {
  const inner = rows[Symbol.asyncIterator]();
  let finished = false;
  const iterator: AsyncIterator<OrderSyncJob> = {
    async next() {
      if (finished) {
        await inner.return?.();
        return { done: true, value: undefined };
      }
      const result = await inner.next();
      if (!result.done && FINAL_SYNC_STATUSES.has(result.value.status)) finished = true;
      return result;
    },
    async return() {
      await inner.return?.();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
