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
/**
 * While one apply is in flight, another starts only for a backlog this deep.
 * Below it, the next transaction takes everything that queued meanwhile, so
 * under load the batches grow instead of the number of statements (each
 * costs the API and the database a round trip whatever its size).
 */
const PARALLEL_BACKLOG = 64;

/** What `schedule` takes: stored inbox ids with their ordering keys, as `receive` returns them. */
export type Stored = Pick<ReceiveResult, 'stored' | 'orderingKeys' | 'events'>;

type Queued = {
  id: string;
  /** The order event the receiver parsed; undefined for a chat message. */
  event: NormalizedOrderEvent | undefined;
  done: () => void;
};

/** `held`: a worker is applying from this lane, so no other may (its events stay in order). */
type Lane = { queue: Queued[]; held: boolean };

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
 * the Tiki pull), after they answered: at most WORKERS transactions at a
 * time, each taking up to BATCH events, so a burst neither takes every
 * database connection from the acks nor costs a transaction per event.
 * An order's (or a chat thread's) events always queue in the same lane, and
 * a lane is held by one worker at a time: different orders may apply side
 * by side, one order's events in the order they arrived (in two concurrent
 * batches the later status could commit first and the earlier one would
 * then be dropped as stale). Whatever a crash leaves unapplied is picked up
 * by the retry job and the start-up recovery, from the inbox.
 */
export class ApplyScheduler {
  private readonly lanes: Lane[] = Array.from({ length: WORKERS }, () => ({
    queue: [],
    held: false,
  }));
  private workers = 0;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(private readonly deps: InboundApplyDeps & { logger: Logger }) {}

  /** Queues stored events; resolves once each is applied or has its failure recorded. */
  schedule({ stored, orderingKeys, events }: Stored): Promise<void> {
    if (stored.length === 0) return Promise.resolve();
    if (this.workers === 0) {
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
    this.startWorkers();
    return all;
  }

  /** Resolves once everything scheduled so far is applied, for a graceful stop. */
  drain(): Promise<void> {
    return this.idle;
  }

  /** Starts a worker on the free lanes' events when none runs, and another only for a PARALLEL_BACKLOG. */
  private startWorkers(): void {
    while (this.workers < WORKERS) {
      const free = this.lanes.filter((lane) => !lane.held && lane.queue.length > 0);
      const waiting = free.reduce((sum, lane) => sum + lane.queue.length, 0);
      if (waiting === 0 || (this.workers > 0 && waiting < PARALLEL_BACKLOG)) return;
      const batch: Queued[] = [];
      const taken: Lane[] = [];
      for (const lane of free) {
        if (batch.length >= BATCH) break;
        lane.held = true;
        taken.push(lane);
        batch.push(...lane.queue.splice(0, BATCH - batch.length));
      }
      this.workers += 1;
      void this.work(batch, taken);
    }
  }

  private async work(batch: readonly Queued[], lanes: readonly Lane[]): Promise<void> {
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
    for (const lane of lanes) lane.held = false;
    this.workers -= 1;
    this.startWorkers();
    if (this.workers === 0) this.markIdle();
  }
}
