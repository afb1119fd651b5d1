import type { EntityManager } from '@mikro-orm/postgresql';
import {
  matchesLogFilter,
  orderEventLog,
  type OrderLogEvent,
  type OrderLogFilter,
} from '../services/orders/order-event-log';
import type { OrderEventTail } from './order-event-tail';

/** Events read per catch-up query. */
const CATCH_UP_PAGE = 200;
/**
 * Live events a reader may hold unread; past that it drops them and reads
 * the log from its position instead, so a slow reader costs a few pages of
 * memory, never a growing queue, and still misses nothing.
 */
const MAX_LIVE_BACKLOG = 2_000;

/**
 * One subscriber's order events: when it resumes from a cursor, first every
 * event it missed, read from the durable log, then the live ones from the
 * shared tail, each exactly once and in log order. The tail's events are
 * buffered from the moment of registration, so the hand-over leaves no gap,
 * and anything at or below the last delivered position is dropped, so it
 * leaves no duplicate.
 */
export function orderEventStream(options: {
  em: EntityManager;
  tail: OrderEventTail;
  filter: OrderLogFilter;
  /** The position after which to start; undefined: live events only. */
  after: number | undefined;
  /** Channels a partner key may see; null for everyone else. */
  channelScope: readonly string[] | null;
}): AsyncIterator<OrderLogEvent> {
  const { filter, channelScope } = options;
  const live: OrderLogEvent[] = [];
  let wakeReader: (() => void) | null = null;
  let last: number | undefined;
  let catchingUp = options.after !== undefined;
  const registration = options.tail.register((events) => {
    if (last !== undefined && live.length + events.length > MAX_LIVE_BACKLOG) {
      live.length = 0;
      catchingUp = true;
    } else {
      for (const event of events) {
        if (matchesLogFilter(event, filter)) live.push(event);
      }
    }
    wakeReader?.();
  });
  let backlog: OrderLogEvent[] = [];
  let closed = false;

  const close = async () => {
    closed = true;
    (await registration).unregister();
    wakeReader?.();
  };

  const nextEvent = async (): Promise<IteratorResult<OrderLogEvent>> => {
    const { position } = await registration;
    last ??= options.after ?? position;
    for (;;) {
      if (closed) return { done: true, value: undefined };
      if (backlog.length === 0 && catchingUp) {
        backlog = await orderEventLog.readAfter(
          options.em.fork({ clear: true }),
          last,
          CATCH_UP_PAGE,
          filter,
          channelScope,
        );
        // A short page read everything committed so far, which covers all
        // events up to `position`; the tail delivers everything after it.
        catchingUp = backlog.length === CATCH_UP_PAGE;
      }
      const source = backlog.length > 0 ? backlog : live;
      const event = source.shift();
      if (event) {
        if (event.sequence <= last) continue;
        last = event.sequence;
        return { done: false, value: event };
      }
      await new Promise<void>((resolve) => (wakeReader = resolve));
      wakeReader = null;
    }
  };

  return {
    next: nextEvent,
    async return() {
      await close();
      return { done: true, value: undefined };
    },
  };
}
