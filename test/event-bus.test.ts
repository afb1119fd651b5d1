import pino from 'pino';
import {
  createInProcessEventBus,
  createRedisEventBus,
  type EventBus,
} from '../src/realtime/event-bus';
import { waitFor } from './support/ws';

const logger = pino({ level: 'silent' });
const redisUrl = process.env.REDIS_URL;

function nextEvent(iterable: AsyncIterable<unknown>): {
  iterator: AsyncIterator<unknown>;
  value: Promise<unknown>;
} {
  const iterator = iterable[Symbol.asyncIterator]();
  return { iterator, value: iterator.next().then((result): unknown => result.value) };
}

describe('in-process event bus', () => {
  let bus: EventBus;
  beforeEach(() => {
    bus = createInProcessEventBus();
  });
  afterEach(() => bus.close());

  test('delivers a published event to every subscriber of the topic, and only to them', async () => {
    const a = nextEvent(bus.subscribe('ORDER_CHANGED'));
    const b = nextEvent(bus.subscribe('ORDER_CHANGED'));
    const other = bus.subscribe('TICKET_CHANGED')[Symbol.asyncIterator]();
    let otherGotSomething = false;
    void other.next().then((r) => {
      otherGotSomething = !r.done;
    });
    bus.publish('ORDER_CHANGED', { id: 'o1' });
    await expect(a.value).resolves.toEqual({ id: 'o1' });
    await expect(b.value).resolves.toEqual({ id: 'o1' });
    expect(bus.activeSubscriptions).toBe(3);
    await Promise.all([a.iterator.return?.(), b.iterator.return?.(), other.return?.()]);
    expect(otherGotSomething).toBe(false);
    expect(bus.activeSubscriptions).toBe(0);
  });

  test('routes by dynamic id as type-graphql topics do', async () => {
    const sub = nextEvent(bus.subscribe('ORDER_CHANGED', 'shop-1'));
    bus.publish('ORDER_CHANGED:shop-2', { id: 'not mine' });
    bus.publish('ORDER_CHANGED:shop-1', { id: 'mine' });
    await expect(sub.value).resolves.toEqual({ id: 'mine' });
    await sub.iterator.return?.();
  });
});

(redisUrl ? describe : describe.skip)('Redis event bus', () => {
  test('carries events between two API instances', async () => {
    const topic = `TEST_${process.pid}_${Date.now()}`;
    const publisher = createRedisEventBus(redisUrl!, 'crm:event-bus-test:', logger);
    const subscriber = createRedisEventBus(redisUrl!, 'crm:event-bus-test:', logger);
    try {
      const sub = nextEvent(subscriber.subscribe(topic));
      // The SUBSCRIBE round trip is asynchronous: publish until the subscriber hears it.
      let received: unknown;
      void sub.value.then((value) => (received = value));
      for (let i = 0; i < 50 && received === undefined; i += 1) {
        publisher.publish(topic, { id: 'o1', total: 150_000, note: 'Đơn hàng mới' });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(received).toEqual({ id: 'o1', total: 150_000, note: 'Đơn hàng mới' });
      expect(await publisher.ping()).toBe(true);
      await sub.iterator.return?.();
    } finally {
      await publisher.close();
      await subscriber.close();
    }
  });

  test("the publisher's own subscribers get each event at once and once, while other instances get it over Redis", async () => {
    const topic = `TEST_${process.pid}_${Date.now()}_own`;
    const publisher = createRedisEventBus(redisUrl!, 'crm:event-bus-test:', logger);
    const other = createRedisEventBus(redisUrl!, 'crm:event-bus-test:', logger);
    const own: unknown[] = [];
    const remote: unknown[] = [];
    const collect = (bus: EventBus, into: unknown[]) => {
      const iterator = bus.subscribe(topic)[Symbol.asyncIterator]();
      void (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          into.push(next.value);
        }
      })();
      return iterator;
    };
    const ownIterator = collect(publisher, own);
    const otherIterator = collect(other, remote);
    try {
      // Until the other instance's SUBSCRIBE has gone through, events may not reach it.
      for (let i = 0; i < 50 && remote.length === 0; i += 1) {
        publisher.publish(topic, { warmUp: i });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      own.length = 0;
      remote.length = 0;
      publisher.publish(topic, { id: 'o2' });
      // Delivered locally before any Redis round trip could have completed.
      await new Promise((resolve) => setImmediate(resolve));
      expect(own).toEqual([{ id: 'o2' }]);
      await waitFor(() => remote.length === 1);
      // Redis's copy of it came back to the publisher too, and was dropped.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(own).toEqual([{ id: 'o2' }]);
      expect(remote).toEqual([{ id: 'o2' }]);
    } finally {
      await Promise.all([ownIterator.return?.(), otherIterator.return?.()]);
      await publisher.close();
      await other.close();
    }
  });
});
