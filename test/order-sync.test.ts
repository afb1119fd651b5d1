import { Order, OrderItem, OrderStatusEvent, OrderSyncJob, type Channel } from '../src/entities';
import { ChannelStatus, OrderStatus, OrderSyncStatus, Platform } from '../src/entities/enums';
import type { OrderApiClients } from '../src/integrations/order-api';
import {
  orphanedSyncJobs,
  runOrderSync,
  type OrderSyncDeps,
} from '../src/services/orders/order-sync.service';
import { factories } from './support/factories';
import {
  fakeOrder,
  startFakePlatforms,
  type FakePlatform,
  type FakePlatforms,
} from './support/fake-platforms';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';
import { subscriber, waitFor } from './support/ws';

let fake: FakePlatforms;
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  fake = await startFakePlatforms();
  t = await startTestApp({ platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env } });
  make = factories(t.orm);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});
// Some fake lists ignore the shop (the real ones are per seller token): each test starts empty.
beforeEach(() => fake.reset());

const DAY = 86_400_000;
const FROM = new Date('2024-06-01T00:00:00Z');
let sequence = 0;
const unique = () => `${Date.now()}${(sequence += 1)}`.slice(-12);

const JOB_FIELDS = `id status pages ordersSeen created updated unchanged failed lastError from to
  startedAt finishedAt channel { id } requestedBy { id }`;
type JobView = {
  id: string;
  status: OrderSyncStatus;
  pages: number;
  ordersSeen: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  lastError: string | null;
  from: string;
  to: string;
  startedAt: string | null;
  finishedAt: string | null;
  channel: { id: string };
  requestedBy: { id: string } | null;
};

async function startSync(channelId: string, from: Date, to: Date) {
  return t.gql<{ startOrderSync: JobView }>(
    `mutation($c: ID!, $f: DateTimeISO!, $t: DateTimeISO!) {
       startOrderSync(channelId: $c, from: $f, to: $t) { ${JOB_FIELDS} } }`,
    { c: channelId, f: from.toISOString(), t: to.toISOString() },
  );
}

async function started(channelId: string, from: Date, to: Date): Promise<JobView> {
  const res = await startSync(channelId, from, to);
  expect(res.errors).toBeUndefined();
  return res.data!.startOrderSync;
}

async function jobView(id: string): Promise<JobView> {
  const res = await t.gql<{ orderSyncJob: JobView }>(
    `query($id: ID!) { orderSyncJob(id: $id) { ${JOB_FIELDS} } }`,
    { id },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.orderSyncJob;
}

/** Retries in milliseconds, not seconds; the waits asked for are recorded. */
function deps(overrides: Partial<OrderSyncDeps> = {}): OrderSyncDeps & { waits: number[] } {
  const waits: number[] = [];
  return {
    orm: t.orm,
    bus: t.bus,
    clients: t.app.services.orderSync.clients,
    pageSize: 4,
    retry: { maxRetries: 3, maxRateLimitRetries: 3, baseDelayMs: 5, maxDelayMs: 5_000 },
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
    waits,
    ...overrides,
  };
}

type Case = {
  platform: Platform;
  key: FakePlatform;
  shop: () => string;
  status: string;
  normalized: OrderStatus;
  /** A numeric id: Lazada ids are numbers on the wire. */
  id: () => string;
};

const CASES: Case[] = [
  {
    platform: Platform.LAZADA,
    key: 'lazada',
    shop: () => `2000${unique()}`,
    status: 'pending',
    normalized: OrderStatus.CONFIRMED,
    id: () => `88${unique()}`,
  },
  {
    platform: Platform.SHOPEE,
    key: 'shopee',
    shop: unique,
    status: 'READY_TO_SHIP',
    normalized: OrderStatus.CONFIRMED,
    id: () => `2406${unique()}`,
  },
  {
    platform: Platform.TIKTOK,
    key: 'tiktok',
    shop: () => `749${unique()}`,
    status: 'AWAITING_SHIPMENT',
    normalized: OrderStatus.CONFIRMED,
    id: () => `5764${unique()}`,
  },
];
const byKey = (key: FakePlatform): Case => CASES.find((c) => c.key === key)!;

/** Orders on the fake, created at the given offsets (days) from FROM. */
function seed(c: Case, shop: string, days: number[], status = c.status): string[] {
  return days.map((day, i) => {
    const createdAt = new Date(FROM.getTime() + day * DAY);
    const order = fakeOrder({
      shopId: shop,
      externalId: c.id(),
      status,
      createdAt,
      updatedAt: new Date(createdAt.getTime() + 60_000),
      items: [{ sku: `SKU-${i}`, name: 'Áo thun', quantity: 2, unitPrice: '150000.00' }],
      shippingFee: '20000.00',
      total: '320000.00',
    });
    fake.addOrder(c.key, order);
    return order.externalId;
  });
}

async function channelFor(c: Case, overrides: Partial<Channel> = {}): Promise<Channel> {
  return make.channel({
    platform: c.platform,
    externalShopId: c.shop(),
    accessToken: `${c.key}-token`,
    ...overrides,
  });
}

const countEvents = (channelId: string) =>
  t.orm.em.fork().count(OrderStatusEvent, { order: { channel: channelId } });

describe.each([
  // 10 orders in 10 days: 3 pages of 4.
  { key: 'lazada' as const, days: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], rangeDays: 10, pages: 3 },
  { key: 'tiktok' as const, days: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], rangeDays: 10, pages: 3 },
  // 40 days: Shopee windows [0,15) 6 orders = 2 pages, [15,30) 3 = 1, [30,40) 1 = 1.
  {
    key: 'shopee' as const,
    days: [0, 2, 4, 6, 8, 14.5, 16, 20, 29, 35],
    rangeDays: 40,
    pages: 4,
  },
])('$key: a sync over $rangeDays days', ({ key, days, rangeDays, pages }) => {
  test('creates every order with amounts and history, page by page; a second sync changes nothing', async () => {
    const c = byKey(key);
    const channel = await channelFor(c);
    const ids = seed(c, channel.externalShopId, days);
    const to = new Date(FROM.getTime() + rangeDays * DAY);
    const job = await started(channel.id, FROM, to);
    expect(job).toMatchObject({
      status: 'QUEUED',
      pages: 0,
      channel: { id: channel.id },
      requestedBy: { id: t.admin.id },
    });

    expect(await runOrderSync(deps(), job.id)).toBe('succeeded');
    const done = await jobView(job.id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      pages,
      ordersSeen: 10,
      created: 10,
      updated: 0,
      unchanged: 0,
      failed: 0,
      lastError: null,
    });
    expect(done.finishedAt).not.toBeNull();

    const em = t.orm.em.fork();
    const orders = await em.find(Order, { channel: channel.id }, { orderBy: { placedAt: 'asc' } });
    expect(orders.map((o) => o.externalId).sort()).toEqual([...ids].sort());
    for (const order of orders) {
      expect(order).toMatchObject({
        status: c.normalized,
        rawStatus: c.status,
        subtotal: 300_000,
        shippingFee: 20_000,
        total: 320_000,
        currency: 'VND',
      });
      expect(order.enrichedAt).toBeInstanceOf(Date);
    }
    expect(await em.count(OrderItem, { order: { channel: channel.id } })).toBeGreaterThanOrEqual(
      10,
    );
    expect(await countEvents(channel.id)).toBe(10);

    if (key === 'shopee') {
      const windows = fake.requests
        .filter((r) => r.platform === 'shopee' && r.path === '/api/v2/order/get_order_list')
        .map((r) => Number(r.query.time_to) - Number(r.query.time_from));
      expect(windows).toHaveLength(pages);
      for (const seconds of windows) expect(seconds).toBeLessThan(15 * 86_400);
    }

    const again = await started(channel.id, FROM, to);
    expect(await runOrderSync(deps(), again.id)).toBe('succeeded');
    expect(await jobView(again.id)).toMatchObject({
      status: 'SUCCEEDED',
      pages,
      ordersSeen: 10,
      created: 0,
      updated: 0,
      unchanged: 10,
      failed: 0,
    });
    expect(await countEvents(channel.id)).toBe(10);
  });
});

test('a platform status older than the stored one does not move the order back (unchanged)', async () => {
  const c = byKey('lazada');
  const channel = await channelFor(c);
  const [id] = seed(c, channel.externalShopId, [1]);
  const to = new Date(FROM.getTime() + 3 * DAY);
  expect(await runOrderSync(deps(), (await started(channel.id, FROM, to)).id)).toBe('succeeded');
  // A later push (say) moved it on; the platform's list still says pending.
  await t.orm.em
    .fork()
    .nativeUpdate(
      Order,
      { channel: channel.id, externalId: id },
      { status: OrderStatus.SHIPPED, rawStatus: 'shipped', statusSourceTime: new Date() },
    );
  const job = await started(channel.id, FROM, to);
  expect(await runOrderSync(deps(), job.id)).toBe('succeeded');
  expect(await jobView(job.id)).toMatchObject({ unchanged: 1, updated: 0, created: 0 });
  const order = await t.orm.em.fork().findOneOrFail(Order, { channel: channel.id });
  expect(order.status).toBe(OrderStatus.SHIPPED);
  expect(await countEvents(channel.id)).toBe(1);
});

test('an order changed on the platform is counted updated and gets one new history row', async () => {
  const c = byKey('tiktok');
  const channel = await channelFor(c);
  const [first] = seed(c, channel.externalShopId, [1]);
  const to = new Date(FROM.getTime() + 3 * DAY);
  await runOrderSync(deps(), (await started(channel.id, FROM, to)).id);
  // The platform now says it is in transit (the fake keys orders by id).
  fake.addOrder(
    'tiktok',
    fakeOrder({
      shopId: channel.externalShopId,
      externalId: first!,
      status: 'IN_TRANSIT',
      createdAt: new Date(FROM.getTime() + DAY),
      updatedAt: new Date(FROM.getTime() + 2 * DAY),
      items: [{ sku: 'SKU-0', name: 'Áo thun', quantity: 2, unitPrice: '150000.00' }],
      shippingFee: '20000.00',
      total: '320000.00',
    }),
  );
  const job = await started(channel.id, FROM, to);
  await runOrderSync(deps(), job.id);
  expect(await jobView(job.id)).toMatchObject({ ordersSeen: 1, updated: 1, created: 0 });
  const order = await t.orm.em.fork().findOneOrFail(Order, { channel: channel.id });
  expect(order.status).toBe(OrderStatus.SHIPPED);
  expect(await countEvents(channel.id)).toBe(2);
});

test('an order that cannot be applied is counted failed; the rest of its page is kept', async () => {
  const c = byKey('shopee');
  const channel = await channelFor(c);
  seed(c, channel.externalShopId, [0, 2]);
  // IN_CANCEL is only a flag: an order never seen cannot start from it.
  const [flagOnly] = seed(c, channel.externalShopId, [1], 'IN_CANCEL');
  const job = await started(channel.id, FROM, new Date(FROM.getTime() + 3 * DAY));
  expect(await runOrderSync(deps(), job.id)).toBe('succeeded');
  const view = await jobView(job.id);
  expect(view).toMatchObject({ status: 'SUCCEEDED', ordersSeen: 3, created: 2, failed: 1 });
  expect(view.lastError).toContain(flagOnly);
  expect(await t.orm.em.fork().count(Order, { channel: channel.id })).toBe(2);
});

describe('platform failures', () => {
  test('a 429 waits the Retry-After and retries the same page; the job succeeds', async () => {
    const c = byKey('tiktok');
    const channel = await channelFor(c);
    seed(c, channel.externalShopId, [0, 1, 2, 3, 4, 5]);
    fake.failNext('tiktok', 'list', { status: 429, retryAfter: '1' });
    const d = deps();
    const job = await started(channel.id, FROM, new Date(FROM.getTime() + 10 * DAY));
    const began = Date.now();
    expect(await runOrderSync(d, job.id)).toBe('succeeded');
    expect(Date.now() - began).toBeGreaterThanOrEqual(1_000);
    expect(d.waits).toEqual([1_000]);
    const lists = fake.requests.filter((r) => r.kind === 'list');
    // The refused first page, asked again with the same (absent) page token, then page 2.
    expect(lists.map((r) => r.query.page_token ?? '')).toEqual(['', '', '4']);
    expect(await jobView(job.id)).toMatchObject({ status: 'SUCCEEDED', pages: 2, created: 6 });
  });

  test('a 500 twice is retried with exponential backoff; the job succeeds', async () => {
    const c = byKey('lazada');
    const channel = await channelFor(c);
    seed(c, channel.externalShopId, [0, 1, 2]);
    fake.failNext('lazada', 'list', { status: 500, times: 2 });
    const d = deps();
    const job = await started(channel.id, FROM, new Date(FROM.getTime() + 10 * DAY));
    expect(await runOrderSync(d, job.id)).toBe('succeeded');
    expect(d.waits).toEqual([5, 10]);
    expect(await jobView(job.id)).toMatchObject({ status: 'SUCCEEDED', pages: 1, created: 3 });
  });

  test('a 500 that does not stop fails the job with lastError; pages done stay done', async () => {
    const c = byKey('lazada');
    const channel = await channelFor(c);
    seed(c, channel.externalShopId, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const clients = t.app.services.orderSync.clients;
    // The platform breaks down after answering the first page.
    const breaking: OrderApiClients = {
      ...clients,
      lazada: {
        ...clients.lazada,
        listOrders: async (credentials, query) => {
          const page = await clients.lazada.listOrders(credentials, query);
          fake.failNext('lazada', 'list', { status: 500, times: 1_000 });
          return page;
        },
      },
    };
    const d = deps({ clients: breaking });
    const job = await started(channel.id, FROM, new Date(FROM.getTime() + 10 * DAY));
    expect(await runOrderSync(d, job.id)).toBe('failed');
    const failed = await jobView(job.id);
    expect(failed).toMatchObject({ status: 'FAILED', pages: 1, ordersSeen: 4, created: 4 });
    expect(failed.lastError).toMatch(/HTTP 500.*gave up after 4 tries/);
    expect(failed.finishedAt).not.toBeNull();
    expect(d.waits).toEqual([5, 10, 20]);
    expect(await t.orm.em.fork().count(Order, { channel: channel.id })).toBe(4);
    // The channel is free again.
    expect(
      (await startSync(channel.id, FROM, new Date(FROM.getTime() + DAY))).errors,
    ).toBeUndefined();
  });

  test('a rejection (no access token) fails the job at once with the reason', async () => {
    const c = byKey('shopee');
    const channel = await channelFor(c, { accessToken: undefined });
    const d = deps();
    const job = await started(channel.id, FROM, new Date(FROM.getTime() + DAY));
    expect(await runOrderSync(d, job.id)).toBe('failed');
    expect(d.waits).toEqual([]);
    expect((await jobView(job.id)).lastError).toMatch(/has no access token/);
  });
});

describe('resume', () => {
  test('a RUNNING job whose worker died continues from its cursor, not from page 1', async () => {
    const c = byKey('lazada');
    const channel = await channelFor(c);
    seed(c, channel.externalShopId, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const to = new Date(FROM.getTime() + 10 * DAY);
    const job = await started(channel.id, FROM, to);
    // As a worker leaves it when its process dies after committing page 1.
    await t.orm.em.fork().nativeUpdate(
      OrderSyncJob,
      { id: job.id },
      {
        status: OrderSyncStatus.RUNNING,
        startedAt: new Date(Date.now() - 600_000),
        heartbeatAt: new Date(Date.now() - 600_000),
        pages: 1,
        ordersSeen: 4,
        created: 4,
        cursor: { windowFrom: FROM.toISOString(), page: '4' },
      },
    );
    expect(await runOrderSync(deps(), job.id)).toBe('succeeded');
    const orders = fake.requests.filter((r) => r.path === '/orders/get');
    expect(orders.map((r) => r.query.offset)).toEqual(['4', '8']);
    expect(await jobView(job.id)).toMatchObject({
      status: 'SUCCEEDED',
      pages: 3,
      ordersSeen: 10,
      created: 10,
    });
    // Only pages 2 and 3 were read in this run.
    expect(await t.orm.em.fork().count(Order, { channel: channel.id })).toBe(6);
  });

  test('a job another worker holds (fresh heartbeat) or that has finished is skipped', async () => {
    const c = byKey('lazada');
    const channel = await channelFor(c);
    const job = await started(channel.id, FROM, new Date(FROM.getTime() + DAY));
    await t.orm.em
      .fork()
      .nativeUpdate(
        OrderSyncJob,
        { id: job.id },
        { status: OrderSyncStatus.RUNNING, heartbeatAt: new Date() },
      );
    expect(await runOrderSync(deps(), job.id)).toBe('skipped');
    await t.orm.em
      .fork()
      .nativeUpdate(OrderSyncJob, { id: job.id }, { status: OrderSyncStatus.SUCCEEDED });
    expect(await runOrderSync(deps(), job.id)).toBe('skipped');
    expect(fake.requests).toHaveLength(0);
  });
});

test('the resume sweep finds syncs no worker holds: queued for a while, or running with a stale heartbeat', async () => {
  const c = byKey('tiktok');
  const [a, b, fresh] = [await channelFor(c), await channelFor(c), await channelFor(c)];
  const queued = await started(a.id, FROM, new Date(FROM.getTime() + DAY));
  const running = await started(b.id, FROM, new Date(FROM.getTime() + DAY));
  const held = await started(fresh.id, FROM, new Date(FROM.getTime() + DAY));
  const now = new Date(Date.now() + 2 * 60_000);
  const em = t.orm.em.fork();
  await em.nativeUpdate(
    OrderSyncJob,
    { id: running.id },
    { status: OrderSyncStatus.RUNNING, heartbeatAt: new Date(now.getTime() - 10 * 60_000) },
  );
  await em.nativeUpdate(
    OrderSyncJob,
    { id: held.id },
    { status: OrderSyncStatus.RUNNING, heartbeatAt: now },
  );
  const orphans = await orphanedSyncJobs(em, now);
  expect(orphans).toEqual(expect.arrayContaining([queued.id, running.id]));
  expect(orphans).not.toContain(held.id);
  expect(await orphanedSyncJobs(em, new Date())).not.toContain(queued.id);
});

describe('startOrderSync input', () => {
  const codeOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    res.errors?.[0]?.extensions;

  test('rejects bad ranges, unknown channels and channels without an order API; writes nothing', async () => {
    const c = byKey('shopee');
    const channel = await channelFor(c);
    const facebook = await make.channel({ platform: Platform.FACEBOOK, externalShopId: unique() });
    const later = new Date(FROM.getTime() + DAY);
    expect(codeOf(await startSync(channel.id, later, FROM))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'to',
    });
    expect(codeOf(await startSync(channel.id, FROM, FROM))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'to',
    });
    expect(
      codeOf(await startSync(channel.id, FROM, new Date(FROM.getTime() + 91 * DAY))),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(
      codeOf(
        await startSync(channel.id, new Date(Date.now() + DAY), new Date(Date.now() + 2 * DAY)),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(codeOf(await startSync(facebook.id, FROM, later))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'channelId',
    });
    const disconnected = await channelFor(c, { status: ChannelStatus.DISCONNECTED });
    expect(codeOf(await startSync(disconnected.id, FROM, later))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'channelId',
    });
    expect(
      codeOf(await startSync('00000000-0000-4000-8000-000000000000', FROM, later)),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await startSync('nope', FROM, later))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'channelId',
    });
    expect(
      await t.orm.em.fork().count(OrderSyncJob, { channel: { $in: [channel.id, facebook.id] } }),
    ).toBe(0);
  });

  test('a `to` in the future means now', async () => {
    const channel = await channelFor(byKey('tiktok'));
    const before = Date.now();
    const job = await started(channel.id, new Date(before - DAY), new Date(before + 5 * DAY));
    expect(Date.parse(job.to)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(job.to)).toBeGreaterThanOrEqual(before);
  });

  test('a second sync of a channel while one is queued is CONFLICT naming the first', async () => {
    const channel = await channelFor(byKey('lazada'));
    const first = await started(channel.id, FROM, new Date(FROM.getTime() + DAY));
    const second = await startSync(channel.id, FROM, new Date(FROM.getTime() + 2 * DAY));
    expect(codeOf(second)).toMatchObject({ code: 'CONFLICT', jobId: first.id });
    // Another channel is not blocked.
    const other = await channelFor(byKey('lazada'));
    expect(
      (await startSync(other.id, FROM, new Date(FROM.getTime() + DAY))).errors,
    ).toBeUndefined();
  });

  test('orderSyncJobs lists a channel’s jobs newest first, with keyset pages', async () => {
    const c = byKey('tiktok');
    const channel = await channelFor(c);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const job = await started(channel.id, FROM, new Date(FROM.getTime() + DAY));
      ids.push(job.id);
      await runOrderSync(deps(), job.id);
    }
    const query = `query($c: ID, $after: String) { orderSyncJobs(channelId: $c, first: 2, after: $after) {
      totalCount edges { node { id status } } pageInfo { hasNextPage endCursor } } }`;
    type Res = {
      orderSyncJobs: {
        totalCount: number;
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const one = await t.gql<Res>(query, { c: channel.id });
    expect(one.data!.orderSyncJobs.totalCount).toBe(3);
    expect(one.data!.orderSyncJobs.pageInfo.hasNextPage).toBe(true);
    const two = await t.gql<Res>(query, {
      c: channel.id,
      after: one.data!.orderSyncJobs.pageInfo.endCursor,
    });
    const seen = [...one.data!.orderSyncJobs.edges, ...two.data!.orderSyncJobs.edges].map(
      (e) => e.node.id,
    );
    expect(seen).toEqual([...ids].reverse());
  });
});

describe('orderSyncProgress', () => {
  const SUBSCRIPTION = `subscription($id: ID!) { orderSyncProgress(jobId: $id) {
    id status pages ordersSeen created } }`;
  type Progress = { id: string; status: string; pages: number; created: number };
  const progressOf = (events: { data?: Record<string, unknown> }[]) =>
    events.map((e) => e.data?.orderSyncProgress as Progress);

  test('sends the current state, each page, and completes when the job succeeds', async () => {
    const c = byKey('tiktok');
    const channel = await channelFor(c);
    seed(c, channel.externalShopId, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const job = await started(channel.id, FROM, new Date(FROM.getTime() + 10 * DAY));
    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
    try {
      const sub = ws.subscribe(SUBSCRIPTION, { id: job.id });
      await waitFor(() => sub.events.length >= 1);
      expect(progressOf(sub.events)[0]).toMatchObject({ id: job.id, status: 'QUEUED', pages: 0 });
      await runOrderSync(deps(), job.id);
      await waitFor(() => sub.completed);
      expect(sub.error).toBeUndefined();
      const seen = progressOf(sub.events);
      expect(seen.at(-1)).toMatchObject({ status: 'SUCCEEDED', pages: 3, created: 10 });
      expect(seen.filter((p) => p.status === 'SUCCEEDED')).toHaveLength(1);
      // Progress in between, never going backwards.
      expect(seen.length).toBeGreaterThanOrEqual(3);
      const pages = seen.map((p) => p.pages);
      expect([...pages].sort((a, b) => a - b)).toEqual(pages);
    } finally {
      await ws.client.dispose();
    }
  });

  test('a subscriber after the end gets the final state and completion', async () => {
    const channel = await channelFor(byKey('lazada'));
    const job = await started(channel.id, FROM, new Date(FROM.getTime() + DAY));
    await runOrderSync(deps(), job.id);
    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
    try {
      const sub = ws.subscribe(SUBSCRIPTION, { id: job.id });
      await waitFor(() => sub.completed);
      expect(progressOf(sub.events)).toEqual([
        { id: job.id, status: 'SUCCEEDED', pages: 1, ordersSeen: 0, created: 0 },
      ]);
    } finally {
      await ws.client.dispose();
    }
  });

  test('an unknown job is NOT_FOUND', async () => {
    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
    try {
      const sub = ws.subscribe(SUBSCRIPTION, { id: '00000000-0000-4000-8000-000000000000' });
      await waitFor(() => sub.error !== undefined || sub.events.length > 0);
      const errors =
        (sub.error as { extensions?: { code?: string } }[] | undefined) ?? sub.events[0]?.errors;
      expect(errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      await ws.client.dispose();
    }
  });
});

test('end to end through pg-boss: the mutation queues the job and a worker runs it', async () => {
  const withJobs = await startTestApp({
    jobs: true,
    database: t.database,
    platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env },
  });
  try {
    const c = byKey('shopee');
    const channel = await channelFor(c);
    seed(c, channel.externalShopId, [0, 1, 20]);
    const res = await withJobs.gql<{ startOrderSync: { id: string } }>(
      `mutation($c: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { startOrderSync(channelId: $c, from: $f, to: $t) { id } }`,
      {
        c: channel.id,
        f: FROM.toISOString(),
        t: new Date(FROM.getTime() + 30 * DAY).toISOString(),
      },
    );
    expect(res.errors).toBeUndefined();
    const id = res.data!.startOrderSync.id;
    const [queued] = await t.orm.em
      .fork()
      .execute<{ n: string }[]>(
        `select count(*) n from pgboss.job where name = 'order-sync' and singleton_key = ?`,
        [id],
      );
    expect(Number(queued!.n)).toBe(1);
    const began = Date.now();
    let job = await jobView(id);
    const running = [OrderSyncStatus.QUEUED, OrderSyncStatus.RUNNING];
    while (running.includes(job.status) && Date.now() - began < 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await jobView(id);
    }
    // Two Shopee windows of 15 days, one page each at the platform's page size.
    expect(job).toMatchObject({ status: 'SUCCEEDED', pages: 2, ordersSeen: 3, created: 3 });
  } finally {
    await withJobs.close();
  }
}, 30_000);
