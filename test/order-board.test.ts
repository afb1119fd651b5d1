import { Platform, OrderStatus } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, sendPush, TEST_PLATFORM_ENV, type SignedPush } from './support/webhooks';
import { subscriber, waitFor } from './support/ws';
import { OrderStatusEvent } from '../src/entities';

/**
 * The dashboard's reads: the board of orders by platform and status, and the
 * latest order events whose newest cursor resumes `orderEvents` with no gap.
 */
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp({ platformEnv: TEST_PLATFORM_ENV });
  make = factories(t.orm);
});
afterAll(() => t.close());

type Cell = { platform: string; status: string; orders: number };
const board = async (auth?: Parameters<TestApp['gql']>[2], args = '') => {
  const result = await t.gql<{ orderStatusBoard: Cell[] }>(
    `{ orderStatusBoard${args} { platform status orders } }`,
    {},
    auth,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.orderStatusBoard;
};

const post = async (push: SignedPush) => {
  expect((await sendPush(t.httpUrl, push)).status).toBe(200);
};

describe('orderStatusBoard', () => {
  test('counts every order of the scope once, by platform and current status, as orders(filter) does', async () => {
    const lazada = await make.channel({ platform: Platform.LAZADA });
    const shopee = await make.channel({ platform: Platform.SHOPEE });
    for (const status of [OrderStatus.CONFIRMED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED]) {
      await make.order({ channel: lazada }, { status });
    }
    await make.order({ channel: shopee }, { status: OrderStatus.CANCELLED });

    const cells = await board();
    for (const cell of cells) {
      const listed = await t.gql<{ orders: { totalCount: number } }>(
        'query($f: OrderFilter) { orders(filter: $f, first: 1) { totalCount } }',
        { f: { platforms: [cell.platform], statuses: [cell.status] } },
      );
      expect(cell.orders).toBe(listed.data!.orders.totalCount);
      expect(cell.orders).toBeGreaterThan(0);
    }
    const mine = await board(undefined, `(channelIds: ["${lazada.id}"])`);
    expect(mine).toEqual([
      { platform: 'LAZADA', status: 'CONFIRMED', orders: 2 },
      { platform: 'LAZADA', status: 'SHIPPED', orders: 1 },
    ]);
    expect(
      await board(undefined, `(channelIds: ["${lazada.id}"], placedFrom: "2100-01-01T00:00:00Z")`),
    ).toEqual([]);
  });

  test("a partner key counts its own channels' orders only", async () => {
    const own = await make.channel({ platform: Platform.TIKTOK });
    const other = await make.channel({ platform: Platform.TIKTOK });
    await make.order({ channel: own }, { status: OrderStatus.PACKED });
    await make.order({ channel: other }, { status: OrderStatus.PACKED });
    const created = await t.gql<{ createApiKey: { secret: string } }>(
      'mutation($ids: [ID!]!) { createApiKey(name: "board partner", channelIds: $ids) { secret } }',
      { ids: [own.id] },
    );
    const cells = await board({ apiKey: created.data!.createApiKey.secret });
    expect(cells).toEqual([{ platform: 'TIKTOK', status: 'PACKED', orders: 1 }]);
  });

  test('a bad channel id is BAD_USER_INPUT', async () => {
    const result = await t.gql('{ orderStatusBoard(channelIds: ["nope"]) { orders } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('recentOrderEvents', () => {
  test('newest first; subscribing after the newest cursor delivers what follows, nothing before it', async () => {
    const shop = `55${Date.now()}`;
    await make.channel({ platform: Platform.LAZADA, externalShopId: shop });
    const order = `R${Date.now()}`;
    const steps = ['pending', 'packed', 'ready_to_ship'];
    for (const [i, status] of steps.entries()) {
      await post(pushes.lazada(shop, order, status, 1_718_200_000 + i));
    }
    await waitFor(() => true);
    const applied = async () =>
      t.orm.em.fork().count(OrderStatusEvent, { order: { externalId: order }, applied: true });
    for (let i = 0; i < 200 && (await applied()) < 3; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const recent = await t.gql<{
      recentOrderEvents: { cursor: string; rawStatus: string; order: { externalId: string } }[];
    }>('{ recentOrderEvents(first: 3) { cursor rawStatus order { externalId } } }');
    expect(recent.errors).toBeUndefined();
    const events = recent.data!.recentOrderEvents;
    expect(events.map((e) => e.rawStatus)).toEqual(['ready_to_ship', 'packed', 'pending']);
    expect(events.every((e) => e.order.externalId === order)).toBe(true);

    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
    const sub = ws.subscribe(
      'subscription($after: String) { orderEvents(after: $after) { rawStatus order { externalId } } }',
      { after: events[0]!.cursor },
    );
    await post(pushes.lazada(shop, order, 'shipped', 1_718_200_010));
    await waitFor(() => sub.events.length >= 1, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      sub.events.map(
        (e) => (e.data as { orderEvents: { rawStatus: string } }).orderEvents.rawStatus,
      ),
    ).toEqual(['shipped']);
    await ws.client.dispose();
  });

  test('a partner key reads its own channels only', async () => {
    const own = await make.channel({
      platform: Platform.LAZADA,
      externalShopId: `56${Date.now()}`,
    });
    const created = await t.gql<{ createApiKey: { secret: string } }>(
      'mutation($ids: [ID!]!) { createApiKey(name: "recent partner", channelIds: $ids) { secret } }',
      { ids: [own.id] },
    );
    const apiKey = created.data!.createApiKey.secret;
    const before = await t.gql<{ recentOrderEvents: unknown[] }>(
      '{ recentOrderEvents { id } }',
      {},
      { apiKey },
    );
    expect(before.data!.recentOrderEvents).toEqual([]);
    await post(pushes.lazada(own.externalShopId, `P${Date.now()}`, 'pending', 1_718_300_000));
    let seen: { order: { channel: { id: string } } }[] = [];
    for (let i = 0; i < 200 && seen.length === 0; i += 1) {
      const result = await t.gql<{ recentOrderEvents: typeof seen }>(
        '{ recentOrderEvents { order { channel { id } } } }',
        {},
        { apiKey },
      );
      seen = result.data!.recentOrderEvents;
      if (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(seen.map((e) => e.order.channel.id)).toEqual([own.id]);
  });

  test.each([0, 101])('first: %i is BAD_USER_INPUT', async (first) => {
    const result = await t.gql(`{ recentOrderEvents(first: ${first}) { id } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
