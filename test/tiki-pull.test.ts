import request from 'supertest';
import { InboundEvent, Order, OrderStatusEvent } from '../src/entities';
import { InboundEventStatus, Platform } from '../src/entities/enums';
import { factories } from './support/factories';
import { startFakeTikiQueue, type FakeTikiQueue } from './support/fake-tiki-queue';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';
import { subscriber, waitFor } from './support/ws';

/**
 * Tiki delivers through an event queue this API pulls (platforms.md 4.1),
 * against a local fake of Tiki's queue API. The acceptance points of the
 * pushed platforms hold here too: a sample event creates the order, three
 * deliveries (in sequence and by two instances at once) give one order, one
 * status event and one subscription event, bad credentials write nothing,
 * and an older status does not regress the order.
 */
const CREDENTIALS = { clientId: 'tiki-client', clientSecret: 'tiki-secret' };
let queue: FakeTikiQueue;
let t: TestApp;
let make: ReturnType<typeof factories>;
const SELLER = '555001';

const env = (overrides: Record<string, string> = {}) => ({
  ...TEST_PLATFORM_ENV,
  TIKI_CLIENT_ID: CREDENTIALS.clientId,
  TIKI_CLIENT_SECRET: CREDENTIALS.clientSecret,
  TIKI_API_BASE_URL: queue.url,
  TIKI_PULL_INTERVAL_MS: '0',
  ...overrides,
});

beforeAll(async () => {
  queue = await startFakeTikiQueue(CREDENTIALS);
  t = await startTestApp({ platformEnv: env() });
  make = factories(t.orm);
  await make.channel({ platform: Platform.TIKI, externalShopId: SELLER });
});
afterAll(async () => {
  await t.close();
  await queue.close();
});

let counter = 0;
const tikiEvent = (
  orderCode: string,
  status: string,
  at: string,
  id = `evt-${(counter += 1)}`,
) => ({
  id,
  type: 'ORDER_STATUS_UPDATED',
  seller_id: SELLER,
  created_at: at,
  payload: { order_code: orderCode, status },
});
const orderCode = () => `${Date.now()}${(counter += 1)}`;

const puller = (app: TestApp = t) => {
  if (!app.app.tikiPuller) throw new Error('the Tiki puller is not configured');
  return app.app.tikiPuller;
};

const stateOf = async (code: string) => {
  const em = t.orm.em.fork();
  const orders = await em.find(Order, { platform: Platform.TIKI, externalId: code });
  return {
    orders: orders.length,
    status: orders[0]?.status,
    events: orders[0] ? await em.count(OrderStatusEvent, { order: orders[0].id }) : 0,
  };
};

test('a pulled event creates the order, and the batch is acknowledged once stored', async () => {
  const code = orderCode();
  queue.enqueue(tikiEvent(code, 'queueing', '2026-11-20T10:00:00+07:00'));
  const result = await puller().pullOnce();
  expect(result).toMatchObject({ pulled: 1, stored: 1, duplicates: 0 });
  expect(await stateOf(code)).toEqual({ orders: 1, status: 'CONFIRMED', events: 1 });
  expect(queue.pending()).toEqual([]);
});

test('one event delivered three times, in sequence and by two instances at once, gives one order, one status event and one subscription event', async () => {
  const code = orderCode();
  const event = tikiEvent(code, 'handover_to_partner', '2026-11-20T11:00:00+07:00');
  const second = await startTestApp({ database: t.database, platformEnv: env() });
  const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
  const sub = ws.subscribe('subscription { orderEvents { rawStatus order { externalId } } }');
  // A live subscriber is registered once the shared tail has read its position.
  await waitFor(() => t.bus.activeSubscriptions >= 2);
  await new Promise((resolve) => setTimeout(resolve, 100));
  try {
    for (let i = 0; i < 3; i += 1) {
      queue.enqueue(event);
      await puller().pullOnce();
    }
    queue.enqueue(event, event);
    await Promise.all([puller().pullOnce(), puller(second).pullOnce(), puller().pullOnce()]);
    for (let i = 0; i < 5 && queue.pending().length > 0; i += 1) await puller().pullOnce();
    expect(queue.pending()).toEqual([]);
    expect(await stateOf(code)).toEqual({ orders: 1, status: 'SHIPPED', events: 1 });
    await waitFor(() => sub.events.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sub.events.map((e) => e.data)).toEqual([
      { orderEvents: { rawStatus: 'handover_to_partner', order: { externalId: code } } },
    ]);
  } finally {
    await ws.client.dispose();
    await second.close();
  }
});

test('an older status pulled after a newer one does not move the order backwards', async () => {
  const code = orderCode();
  queue.enqueue(
    tikiEvent(code, 'shipping', '2026-11-20T12:00:00+07:00'),
    tikiEvent(code, 'packaging', '2026-11-20T09:00:00+07:00'),
  );
  await puller().pullOnce();
  const state = await stateOf(code);
  expect(state).toEqual({ orders: 1, status: 'SHIPPED', events: 2 });
  const history = await t.orm.em
    .fork()
    .find(OrderStatusEvent, { order: { externalId: code } }, { orderBy: { eventTime: 'asc' } });
  expect(history.map((h) => [h.rawStatus, h.applied])).toEqual([
    ['packaging', false],
    ['shipping', true],
  ]);
});

test('wrong client credentials write nothing and acknowledge nothing', async () => {
  const wrong = await startTestApp({
    database: t.database,
    platformEnv: env({ TIKI_CLIENT_SECRET: 'not-the-secret' }),
  });
  const code = orderCode();
  const event = tikiEvent(code, 'queueing', '2026-11-20T10:00:00+07:00');
  queue.enqueue(event);
  try {
    const before = await t.orm.em.fork().count(InboundEvent, { platform: Platform.TIKI });
    await expect(puller(wrong).pullOnce()).rejects.toThrow(/refused the client credentials/);
    expect(await t.orm.em.fork().count(InboundEvent, { platform: Platform.TIKI })).toBe(before);
    expect(queue.pending()).toEqual([event]);
  } finally {
    await wrong.close();
    await puller().pullOnce(); // leave the queue empty for the other tests
  }
});

test('an event that cannot be read becomes a dead letter and is still acknowledged', async () => {
  queue.enqueue({ id: 'evt-broken', type: 'ORDER_STATUS_UPDATED', seller_id: SELLER, payload: {} });
  const result = await puller().pullOnce();
  expect(result.pulled).toBe(1);
  expect(queue.pending()).toEqual([]);
  const dead = await t.orm.em
    .fork()
    .find(InboundEvent, { platform: Platform.TIKI, status: InboundEventStatus.DEAD });
  expect(dead.some((row) => row.rawBody.includes('evt-broken'))).toBe(true);
});

test('the periodic puller drains the queue by itself', async () => {
  const auto = await startTestApp({
    database: t.database,
    platformEnv: env({ TIKI_PULL_INTERVAL_MS: '50' }),
  });
  try {
    const code = orderCode();
    queue.enqueue(tikiEvent(code, 'queueing', '2026-11-20T10:00:00+07:00'));
    for (let i = 0; i < 100 && (await stateOf(code)).orders === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(await stateOf(code)).toMatchObject({ orders: 1, status: 'CONFIRMED' });
  } finally {
    await auto.close();
  }
});

test('without Tiki credentials nothing is pulled, and POST /webhooks/tiki stays 404', async () => {
  const plain = await startTestApp({ database: t.database });
  try {
    expect(plain.app.tikiPuller).toBeNull();
    const pushed = await request(plain.app.httpServer)
      .post('/webhooks/tiki')
      .set('content-type', 'application/json')
      .send('{"order_code":"1","status":"queueing"}');
    expect(pushed.status).toBe(404);
  } finally {
    await plain.close();
  }
});
