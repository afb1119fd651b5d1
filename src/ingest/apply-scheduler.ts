import type { Logger } from 'pino';
import type { NormalizedOrderEvent } from '../integrations/types';
import {
  inboundService,
  type InboundApplyDeps,
  type ReceiveResult,
} from '../services/orders/inbound.service';

/** Concurrent applies per process: the rest of the pool stays free for acks and queries. */
const WORKERS = 3;
/** Events one apply transaction takes at most. */
const BATCH = 200;

/** What `schedule` takes: stored inbox ids with their ordering keys, as `receive` returns them. */
export type Stored = Pick<ReceiveResult, 'stored' | 'orderingKeys' | 'events'>;

type Queued = {
  id: string;
  /** The order event the receiver parsed; undefined for a chat message. */
  event: NormalizedOrderEvent | undefined;
  done: () => void;
};

type Lane = { queue: Queued[]; busy: boolean };

/** A lane for a key (FNV-1a): the same key, the same lane, for the life of the process. */
function laneOf(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}

/**
 * Applies what the ingest sources stored (webhook pushes of every platform,
 * the Tiki pull), after they answered: a fixed number of workers, each
 * taking up to BATCH events at a time, so a burst neither takes every
 * database connection from the acks nor costs a transaction per event.
 * Each worker has its own lane, and an order's (or a chat thread's) events
 * always take the same lane: different orders apply side by side, one
 * order's events in the order they arrived (in two concurrent batches the
 * later status could commit first and the earlier one would then be dropped
 * as stale). Whatever a crash leaves unapplied is picked up by the retry job
 * and the start-up recovery, from the inbox.
 */
export class ApplyScheduler {
  private readonly lanes: Lane[] = Array.from({ length: WORKERS }, () => ({
    queue: [],
    busy: false,
  }));
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(private readonly deps: InboundApplyDeps & { logger: Logger }) {}

  /** Queues stored events; resolves once each is applied or has its failure recorded. */
  schedule({ stored, orderingKeys, events }: Stored): Promise<void> {
    if (stored.length === 0) return Promise.resolve();
    if (!this.lanes.some((lane) => lane.busy)) {
      this.idle = new Promise((resolve) => (this.markIdle = resolve));
    }
    const all = new Promise<void>((resolve) => {
      let left = stored.length;
      const done = () => {
        left -= 1;
        if (left === 0) resolve();
      };
      stored.forEach((id, index) =>
        this.lanes[laneOf(orderingKeys[index]!, WORKERS)]!.queue.push({
          id,
          event: events[index],
          done,
        }),
      );
    });
    for (const lane of this.lanes) if (!lane.busy && lane.queue.length > 0) void this.work(lane);
    return all;
  }

  /** Resolves once everything scheduled so far is applied, for a graceful stop. */
  drain(): Promise<void> {
    return this.idle;
  }

  private async work(lane: Lane): Promise<void> {
    lane.busy = true;
    for (let batch = lane.queue.splice(0, BATCH); batch.length > 0;) {
      try {
        const ids: string[] = [];
        const known = new Map<string, NormalizedOrderEvent>();
        for (const { id, event } of batch) {
          if (!event) continue;
          ids.push(id);
          known.set(id, event);
        }
        if (ids.length > 0) await inboundService.applyMany({ ...this.deps, ids, known });
        // Chat messages one by one: each is its conversation's own transaction.
        for (const { id, event } of batch) if (!event) await inboundService.apply(this.deps, id);
      } catch (error) {
        this.deps.logger.error({ err: error }, 'applying inbound events failed');
      } finally {
        for (const queued of batch) queued.done();
      }
      batch = lane.queue.splice(0, BATCH);
    }
    lane.busy = false;
    if (!this.lanes.some((other) => other.busy)) this.markIdle();
  }
}
