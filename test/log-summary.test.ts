import { Writable } from 'node:stream';
import pino from 'pino';
import { Channel } from '../src/entities';
import { Platform } from '../src/entities/enums';
import { detailRejectionSummary, runEnrichOrder } from '../src/jobs/enrich-order.job';
import { LogSummary } from '../src/log-summary';
import { unenrichedOrders } from '../src/services/orders/order-enrichment.service';
import { chatPushes } from './support/chat-pushes';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, postPush, TEST_PLATFORM_ENV } from './support/webhooks';

type Line = { level: number; msg: string; reason?: string; count?: number; err?: unknown };

/** A pino logger writing into an array of parsed lines. */
function capture(): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text) lines.push(JSON.parse(text) as Line);
      }
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp({ platformEnv: TEST_PLATFORM_ENV });
  make = factories(t.orm);
});
afterAll(() => t.close());

test('N identical failures make one line with the count; another reason its own line; a quiet interval none', () => {
  const { logger, lines } = capture();
  const summary = new LogSummary(logger, 'things failed');
  for (let i = 0; i < 40; i += 1) summary.add('LAZADA: shop 1 has no access token', { item: i });
  summary.add('SHOPEE: code error_auth', { item: 'x' });
  summary.add('SHOPEE: code error_auth', { item: 'y' });
  expect(lines).toEqual([]);
  summary.flush();
  expect(lines.map(({ level, reason, count }) => ({ level, reason, count }))).toEqual([
    { level: 40, reason: 'LAZADA: shop 1 has no access token', count: 40 },
    { level: 40, reason: 'SHOPEE: code error_auth', count: 2 },
  ]);
  expect(lines[0]!.msg).toMatch(
    /^things failed \(40x in 60s\): LAZADA: shop 1 has no access token$/,
  );
  summary.close();
  expect(lines).toHaveLength(2);
});

test('orders of a shop without a token: one summarized line, no stacks, and the sweep stops asking until the channel or the configuration changes', async () => {
  const channel = await make.channel({
    platform: Platform.LAZADA,
    externalShopId: `2000${Date.now()}`,
  });
  const orders = await Promise.all(Array.from({ length: 12 }, () => make.order({ channel })));
  const { logger, lines } = capture();
  const rejections = detailRejectionSummary(logger);
  const deps = {
    orm: t.orm,
    bus: t.bus,
    clients: t.app.services.orderSync.clients,
    logger,
    rejections,
  };
  const started = new Date(Date.now() - 1000);
  const window = (configuredAt = started) => ({
    olderThan: new Date(Date.now() + 60_000),
    notBefore: new Date(Date.now() - 3_600_000),
    configuredAt,
  });
  const swept = async (configuredAt?: Date) => {
    const ids = new Set(await unenrichedOrders(t.orm.em.fork(), window(configuredAt)));
    return orders.filter((order) => ids.has(order.id)).length;
  };
  expect(await swept()).toBe(orders.length);

  for (const order of orders) await runEnrichOrder(deps, { orderId: order.id });
  rejections.close();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: 40, count: orders.length });
  expect(lines[0]!.reason).toMatch(/no access token/);
  expect(lines[0]!.err).toBeUndefined();

  // Refused details are not asked for again by the sweep...
  expect(await swept()).toBe(0);
  // ...except once by a process started since (its app keys may be new)...
  expect(await swept(new Date(Date.now() + 1000))).toBe(orders.length);
  // ...or once the channel changes (a token set, say), which may change the answer.
  const em = t.orm.em.fork();
  const stored = await em.findOneOrFail(Channel, channel.id);
  stored.updatedAt = new Date(Date.now() + 1000);
  await em.flush();
  expect(await swept()).toBe(orders.length);
});

test('refused pushes are counted into one info line per platform and reason, not an error each', async () => {
  const { logger, lines } = capture();
  const app = await startTestApp({ platformEnv: TEST_PLATFORM_ENV, logger });
  try {
    const bad = {
      ...pushes.lazada('2000123', 'O1', 'pending', 1_718_000_000),
      headers: { authorization: '0'.repeat(64) },
    };
    for (let i = 0; i < 5; i += 1)
      expect((await postPush(app.app.httpServer, bad)).status).toBe(401);
    const messenger = {
      ...chatPushes.messenger('page-1', 'psid-1', 'm1', 'Chào shop'),
      headers: {},
    };
    for (let i = 0; i < 3; i += 1)
      expect((await postPush(app.app.httpServer, messenger)).status).toBe(401);
  } finally {
    await app.close();
  }
  const refused = lines.filter((line) => line.msg.startsWith('webhook pushes refused'));
  expect(refused.map(({ level, count, reason }) => ({ level, count, reason }))).toEqual([
    { level: 30, count: 5, reason: 'lazada 401: push rejected: signature mismatch' },
    { level: 30, count: 3, reason: expect.stringMatching(/^facebook 401: push rejected: /) },
  ]);
  expect(lines.filter((line) => line.level >= 40)).toEqual([]);
});
