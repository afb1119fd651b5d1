import { Platform, Role } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * orderVolume over HTTP: orders placed per clock hour and platform, the
 * dashboard's chart. Expected counts are worked out from the answer's own
 * `from`, so a test that runs across the turn of an hour still holds.
 */
let t: TestApp;
const HOUR_MS = 3_600_000;
const now = Date.now();
/** Minutes ago, per platform: two in the current hour, some earlier, one a day old. */
const PLACED_MINUTES_AGO: [Platform, number][] = [
  [Platform.SHOPEE, 0],
  [Platform.SHOPEE, 1],
  [Platform.LAZADA, 2],
  [Platform.LAZADA, 125],
  [Platform.SHOPEE, 130],
  [Platform.TIKI, 22 * 60 + 30],
  // Older than the 24 hours: never counted.
  [Platform.LAZADA, 24 * 60 + 61],
  [Platform.SHOPEE, 3 * 24 * 60],
];

const QUERY = `query($hours: Int) {
  orderVolume(hours: $hours) {
    from
    to
    total
    byPlatform { platform orders }
    buckets { start orders byPlatform { platform orders } }
  }
}`;

type Volume = {
  from: string;
  to: string;
  total: number;
  byPlatform: { platform: Platform; orders: number }[];
  buckets: {
    start: string;
    orders: number;
    byPlatform: { platform: Platform; orders: number }[];
  }[];
};

beforeAll(async () => {
  t = await startTestApp();
  const f = factories(t.orm);
  const channels = {
    [Platform.SHOPEE]: await f.channel({ platform: Platform.SHOPEE }),
    [Platform.LAZADA]: await f.channel({ platform: Platform.LAZADA }),
    [Platform.TIKI]: await f.channel({ platform: Platform.TIKI }),
  } as Record<Platform, Awaited<ReturnType<typeof f.channel>>>;
  for (const [platform, minutes] of PLACED_MINUTES_AGO) {
    await f.order({ channel: channels[platform] }, { placedAt: new Date(now - minutes * 60_000) });
  }
});
afterAll(() => t.close());

test('counts orders per clock hour and platform over the last 24 hours, empty hours included', async () => {
  const res = await t.gql<{ orderVolume: Volume }>(QUERY, { hours: 24 });
  expect(res.errors).toBeUndefined();
  const volume = res.data!.orderVolume;

  const from = Date.parse(volume.from);
  expect(from % HOUR_MS).toBe(0);
  expect(Date.parse(volume.to) - from).toBe(24 * HOUR_MS);
  expect(volume.buckets.map((b) => Date.parse(b.start))).toEqual(
    Array.from({ length: 24 }, (_, i) => from + i * HOUR_MS),
  );
  // The current hour is the last one.
  expect(Date.parse(volume.to)).toBeGreaterThan(Date.now() - 1);

  const expected = volume.buckets.map(() => new Map<Platform, number>());
  for (const [platform, minutes] of PLACED_MINUTES_AGO) {
    const index = Math.floor((now - minutes * 60_000 - from) / HOUR_MS);
    const hour = expected[index];
    if (hour) hour.set(platform, (hour.get(platform) ?? 0) + 1);
  }
  const shown = volume.buckets.map(
    (bucket) => new Map(bucket.byPlatform.map((row) => [row.platform, row.orders])),
  );
  expect(shown).toEqual(expected);
  for (const bucket of volume.buckets) {
    expect(bucket.orders).toBe(bucket.byPlatform.reduce((sum, row) => sum + row.orders, 0));
  }
  // The last hour holds at least the orders placed a minute or two ago.
  expect(volume.buckets[23]!.orders).toBeGreaterThanOrEqual(1);
  // Six of the eight are in the window, whatever the minute.
  expect(volume.total).toBe(6);
  expect(volume.byPlatform).toEqual(
    expect.arrayContaining([
      { platform: 'SHOPEE', orders: 3 },
      { platform: 'LAZADA', orders: 2 },
      { platform: 'TIKI', orders: 1 },
    ]),
  );
  expect(volume.byPlatform).toHaveLength(3);
});

test('a wider window reaches further back; 24 hours is the default', async () => {
  const week = await t.gql<{ orderVolume: Volume }>(QUERY, { hours: 168 });
  expect(week.errors).toBeUndefined();
  expect(week.data!.orderVolume.buckets).toHaveLength(168);
  expect(week.data!.orderVolume.total).toBe(8);

  const byDefault = await t.gql<{ orderVolume: Volume }>(QUERY, {});
  expect(byDefault.errors).toBeUndefined();
  expect(byDefault.data!.orderVolume.buckets).toHaveLength(24);
});

test.each([0, -1, 169])('hours: %p is refused as bad input', async (hours) => {
  const res = await t.gql(QUERY, { hours });
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

test('management and IT may read it; a telesales user may not', async () => {
  const f = factories(t.orm);
  const bod = await f.user({ role: Role.BOD });
  const allowed = await t.gql<{ orderVolume: Volume }>(QUERY, {}, { token: t.tokenFor(bod) });
  expect(allowed.errors).toBeUndefined();
  expect(allowed.data!.orderVolume.total).toBe(6);

  const staff = await f.user({ role: Role.TELESALES });
  const refused = await t.gql(QUERY, {}, { token: t.tokenFor(staff) });
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
