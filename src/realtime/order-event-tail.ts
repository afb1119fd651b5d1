import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { orderEventLog, type OrderLogEvent } from '../services/orders/order-event-log';
import type { EventBus } from './event-bus';
import { TOPICS } from '../kernel/topics';

type Listener = (events: readonly OrderLogEvent[]) => void;

/** Events read per query; a burst is read in pages so no reader holds a huge result. */
const PAGE = 500;
/** A safety net: a writer that died between its commit and its publish still gets delivered. */
const POLL_MS = 1_000;

/**
 * One reader of the order event log per process, shared by every
 * `orderEvents` subscriber: an `orderChanged` broadcast (any instance, after
 * its commit) wakes it, it reads what was committed since its last position
 * and hands the same rows to each subscriber, which filters them in memory.
 * Wake-ups during a read coalesce into one more read, so a burst of pushes
 * costs a few queries, not one per push and subscriber.
 */
export class OrderEventTail {
  private readonly listeners = new Set<Listener>();
  private position = 0;
  private starting: Promise<void> | null = null;
  private wakeups: AsyncIterator<unknown> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private readAgain = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  /**
   * Adds a listener. It receives every event committed after the returned
   * position, in order; a reader catching up from an older cursor reads the
   * log itself up to there.
   */
  async register(listener: Listener): Promise<{ position: number; unregister: () => void }> {
    this.listeners.add(listener);
    this.starting ??= this.start();
    await this.starting;
    return {
      position: this.position,
      unregister: () => {
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.stop();
      },
    };
  }

  private async start(): Promise<void> {
    this.position = await orderEventLog.head(this.orm.em.fork());
    const wakeups = this.bus.subscribe(TOPICS.orderChanged)[Symbol.asyncIterator]();
    this.wakeups = wakeups;
    void (async () => {
      for (let next = await wakeups.next(); !next.done; next = await wakeups.next()) this.wake();
    })().catch((error: unknown) => this.logger.error({ err: error }, 'order event tail stopped'));
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  private stop(): void {
    void this.wakeups?.return?.();
    this.wakeups = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.starting = null;
  }

  private wake(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    // A batch's commit arrives as one broadcast per order, in one socket read:
    // starting after them lets them all count as this read, not ask for another.
    setImmediate(() => void this.readCommitted().finally(() => (this.reading = false)));
  }

  private async readCommitted(): Promise<void> {
    try {
      do {
        this.readAgain = false;
        for (;;) {
          const events = await orderEventLog.readAfter(this.orm.em.fork(), this.position, PAGE);
          const last = events.at(-1);
          if (!last) break;
          this.position = last.sequence;
          for (const listener of this.listeners) listener(events);
          if (events.length < PAGE) break;
        }
      } while (this.readAgain && this.listeners.size > 0);
    } catch (error) {
      // The next wake-up or poll retries from the same position: nothing is skipped.
      this.logger.error({ err: error }, 'reading the order event log failed');
    }
  }
}
