import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PubSub } from 'type-graphql';
import { connectRedis } from '../redis';

export type EventBusKind = 'redis' | 'in-process';

export interface EventBus extends PubSub {
  readonly kind: EventBusKind;
  publish(topic: string, payload: unknown): void;
  subscribe(topic: string, dynamicId?: unknown): AsyncIterable<unknown>;
  /**
   * Subscriptions open in this process, for the metrics gauge: the bus's own
   * listeners plus what `countAlso` sources add (a listener shared by several
   * subscribers counts once per subscriber).
   */
  readonly activeSubscriptions: number;
  /** Adds a count to activeSubscriptions (the subscription fan-out's shared listeners). */
  countAlso(source: () => number): void;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const topicOf = (topic: string, dynamicId?: unknown): string => {
  if (dynamicId === undefined) return topic;
  const id =
    typeof dynamicId === 'string' || typeof dynamicId === 'number'
      ? dynamicId
      : JSON.stringify(dynamicId);
  return `${topic}:${id}`;
};

/** Events one reader may have waiting before the oldest are dropped. */
const MAX_QUEUED = 10_000;

/**
 * Local fan-out shared by both buses: subscribers iterate events of a topic
 * from a process-local emitter; the Redis bus only adds the hop between
 * processes in front of it.
 */
class LocalFanOut {
  private readonly emitter = new EventEmitter();
  private readonly counts = new Map<string, number>();
  private readonly extraCounts: (() => number)[] = [];
  private own = 0;
  /** Events dropped for readers that fell MAX_QUEUED behind. */
  dropped = 0;

  constructor(
    private readonly onFirstSubscriber: (topic: string) => void = () => undefined,
    private readonly onLastUnsubscribed: (topic: string) => void = () => undefined,
  ) {
    this.emitter.setMaxListeners(0);
  }

  get active(): number {
    let active = this.own;
    for (const count of this.extraCounts) active += count();
    return active;
  }

  countAlso(source: () => number): void {
    this.extraCounts.push(source);
  }

  emit(topic: string, payload: unknown): void {
    this.emitter.emit(topic, payload);
  }

  subscribe(topic: string): AsyncIterable<unknown> {
    return { [Symbol.asyncIterator]: () => this.iterate(topic) };
  }

  private iterate(topic: string): AsyncIterator<unknown> {
    // A reader that falls behind holds at most MAX_QUEUED events: past that
    // the oldest go (these streams are at-most-once; see
    // docs/limits-and-security.md), so no reader grows the process's memory.
    const queued: unknown[] = [];
    let waiting: ((result: IteratorResult<unknown>) => void) | null = null;
    const listener = (payload: unknown) => {
      if (waiting) {
        const wake = waiting;
        waiting = null;
        wake({ done: false, value: payload });
        return;
      }
      if (queued.length >= MAX_QUEUED) {
        queued.shift();
        this.dropped += 1;
      }
      queued.push(payload);
    };
    this.emitter.on(topic, listener);
    this.track(topic, +1);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.track(topic, -1);
      this.emitter.off(topic, listener);
      queued.length = 0;
      const wake = waiting;
      waiting = null;
      wake?.({ done: true, value: undefined });
    };
    return {
      next() {
        if (closed) return Promise.resolve({ done: true, value: undefined });
        if (queued.length > 0) return Promise.resolve({ done: false, value: queued.shift() });
        return new Promise((resolve) => (waiting = resolve));
      },
      async return() {
        close();
        return { done: true, value: undefined };
      },
    };
  }

  private track(topic: string, delta: number): void {
    const next = (this.counts.get(topic) ?? 0) + delta;
    this.own += delta;
    if (next <= 0) {
      this.counts.delete(topic);
      this.onLastUnsubscribed(topic);
    } else {
      this.counts.set(topic, next);
      if (next === 1 && delta > 0) this.onFirstSubscriber(topic);
    }
  }
}

export function createInProcessEventBus(): EventBus {
  const local = new LocalFanOut();
  return {
    kind: 'in-process',
    publish: (topic, payload) => local.emit(topic, payload),
    subscribe: (topic, dynamicId) => local.subscribe(topicOf(topic, dynamicId)),
    get activeSubscriptions() {
      return local.active;
    },
    countAlso: (source) => local.countAlso(source),
    ping: async () => true,
    close: async () => undefined,
  };
}

/** What travels over Redis: the payload, and which instance sent it. */
type Envelope = { origin: string; payload: unknown };

/**
 * Events cross API instances over Redis pub/sub; payloads travel as JSON,
 * on channels named `prefix` + topic (a deployment hears only its own).
 * This instance's own subscribers get an event at once, not after the round
 * trip through Redis (the order event tail is woken by every commit, and the
 * hop was a few milliseconds of each push's way to its subscribers), so the
 * copy Redis sends back to the publisher is dropped.
 */
export function createRedisEventBus(url: string, prefix: string, logger: Logger): EventBus {
  const origin = randomUUID();
  const options = { lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: true };
  // Events published together (a batch of applied pushes) go out in one write.
  const publisher = connectRedis(url, {
    ...options,
    connectionName: 'crm-publish',
    enableAutoPipelining: true,
  });
  const subscriber = connectRedis(url, { ...options, connectionName: 'crm-subscribe' });
  for (const client of [publisher, subscriber]) {
    client.on('error', (error: Error) => logger.warn({ err: error }, 'redis event bus error'));
  }
  const local = new LocalFanOut(
    (topic) => {
      subscriber.subscribe(prefix + topic).catch((error: unknown) => {
        logger.error({ err: error, topic }, 'redis subscribe failed');
      });
    },
    (topic) => {
      subscriber.unsubscribe(prefix + topic).catch(() => undefined);
    },
  );
  subscriber.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(prefix)) return;
    const topic = channel.slice(prefix.length);
    try {
      const envelope = JSON.parse(message) as Envelope;
      if (envelope.origin !== origin) local.emit(topic, envelope.payload);
    } catch (error) {
      logger.warn({ err: error, topic }, 'dropped a malformed event from redis');
    }
  });
  return {
    kind: 'redis',
    publish: (topic, payload) => {
      local.emit(topic, payload);
      const envelope: Envelope = { origin, payload };
      publisher.publish(prefix + topic, JSON.stringify(envelope)).catch((error: unknown) => {
        logger.error({ err: error, topic }, 'redis publish failed');
      });
    },
    subscribe: (topic, dynamicId) => local.subscribe(topicOf(topic, dynamicId)),
    get activeSubscriptions() {
      return local.active;
    },
    countAlso: (source) => local.countAlso(source),
    ping: async () => {
      try {
        return (await publisher.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    close: async () => {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}

export function createEventBus(
  config: { redisUrl: string | undefined; redisPrefix: string },
  logger: Logger,
): EventBus {
  return config.redisUrl
    ? createRedisEventBus(config.redisUrl, config.redisPrefix, logger)
    : createInProcessEventBus();
}
