import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { InboundEvent, Order, OrderStatusEvent } from '../src/entities';
import { InboundEventStatus, Platform } from '../src/entities/enums';
import { platformModules } from '../src/integrations';
import { namedShop } from '../src/integrations/payload';
import { retryInboundEvents } from '../src/jobs/retry-inbound-events.job';
import { inboundService } from '../src/services/orders/inbound.service';
import { inboxOf } from '../src/services/orders/inbound-store';
import { chatPushes } from './support/chat-pushes';
import { factories } from './support/factories';
import { fakeOrder, startFakePlatforms, type FakePlatforms } from './support/fake-platforms';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, TEST_PLATFORM_ENV, type SignedPush, postPush } from './support/webhooks';
import { subscriber, waitFor, waitForSubscriptions } from './support/ws';

let t: TestApp;
let make: ReturnType<typeof factories>;
// Sendo pushes are confirmed by fetching the order: the fake plays Sendo's order API.
let fake: FakePlatforms;
beforeAll(async () => {
  fake = await startFakePlatforms();
  t = await startTestApp({ platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env } });
  make = factories(t.orm);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const post = (push: SignedPush, path?: string) => postPush(t.app.httpServer, push, path);

const orderOf = (platform: Platform, shopId: string, externalId: string) =>
  t.orm.em.fork().findOne(Order, { platform, shopId, externalId });

const counts = async (platform: Platform, externalId: string) => {
  const em = t.orm.em.fork();
  const orders = await em.find(Order, { platform, externalId });
  return {
    orders: orders.length,
    events: orders[0] ? await em.count(OrderStatusEvent, { order: orders[0].id }) : 0,
  };
};

let sequence = 0;
const unique = () => `${Date.now()}${(sequence += 1)}`;

type Case = {
  platform: Platform;
  push: (shop: string, order: string, status: string, time: number, shopKey: string) => SignedPush;
  shopId: () => string;
  first: [raw: string, normalized: string];
  later: [raw: string, normalized: string];
};

const CASES: Case[] = [
  {
    platform: Platform.LAZADA,
    push: (s, o, st, ti) => pushes.lazada(s, o, st, ti),
    shopId: () => `2000${unique()}`,
    first: ['pending', 'CONFIRMED'],
    later: ['shipped', 'SHIPPED'],
  },
  {
    platform: Platform.SHOPEE,
    push: (s, o, st, ti) => pushes.shopee(s, o, st, ti),
    shopId: () => unique(),
    first: ['READY_TO_SHIP', 'CONFIRMED'],
    later: ['SHIPPED', 'SHIPPED'],
  },
  {
    platform: Platform.TIKTOK,
    push: (s, o, st, ti) => pushes.tiktok(s, o, st, ti),
    shopId: () => `749${unique()}`,
    first: ['AWAITING_SHIPMENT', 'CONFIRMED'],
    later: ['IN_TRANSIT', 'SHIPPED'],
  },
  {
    platform: Platform.SENDO,
    // Sendo is read back after each push: the fake holds the order as the push describes it.
    push: (s, o, st, ti, key) => {
      fake.addOrder(
        'sendo',
        fakeOrder({ shopId: s, externalId: o, status: st, updatedAt: new Date(ti * 1000) }),
      );
      return pushes.sendo(s, o, st, ti, key);
    },
    shopId: () => `8${unique().slice(-8)}`,
    first: ['2', 'CONFIRMED'],
    later: ['6', 'SHIPPED'],
  },
];

describe.each(CASES)('$platform pushes', ({ platform, push, shopId, first, later }) => {
  let shop: string;
  const shopKey = `sendo-key-${unique()}`;
  beforeAll(async () => {
    shop = shopId();
    await make.channel({ platform, externalShopId: shop, shopKey, shopSecret: 'sd-secret' });
  });

  test('a signed push creates the order; three deliveries, in sequence and at once, give one order, one status event and one subscription event', async () => {
    const order = `O${unique()}`;
    const baseline = t.bus.activeSubscriptions;
    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
    const sub = ws.subscribe('subscription { orderChanged { id status rawStatus } }');
    await waitForSubscriptions(t.bus, baseline, 1);
    const signed = push(shop, order, first[0], 1_718_000_000, shopKey);
    for (let i = 0; i < 3; i += 1) expect((await post(signed)).status).toBe(200);
    const concurrent = await Promise.all([post(signed), post(signed), post(signed)]);
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitFor(() => sub.events.length >= 1);
    const created = await orderOf(platform, shop, order);
    expect(created).toMatchObject({ status: first[1], rawStatus: first[0] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await counts(platform, order)).toEqual({ orders: 1, events: 1 });
    expect(sub.events).toHaveLength(1);
    expect(sub.events[0]!.data).toEqual({
      orderChanged: { id: created!.id, status: first[1], rawStatus: first[0] },
    });
    await ws.client.dispose();
  });

  test('an older status after a newer one does not move the order backwards', async () => {
    const order = `O${unique()}`;
    expect((await post(push(shop, order, later[0], 1_718_000_500, shopKey))).status).toBe(200);
    // Let the newer status land first: this test is about the lattice, not arrival races.
    for (let i = 0; i < 100 && !(await orderOf(platform, shop, order)); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stale = push(shop, order, first[0], 1_718_000_100, shopKey);
    expect((await post(stale)).status).toBe(200);
    const em = t.orm.em.fork();
    let stored: Order | null = null;
    for (let i = 0; i < 100; i += 1) {
      stored = await em.fork().findOne(Order, { platform, externalId: order });
      const events = stored ? await em.fork().count(OrderStatusEvent, { order: stored.id }) : 0;
      if (events === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(stored).toMatchObject({ status: later[1], rawStatus: later[0] });
    const history = await em
      .fork()
      .find(OrderStatusEvent, { order: stored!.id }, { orderBy: { receivedAt: 'asc' } });
    expect(history.map((h) => [h.rawStatus, h.applied])).toEqual([
      [later[0], true],
      [first[0], false],
    ]);
  });

  test('one changed byte in the signed content (Sendo: the shop key) is 401 and writes nothing', async () => {
    const signed = push(shop, `O${unique()}`, first[0], 1_718_000_000, shopKey);
    const before = await t.orm.em.fork().count(InboundEvent, { platform });
    const body = Buffer.from(signed.body);
    // Sendo signs nothing: its one secret in the body is the shop key, so that is what changes.
    const at = body.indexOf(Buffer.from(platform === Platform.SENDO ? shopKey : first[0]));
    body[at] = body[at]! ^ 0x01;
    const res = await post({ ...signed, body });
    expect(res.status).toBe(401);
    expect(await t.orm.em.fork().count(InboundEvent, { platform })).toBe(before);
  });
});

describe('receivers', () => {
  test("an order's pushes sent one after another are applied in that order, while other orders' apply beside them", async () => {
    const shop = unique();
    await make.channel({ platform: Platform.LAZADA, externalShopId: shop });
    const steps = ['pending', 'packed', 'ready_to_ship'];
    const orders = Array.from({ length: 12 }, () => `Q${unique()}`);
    await Promise.all(
      orders.map(async (order) => {
        for (const [i, status] of steps.entries()) {
          expect((await post(pushes.lazada(shop, order, status, 1_718_500_000 + i))).status).toBe(
            200,
          );
        }
      }),
    );
    const appliedOf = async (order: string) =>
      (
        await t.orm.em
          .fork()
          .find(
            OrderStatusEvent,
            { order: { externalId: order, shopId: shop }, applied: true },
            { orderBy: { sequence: 'asc' } },
          )
      ).map((event) => event.rawStatus);
    for (const order of orders) {
      for (let i = 0; i < 200 && (await appliedOf(order)).length < steps.length; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // None was dropped as stale: each status moved the order, in the order it was sent.
      expect(await appliedOf(order)).toEqual(steps);
    }
  });

  test('GET /metrics counts answers per platform, refused ones included', async () => {
    const refusedLazada = async () => {
      const text = (await request(t.app.httpServer).get('/metrics')).text;
      const line =
        /http_requests_total\{method="POST",route="\/webhooks\/lazada",status="401"\} (\d+)/.exec(
          text,
        );
      return Number(line?.[1] ?? 0);
    };
    const before = await refusedLazada();
    const push = pushes.lazada(unique(), `O${unique()}`, 'pending', 1_718_000_000);
    const tampered = { ...push, headers: { authorization: '0'.repeat(64) } };
    expect((await post(tampered)).status).toBe(401);
    // A compressed body too, which the body parser inflates.
    const zipped = await request(t.app.httpServer)
      .post('/webhooks/lazada')
      .set('content-type', 'application/octet-stream')
      .set('content-encoding', 'gzip')
      .set(tampered.headers)
      .send(gzipSync(tampered.body));
    expect(zipped.status).toBe(401);
    expect(await refusedLazada()).toBe(before + 2);
  });

  test('an unknown platform is 404; Tiki is pulled, not pushed', async () => {
    expect((await request(t.app.httpServer).post('/webhooks/amazon').send('{}')).status).toBe(404);
    expect((await request(t.app.httpServer).post('/webhooks/tiki').send('{}')).status).toBe(404);
  });

  test('a push is answered with its request id, and a compressed or oversized push is read as the body parser reads it', async () => {
    const shop = unique();
    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const plain = pushes.shopee(shop, `O${unique()}`, 'SHIPPED', 1_718_000_000);
    const answered = await post(plain).set('x-request-id', 'push-42');
    expect(answered.status).toBe(200);
    expect(answered.headers['x-request-id']).toBe('push-42');
    expect(answered.text).toBe('');

    const order = `O${unique()}`;
    const zipped = pushes.shopee(shop, order, 'SHIPPED', 1_718_000_000);
    const res = await request(t.app.httpServer)
      .post('/webhooks/shopee')
      // Not JSON for superagent, which would re-serialize a Buffer.
      .set('content-type', 'application/octet-stream')
      .set('content-encoding', 'gzip')
      .set(zipped.headers)
      .send(gzipSync(zipped.body));
    expect(res.status).toBe(200);
    let applied: Order | null = null;
    for (let i = 0; i < 100 && !applied; i += 1) {
      applied = await orderOf(Platform.SHOPEE, shop, order);
      if (!applied) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(applied).toMatchObject({ status: 'SHIPPED' });

    const huge = await request(t.app.httpServer)
      .post('/webhooks/shopee')
      .set('content-type', 'application/json')
      .send(`{"pad":"${'x'.repeat(1024 * 1024)}"}`);
    expect(huge.status).toBe(413);
  });

  test('a missing or garbled signature is 401', async () => {
    const signed = pushes.shopee('1', 'X', 'READY_TO_SHIP', 1);
    expect((await post({ ...signed, headers: {} })).status).toBe(401);
    expect((await post({ ...signed, headers: { authorization: 'zz' } })).status).toBe(401);
  });

  test('a push for a shop that is not connected is kept and dead-lettered with the reason, then replayable', async () => {
    const shop = unique();
    const order = `O${unique()}`;
    expect((await post(pushes.shopee(shop, order, 'SHIPPED', 1_718_000_000))).status).toBe(200);
    let failed: InboundEvent | null = null;
    for (let i = 0; i < 100 && !failed; i += 1) {
      failed = await t.orm.em
        .fork()
        .findOne(InboundEvent, { shopId: shop, status: { $ne: InboundEventStatus.RECEIVED } });
      if (!failed) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(failed).toMatchObject({ status: InboundEventStatus.FAILED, attempts: 1 });
    expect(failed!.lastError).toMatch(/no connected SHOPEE channel for shop/);

    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const listed = await t.gql<{
      inboundEvents: { edges: { node: { id: string; status: string; lastError: string } }[] };
    }>(
      '{ inboundEvents(filter: { statuses: [FAILED], platforms: [SHOPEE] }, first: 100) { edges { node { id status lastError } } } }',
    );
    expect(listed.data!.inboundEvents.edges.map((e) => e.node.id)).toContain(failed!.id);
    const replayed = await t.gql<{ replayInboundEvent: { status: string } }>(
      'mutation($id: ID!) { replayInboundEvent(id: $id) { status attempts } }',
      { id: failed!.id },
    );
    expect(replayed.data!.replayInboundEvent.status).toBe('APPLIED');
    expect(await orderOf(Platform.SHOPEE, shop, order)).toMatchObject({ status: 'SHIPPED' });
    const again = await t.gql<{ replayInboundEvent: { status: string } }>(
      'mutation($id: ID!) { replayInboundEvent(id: $id) { status } }',
      { id: failed!.id },
    );
    expect(again.data!.replayInboundEvent.status).toBe('APPLIED');
    expect(await counts(Platform.SHOPEE, order)).toEqual({ orders: 1, events: 1 });
  });

  test('a verified but unreadable push is a dead letter with the validation error', async () => {
    const shop = unique();
    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const signed = pushes.shopee(shop, 'O', 'NOT_A_STATUS', 1_718_000_000);
    expect((await post(signed)).status).toBe(200);
    const dead = await t.orm.em.fork().findOne(InboundEvent, {
      platform: Platform.SHOPEE,
      status: InboundEventStatus.DEAD,
      rawBody: signed.body.toString(),
    });
    expect(dead?.lastError).toMatch(/payload rejected: .*NOT_A_STATUS/);
  });

  test.each([
    ['lazada', () => pushes.lazada(`2000${unique()}`, 'O', 'NOT_A_STATUS', 1_718_000_000)],
    ['shopee', () => pushes.shopee(unique(), 'O', 'NOT_A_STATUS', 1_718_000_000)],
    ['tiktok', () => pushes.tiktok(`7000${unique()}`, 'O', 'NOT_A_STATUS', 1_718_000_000)],
    ['facebook', () => chatPushes.messenger(`page${unique()}`, 'psid-1', '', 'Chào shop')],
    ['zalo', () => chatPushes.zalo(`oa${unique()}`, `u${unique()}`, '', 'Chào shop')],
  ])('an unreadable %s push is a dead letter of the shop it names', async (_platform, build) => {
    const signed = build();
    const shop = namedShop(JSON.parse(signed.body.toString('utf8')));
    expect(shop).toBeDefined();
    expect((await post(signed)).status).toBe(200);
    const dead = await t.orm.em.fork().findOne(InboundEvent, {
      status: InboundEventStatus.DEAD,
      rawBody: signed.body.toString(),
    });
    expect(dead).toMatchObject({
      shopId: shop,
      lastError: expect.stringMatching(/^payload rejected: /),
    });
  });

  test('a receiver whose secret is unset answers 503 naming the variable', async () => {
    const bare = await startTestApp({ platformEnv: {} });
    try {
      const res = await request(bare.app.httpServer).post('/webhooks/lazada').send('{}');
      expect(res.status).toBe(503);
      expect(res.body.error).toMatch(/LAZADA_APP_KEY and LAZADA_APP_SECRET are set/);
    } finally {
      await bare.close();
    }
  });

  test('pushes above the per-shop rate get 429 with Retry-After', async () => {
    const slow = await startTestApp({
      platformEnv: {
        ...TEST_PLATFORM_ENV,
        WEBHOOK_RATE_LIMIT_PER_SECOND: '3',
      },
    });
    try {
      const shop = unique();
      const statuses = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          request(slow.app.httpServer)
            .post('/webhooks/shopee')
            .set(pushes.shopee(shop, `O${i}`, 'SHIPPED', 1).headers)
            .set('content-type', 'application/json')
            .send(pushes.shopee(shop, `O${i}`, 'SHIPPED', 1).body.toString('utf8')),
        ),
      );
      const limited = statuses.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThanOrEqual(1);
      expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await slow.close();
    }
  });
});

describe('after a crash', () => {
  test('a push stored but never applied is applied once by the retry job, and only once', async () => {
    const shop = unique();
    const order = `O${unique()}`;
    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    // As if the process died between the acknowledgement and the apply.
    const signed = pushes.shopee(shop, order, 'SHIPPED', 1_718_000_000);
    const stored = await inboundService.receive(inboxOf(t.orm.em.fork()), platformModules.shopee, {
      rawBody: signed.body,
      headers: signed.headers,
    });
    expect(stored.stored).toHaveLength(1);
    expect(await orderOf(Platform.SHOPEE, shop, order)).toBeNull();

    const later = new Date(Date.now() + 60_000);
    const first = await retryInboundEvents(t.orm, t.bus, 3, later);
    expect(first.applied).toBeGreaterThanOrEqual(1);
    expect(await orderOf(Platform.SHOPEE, shop, order)).toMatchObject({ status: 'SHIPPED' });
    await retryInboundEvents(t.orm, t.bus, 3, later);
    expect(await counts(Platform.SHOPEE, order)).toEqual({ orders: 1, events: 1 });
    const inbound = await t.orm.em.fork().findOneOrFail(InboundEvent, stored.stored[0]!);
    expect(inbound).toMatchObject({ status: InboundEventStatus.APPLIED, attempts: 1 });
  });
});

describe('integration health', () => {
  test("channels shows each shop's last push, pushes and failures in the last hour, dead letters and token expiry", async () => {
    const shop = unique();
    const channel = await make.channel({
      platform: Platform.SHOPEE,
      externalShopId: shop,
      tokenExpiresAt: new Date(Date.now() + 3.5 * 86_400_000),
    });
    await post(pushes.shopee(shop, `O${unique()}`, 'SHIPPED', 1_718_000_000));
    await post(pushes.shopee(shop, `O${unique()}`, 'IN_CANCEL', 1_718_000_000));
    await post(pushes.shopee(shop, `O${unique()}`, 'NOT_A_STATUS', 1_718_000_000));
    let health:
      | {
          channel: { id: string };
          pushesLastHour: number;
          failuresLastHour: number;
          deadLetters: number;
          lastPushAt: string | null;
          tokenExpiresInDays: number;
        }
      | undefined;
    for (let i = 0; i < 100; i += 1) {
      const res = await t.gql<{ channels: NonNullable<typeof health>[] }>(
        '{ channels { channel { id } lastPushAt pushesLastHour failuresLastHour deadLetters tokenExpiresInDays } }',
      );
      health = res.data!.channels.find((c) => c.channel.id === channel.id);
      if (health && health.failuresLastHour === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The unreadable push is a dead letter of the shop it names; the flag waits for its order.
    expect(health).toMatchObject({
      pushesLastHour: 3,
      failuresLastHour: 2,
      deadLetters: 1,
      tokenExpiresInDays: 3,
    });
    expect(health!.lastPushAt).not.toBeNull();
  });
});
