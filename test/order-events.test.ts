import { Order, OrderStatusEvent } from '../src/entities';
import { Platform } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, TEST_PLATFORM_ENV, type SignedPush, postPush } from './support/webhooks';
import { subscriber, waitFor, type Received } from './support/ws';

/**
 * orderEvents: the resumable order stream for partner apps. Status changes
 * arrive as signed pushes over HTTP and leave through a real graphql-ws
 * client; a client that comes back with its last cursor gets exactly what
 * it missed, in order, then the live events.
 */
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  // Bursts of 100 pushes for one shop: above the default per-shop limit of 100/s.
  t = await startTestApp({
    platformEnv: { ...TEST_PLATFORM_ENV, WEBHOOK_RATE_LIMIT_PER_SECOND: '10000' },
  });
  make = factories(t.orm);
});
afterAll(() => t.close());

const post = (push: SignedPush) => postPush(t.app.httpServer, push);

let counter = 0;
const unique = () => `${Date.now()}${(counter += 1)}`;

const EVENT_FIELDS = 'cursor status rawStatus platform order { id externalId }';
type Delivered = {
  cursor: string;
  status: string;
  rawStatus: string;
  platform: string;
  order: { id: string; externalId: string } | null;
};
const delivered = (events: Received[]): Delivered[] =>
  events.map((event) => {
    expect(event.errors).toBeUndefined();
    return (event.data as { orderEvents: Delivered }).orderEvents;
  });

const appliedEvents = (orderIds?: string[]) =>
  t.orm.em
    .fork()
    .count(
      OrderStatusEvent,
      orderIds ? { order: { $in: orderIds }, applied: true } : { applied: true },
    );

/** Pushes and waits until every one is applied (committed with its sequence). */
async function pushAll(list: SignedPush[], expectedEvents: () => Promise<boolean>): Promise<void> {
  for (const push of list) expect((await post(push)).status).toBe(200);
  for (let i = 0; i < 300 && !(await expectedEvents()); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(await expectedEvents()).toBe(true);
}

const LAZADA_STEPS = ['pending', 'packed', 'ready_to_ship', 'shipped', 'delivered'];

describe('orderEvents', () => {
  let shop: string;
  let channelId: string;
  beforeAll(async () => {
    shop = `3000${unique()}`;
    channelId = (await make.channel({ platform: Platform.LAZADA, externalShopId: shop })).id;
  });

  /** A live subscriber that has received its first event: its cursor is where a resume starts. */
  async function firstCursor(auth: Record<string, unknown>, variables?: Record<string, unknown>) {
    const ws = subscriber(t.wsUrl, auth);
    const sub = ws.subscribe(
      `subscription($filter: OrderEventFilter) { orderEvents(filter: $filter) { ${EVENT_FIELDS} } }`,
      variables,
    );
    const orderNumber = `L${unique()}`;
    // The subscription registers asynchronously; keep pushing newer statuses until one arrives.
    let lastPushed = '';
    for (let i = 0; i < LAZADA_STEPS.length && sub.events.length === 0; i += 1) {
      lastPushed = LAZADA_STEPS[i]!;
      await post(pushes.lazada(shop, orderNumber, lastPushed, 1_718_000_000 + i));
      await waitFor(() => sub.events.length > 0, 1_000).catch(() => undefined);
    }
    expect(delivered(sub.events)[0]).toBeDefined();
    // A push whose event came after the 1 s wait is applied too: the resume cursor is
    // the newest event, which every status pushed once the subscription listened reaches.
    await waitFor(() => delivered(sub.events).at(-1)?.rawStatus === lastPushed, 10_000);
    const last = delivered(sub.events).at(-1);
    await ws.client.dispose();
    return last!.cursor;
  }

  test('a subscriber that misses 100 status changes gets exactly those 100 in order on resume, then live ones', async () => {
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const cursor = await firstCursor(auth);

    // 20 orders x 5 statuses while nobody listens.
    const missed: SignedPush[] = [];
    const orderNumbers = Array.from({ length: 20 }, () => `M${unique()}`);
    LAZADA_STEPS.forEach((status, step) => {
      for (const number of orderNumbers) {
        missed.push(pushes.lazada(shop, number, status, 1_718_100_000 + step * 10));
      }
    });
    const missedOrders = async () =>
      (await t.orm.em.fork().find(Order, { externalId: { $in: orderNumbers } })).map((o) => o.id);
    await pushAll(missed, async () => {
      const ids = await missedOrders();
      return ids.length === 20 && (await appliedEvents(ids)) === 100;
    });

    const ws = subscriber(t.wsUrl, auth);
    const sub = ws.subscribe(
      `subscription($after: String) { orderEvents(after: $after) { ${EVENT_FIELDS} } }`,
      { after: cursor },
    );
    await waitFor(() => sub.events.length >= 100, 10_000);
    const replayed = delivered(sub.events);
    expect(replayed).toHaveLength(100);
    // Per order, the five statuses in the order they happened.
    for (const number of orderNumbers) {
      expect(
        replayed.filter((event) => event.order?.externalId === number).map((e) => e.rawStatus),
      ).toEqual(LAZADA_STEPS);
    }
    expect(new Set(replayed.map((event) => event.cursor)).size).toBe(100);

    const liveNumber = `N${unique()}`;
    await post(pushes.lazada(shop, liveNumber, 'pending', 1_718_200_000));
    await waitFor(() => sub.events.length >= 101, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = delivered(sub.events);
    expect(all).toHaveLength(101);
    expect(all[100]).toMatchObject({ rawStatus: 'pending', order: { externalId: liveNumber } });
    await ws.client.dispose();
  });

  test('events committed while a resumed subscriber catches up are delivered once, in order', async () => {
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const cursor = await firstCursor(auth);
    const numbers = Array.from({ length: 30 }, () => `C${unique()}`);
    const before = (status: string, step: number) =>
      numbers.map((n) => pushes.lazada(shop, n, status, 1_718_300_000 + step));
    const ids = async () =>
      (await t.orm.em.fork().find(Order, { externalId: { $in: numbers } })).map((o) => o.id);
    await pushAll(before('pending', 0), async () => (await appliedEvents(await ids())) === 30);

    const ws = subscriber(t.wsUrl, auth);
    const sub = ws.subscribe(
      `subscription($after: String) { orderEvents(after: $after) { ${EVENT_FIELDS} } }`,
      { after: cursor },
    );
    // Racing the catch-up: the next two steps arrive while it reads.
    await Promise.all([...before('packed', 1), ...before('shipped', 2)].map(post));
    await waitFor(() => sub.events.length >= 90, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const got = delivered(sub.events);
    expect(got).toHaveLength(90);
    expect(new Set(got.map((event) => event.cursor)).size).toBe(90);
    for (const number of numbers) {
      const statuses = got.filter((e) => e.order?.externalId === number).map((e) => e.rawStatus);
      // Concurrent pushes of one order may arrive in either order; the lattice
      // keeps only forward moves, and the stream shows them in commit order.
      expect(statuses[0]).toBe('pending');
      expect(statuses.length).toBeGreaterThanOrEqual(2);
      expect(statuses.at(-1)).toBe('shipped');
    }
    await ws.client.dispose();
  });

  test('the filter narrows both the catch-up and the live events', async () => {
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const cursor = await firstCursor(auth);
    const [watched, other] = [`W${unique()}`, `X${unique()}`];
    await pushAll(
      [watched, other].flatMap((n) => [
        pushes.lazada(shop, n, 'pending', 1_718_400_000),
        pushes.lazada(shop, n, 'shipped', 1_718_400_010),
      ]),
      async () =>
        (await t.orm.em.fork().count(Order, { externalId: { $in: [watched, other] } })) === 2,
    );
    const watchedId = (await t.orm.em.fork().findOneOrFail(Order, { externalId: watched })).id;
    const ws = subscriber(t.wsUrl, auth);
    const sub = ws.subscribe(
      `subscription($after: String, $filter: OrderEventFilter) { orderEvents(after: $after, filter: $filter) { ${EVENT_FIELDS} } }`,
      { after: cursor, filter: { orderIds: [watchedId], statuses: ['SHIPPED', 'DELIVERED'] } },
    );
    await waitFor(() => sub.events.length >= 1, 5_000);
    await post(pushes.lazada(shop, other, 'delivered', 1_718_400_020));
    await post(pushes.lazada(shop, watched, 'delivered', 1_718_400_020));
    await waitFor(() => sub.events.length >= 2, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered(sub.events).map((e) => [e.order?.externalId, e.status])).toEqual([
      [watched, 'SHIPPED'],
      [watched, 'DELIVERED'],
    ]);
    await ws.client.dispose();
  });

  test('a partner key sees the events of its own channels only, in the catch-up and live', async () => {
    const otherShop = `3100${unique()}`;
    await make.channel({ platform: Platform.LAZADA, externalShopId: otherShop });
    const created = await t.gql<{ createApiKey: { secret: string } }>(
      'mutation($ids: [ID!]!) { createApiKey(name: "partner app", channelIds: $ids) { secret } }',
      { ids: [channelId] },
    );
    const apiKey = created.data!.createApiKey.secret;
    const cursor = await firstCursor({ apiKey });
    const mine = `P${unique()}`;
    const theirs = `Q${unique()}`;
    await pushAll(
      [
        pushes.lazada(otherShop, theirs, 'pending', 1_718_500_000),
        pushes.lazada(shop, mine, 'pending', 1_718_500_000),
      ],
      async () =>
        (await t.orm.em.fork().count(Order, { externalId: { $in: [mine, theirs] } })) === 2,
    );
    const ws = subscriber(t.wsUrl, { apiKey });
    const sub = ws.subscribe(
      `subscription($after: String) { orderEvents(after: $after) { ${EVENT_FIELDS} } }`,
      { after: cursor },
    );
    await waitFor(() => sub.events.length >= 1, 5_000);
    await post(pushes.lazada(otherShop, theirs, 'shipped', 1_718_500_010));
    await post(pushes.lazada(shop, mine, 'shipped', 1_718_500_010));
    await waitFor(() => sub.events.length >= 2, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered(sub.events).map((e) => [e.order?.externalId, e.rawStatus])).toEqual([
      [mine, 'pending'],
      [mine, 'shipped'],
    ]);
    await ws.client.dispose();
  });

  test.each([
    ['a malformed cursor', { after: 'not-a-cursor' }],
    ['a cursor of another list', { after: Buffer.from('{"f":"x"}').toString('base64url') }],
    ['a malformed order id', { filter: { orderIds: ['42'] } }],
  ])('%s is BAD_USER_INPUT', async (_name, variables) => {
    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
    const sub = ws.subscribe(
      'subscription($after: String, $filter: OrderEventFilter) { orderEvents(after: $after, filter: $filter) { cursor } }',
      variables,
    );
    await waitFor(() => sub.error !== undefined || sub.events.length > 0);
    const errors = (sub.error as Received['errors']) ?? sub.events[0]?.errors;
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await ws.client.dispose();
  });
});

describe('the order event log', () => {
  test('sequence numbers follow commit order, not insert order', async () => {
    const channel = await make.channel({ platform: Platform.SHOPEE, externalShopId: unique() });
    const order = await make.order({ channel });
    const first = t.orm.em.fork();
    const second = t.orm.em.fork();
    const insert = (em: typeof first, key: string) =>
      em.execute(
        `insert into "order_status_event" ("id", "order_id", "raw_status", "status", "applied", "event_time", "received_at", "event_key")
         values (gen_random_uuid(), ?, 'SHIPPED', 'SHIPPED', true, now(), now(), ?)`,
        [order.id, key],
      );
    let releaseFirst = () => undefined as void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInserted = () => undefined as void;
    const firstDidInsert = new Promise<void>((resolve) => (firstInserted = resolve));
    const firstTx = first.transactional(async (tx) => {
      await insert(tx, 'inserted-first');
      firstInserted();
      await firstHolds;
    });
    await firstDidInsert;
    await second.transactional((tx) => insert(tx, 'inserted-second'));
    releaseFirst();
    await firstTx;
    const rows = await t.orm.em
      .fork()
      .find(OrderStatusEvent, { eventKey: { $in: ['inserted-first', 'inserted-second'] } });
    const sequenceOf = (key: string) => rows.find((row) => row.eventKey === key)!.sequence!;
    expect(sequenceOf('inserted-second')).toBeLessThan(sequenceOf('inserted-first'));
  });
});
