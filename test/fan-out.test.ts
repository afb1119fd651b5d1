import { createClient } from 'graphql-ws';
import request from 'supertest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config';
import { Platform, Role } from '../src/entities/enums';
import { SLOW_CONSUMER_CLOSE_CODE } from '../src/realtime/fan-out';
import {
  PROCESS_FULL_CLOSE_CODE,
  VIEWER_SOCKETS_CLOSE_CODE,
} from '../src/realtime/graphql-ws-server';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { postPush, pushes, TEST_PLATFORM_ENV } from './support/webhooks';
import { subscriber, waitFor, type Received } from './support/ws';

/**
 * Subscriptions at scale, over real graphql-ws clients: equal subscribers
 * share one execution per event while each still gets only its own rows; a
 * socket that stops reading is closed 4011 instead of growing the server's
 * memory, and its orderEvents client resumes with every event exactly once;
 * the per-process and per-viewer caps close or refuse with their own codes.
 */
const defaults = loadConfig({}).subscriptions;
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp({
    platformEnv: { ...TEST_PLATFORM_ENV, WEBHOOK_RATE_LIMIT_PER_SECOND: '10000' },
    config: { subscriptions: { ...defaults, maxBufferedBytes: 16 * 1024 } },
  });
  make = factories(t.orm);
});
afterAll(() => t.close());

let counter = 0;
const unique = () => `${Date.now()}${(counter += 1)}`;

/** One series of /metrics, summed over its labels. */
async function metric(name: string, app: TestApp = t): Promise<number> {
  const text = (await request(app.app.httpServer).get('/metrics')).text;
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function partnerKey(channelIds: string[]): Promise<string> {
  const created = await t.gql<{ createApiKey: { secret: string } }>(
    'mutation($ids: [ID!]!) { createApiKey(name: "Fan-out", channelIds: $ids) { secret } }',
    { ids: channelIds },
  );
  expect(created.errors).toBeUndefined();
  return created.data!.createApiKey.secret;
}

type Event = { cursor: string; order: { externalId: string } | null };
const eventsOf = (received: Received[]): Event[] =>
  received.map((event) => {
    expect(event.errors).toBeUndefined();
    return (event.data as { orderEvents: Event }).orderEvents;
  });

test('viewers of one scope share an execution per event; each viewer gets only its own rows', async () => {
  const shopA = `5100${unique()}`;
  const shopB = `5200${unique()}`;
  const channelA = await make.channel({ platform: Platform.LAZADA, externalShopId: shopA });
  const channelB = await make.channel({ platform: Platform.LAZADA, externalShopId: shopB });
  const admins = [await make.user({ role: Role.ADMIN }), await make.user({ role: Role.ADMIN })];
  // Two keys of channel A are one scope class; the key of channel B is another.
  const keys = [
    await partnerKey([channelA.id]),
    await partnerKey([channelA.id]),
    await partnerKey([channelB.id]),
  ];
  const query = 'subscription { orderEvents { cursor order { externalId } } }';
  const clients = [
    ...admins.map((admin) => subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(admin)}` })),
    ...keys.map((apiKey) => subscriber(t.wsUrl, { apiKey })),
  ];
  const subs = clients.map((client) => client.subscribe(query));
  // Registered once every client has seen a warm-up event of its scope.
  for (let i = 0; subs.some((sub) => sub.events.length === 0) && i < 50; i += 1) {
    await postPush(
      t.app.httpServer,
      pushes.lazada(shopA, `W${unique()}`, 'pending', 1_718_000_000),
    );
    await postPush(
      t.app.httpServer,
      pushes.lazada(shopB, `W${unique()}`, 'pending', 1_718_000_000),
    );
    await waitFor(() => subs.every((sub) => sub.events.length > 0), 500).catch(() => undefined);
  }
  expect(subs.every((sub) => sub.events.length > 0)).toBe(true);
  // Three groups: the admins, the keys of channel A, the key of channel B.
  expect(await metric('subscription_groups')).toBe(3);
  expect(await metric('subscription_subscribers')).toBe(5);
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const sub of subs) sub.events.length = 0;

  const executionsBefore = await metric('subscription_executions_total');
  const deliveriesBefore = await metric('subscription_deliveries_total');
  const orderA = `A${unique()}`;
  const orderB = `B${unique()}`;
  expect(
    (await postPush(t.app.httpServer, pushes.lazada(shopA, orderA, 'pending', 1_718_000_100)))
      .status,
  ).toBe(200);
  expect(
    (await postPush(t.app.httpServer, pushes.lazada(shopB, orderB, 'pending', 1_718_000_100)))
      .status,
  ).toBe(200);
  const expected = [[orderA, orderB], [orderA, orderB], [orderA], [orderA], [orderB]];
  await waitFor(() => subs.every((sub, i) => sub.events.length >= expected[i]!.length), 5_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  subs.forEach((sub, i) => {
    expect(
      eventsOf(sub.events)
        .map((event) => event.order?.externalId)
        .sort(),
    ).toEqual([...expected[i]!].sort());
  });
  // A's event ran for the admins and for A's keys, B's for the admins and B's key:
  // four executions for seven deliveries.
  expect((await metric('subscription_executions_total')) - executionsBefore).toBe(4);
  expect((await metric('subscription_deliveries_total')) - deliveriesBefore).toBe(7);
  for (const client of clients) await client.client.dispose();
});

/** graphql-ws's socket, kept so the test can stop reading from it. */
class PausableSocket extends WebSocket {
  static last: PausableSocket | null = null;
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    PausableSocket.last = this;
  }
}

test('a socket that stops reading is closed 4011; its orderEvents client resumes with every event exactly once', async () => {
  const shop = `5300${unique()}`;
  await make.channel({ platform: Platform.LAZADA, externalShopId: shop });
  // 29 copies of the order per event make each message a few KiB.
  const copies = Array.from({ length: 29 }, (_, i) => `o${i}: order { id externalId status }`);
  const query = `subscription($after: String) { orderEvents(after: $after) { cursor order { externalId } ${copies.join(' ')} } }`;
  const received: Event[] = [];
  let closeCode: number | undefined;
  const slow = createClient({
    url: t.wsUrl,
    webSocketImpl: PausableSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${t.adminToken}` },
    on: { closed: (event) => (closeCode = (event as { code?: number }).code) },
  });
  slow.subscribe(
    { query },
    {
      next: (value) => received.push(...eventsOf([value as Received])),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  const pushed: string[] = [];
  const push = async () => {
    const order = `S${unique()}`;
    pushed.push(order);
    expect(
      (await postPush(t.app.httpServer, pushes.lazada(shop, order, 'pending', 1_718_000_000)))
        .status,
    ).toBe(200);
  };
  for (let i = 0; received.length === 0 && i < 50; i += 1) {
    await push();
    await waitFor(() => received.length > 0, 500).catch(() => undefined);
  }
  // Events before the first one delivered were pushed before the subscription listened.
  const firstOrder = received[0]!.order!.externalId;
  pushed.splice(0, pushed.indexOf(firstOrder));

  const socket = PausableSocket.last!;
  socket.pause();
  const slowClosesBefore = await metric('ws_slow_consumer_closes_total');
  for (let batch = 0; batch < 100; batch += 1) {
    await Promise.all(Array.from({ length: 20 }, push));
    if ((await metric('ws_slow_consumer_closes_total')) > slowClosesBefore) break;
  }
  expect(await metric('ws_slow_consumer_closes_total')).toBe(slowClosesBefore + 1);
  // The server's memory for it stays at the limit: nothing more is queued for it.
  socket.resume();
  await waitFor(() => closeCode !== undefined, 10_000);
  expect(closeCode).toBe(SLOW_CONSUMER_CLOSE_CODE);
  const beforeClose = received.length;
  expect(beforeClose).toBeLessThan(pushed.length);

  // More events while it is away, then it comes back from its last cursor.
  for (let i = 0; i < 10; i += 1) await push();
  const again = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
  const resumed = again.subscribe(query, { after: received.at(-1)!.cursor });
  await waitFor(() => beforeClose + resumed.events.length >= pushed.length, 20_000);
  await push();
  await waitFor(() => beforeClose + resumed.events.length >= pushed.length, 5_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const all = [...received, ...eventsOf(resumed.events)].map((event) => event.order!.externalId);
  expect(all).toHaveLength(pushed.length);
  expect(new Set(all).size).toBe(pushed.length);
  expect([...all].sort()).toEqual([...pushed].sort());
  await slow.dispose();
  await again.client.dispose();
});

describe('caps', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({
      config: {
        subscriptions: {
          ...defaults,
          maxSockets: 4,
          maxSocketsPerViewer: 2,
          maxSubscriptionsPerViewer: 3,
        },
      },
    });
  });
  afterAll(() => small.close());

  const closeCodeOf = async (client: ReturnType<typeof subscriber>) => {
    const sub = client.subscribe('{ __typename }');
    await waitFor(() => sub.completed || sub.error !== undefined || client.closeCode !== undefined);
    await waitFor(() => client.closeCode !== undefined || sub.completed);
    return client.closeCode;
  };

  test('a viewer over its socket cap is closed 4012, over its subscription cap RATE_LIMITED; the process over its cap closes 1013', async () => {
    const auth = { authorization: `Bearer ${small.adminToken}` };
    const first = subscriber(small.wsUrl, auth);
    const second = subscriber(small.wsUrl, auth);
    const subs = [
      first.subscribe('subscription { orderEvents { cursor } }'),
      first.subscribe('subscription { orderChanged { id } }'),
      second.subscribe('subscription { orderEvents { cursor } }'),
    ];
    await waitFor(() => small.bus.activeSubscriptions >= 3);
    const refused = second.subscribe('subscription { orderChanged { id } }');
    await waitFor(() => refused.error !== undefined || refused.events.length > 0);
    const errors = (refused.error ?? refused.events[0]?.errors) as Received['errors'];
    expect(errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(subs.every((sub) => sub.error === undefined && !sub.completed)).toBe(true);

    const third = subscriber(small.wsUrl, auth);
    expect(await closeCodeOf(third)).toBe(VIEWER_SOCKETS_CLOSE_CODE);
    for (let i = 0; i < 100 && (await metric('ws_sockets_open', small)) > 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const others = [
      subscriber(small.wsUrl, {
        authorization: `Bearer ${small.tokenFor(await factories(small.orm).user({ role: Role.ADMIN }))}`,
      }),
      subscriber(small.wsUrl, {
        authorization: `Bearer ${small.tokenFor(await factories(small.orm).user({ role: Role.ADMIN }))}`,
      }),
    ];
    const open = others.map((client) =>
      client.subscribe('subscription { orderEvents { cursor } }'),
    );
    await waitFor(() => small.bus.activeSubscriptions >= 5);
    expect(open.every((sub) => sub.error === undefined)).toBe(true);
    const fifth = subscriber(small.wsUrl, auth);
    expect(await closeCodeOf(fifth)).toBe(PROCESS_FULL_CLOSE_CODE);
    for (const client of [first, second, ...others]) await client.client.dispose();
  });
});
