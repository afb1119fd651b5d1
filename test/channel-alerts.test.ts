import { Channel } from '../src/entities';
import { ChannelStatus, Platform, Role } from '../src/entities/enums';
import { runChannelTokenAlerts } from '../src/jobs/channel-token-alerts.job';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { postPush, pushes } from './support/webhooks';
import { subscriber, waitFor, waitForSubscriptions, type Received } from './support/ws';

const DAY_MS = 86_400_000;
const ALERTS = `subscription {
  channelAlert { kind daysLeft tokenExpiresAt channel { id name } }
}`;

type Alert = {
  kind: string;
  daysLeft: number;
  tokenExpiresAt: string;
  channel: { id: string; name: string };
};
const alertsOf = (events: Received[], channel: Channel): Alert[] =>
  events
    .map((event) => (event.data as { channelAlert: Alert } | undefined)?.channelAlert)
    .filter((alert): alert is Alert => alert?.channel.id === channel.id);

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

async function listen(role: Role) {
  const user = await make.user({ role });
  const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(user)}` });
  const before = t.bus.activeSubscriptions;
  const sub = ws.subscribe(ALERTS);
  await waitForSubscriptions(t.bus, before, 1);
  return { ws, sub };
}

test('one alert for a token expiring in 6 days, none for 8 days, none again on a second run', async () => {
  const now = new Date();
  const soon = await make.channel({
    name: 'Shopee HCM',
    tokenExpiresAt: new Date(now.getTime() + 6 * DAY_MS),
  });
  const later = await make.channel({ tokenExpiresAt: new Date(now.getTime() + 8 * DAY_MS) });
  const never = await make.channel();
  const { ws, sub } = await listen(Role.IT);
  try {
    await runChannelTokenAlerts(t.orm, t.bus, now);
    await waitFor(() => alertsOf(sub.events, soon).length > 0);
    expect(alertsOf(sub.events, soon)).toEqual([
      {
        kind: 'TOKEN_EXPIRING',
        daysLeft: 6,
        tokenExpiresAt: soon.tokenExpiresAt!.toISOString(),
        channel: { id: soon.id, name: 'Shopee HCM' },
      },
    ]);

    // The same day, the job runs again (a retry, a second instance): nothing new.
    expect(await runChannelTokenAlerts(t.orm, t.bus, new Date(now.getTime() + 60_000))).toBe(0);
    await settle();
    expect(alertsOf(sub.events, soon)).toHaveLength(1);
    for (const quiet of [later, never]) expect(alertsOf(sub.events, quiet)).toEqual([]);
    expect(sub.error).toBeUndefined();
  } finally {
    sub.dispose();
    await ws.client.dispose();
  }
});

test('expired tokens are TOKEN_EXPIRED; disconnected channels are not alerted', async () => {
  const now = new Date();
  const expired = await make.channel({ tokenExpiresAt: new Date(now.getTime() - 2 * DAY_MS) });
  const disconnected = await make.channel({
    tokenExpiresAt: new Date(now.getTime() - 2 * DAY_MS),
    status: ChannelStatus.DISCONNECTED,
  });
  const { ws, sub } = await listen(Role.BOD);
  try {
    await runChannelTokenAlerts(t.orm, t.bus, now);
    await waitFor(() => alertsOf(sub.events, expired).length > 0);
    await settle();
    expect(alertsOf(sub.events, expired)).toMatchObject([{ kind: 'TOKEN_EXPIRED', daysLeft: -2 }]);
    expect(alertsOf(sub.events, disconnected)).toEqual([]);
  } finally {
    sub.dispose();
    await ws.client.dispose();
  }
});

test('once per expiry per business day: again the next day, and again when the token is renewed', async () => {
  // 10:00 in Vietnam, so "the same day" below never crosses midnight there.
  const now = new Date('2026-05-04T03:00:00Z');
  const channel = await make.channel({ tokenExpiresAt: new Date(now.getTime() + 3 * DAY_MS) });
  const { ws, sub } = await listen(Role.ADMIN);
  try {
    await runChannelTokenAlerts(t.orm, t.bus, now);
    await waitFor(() => alertsOf(sub.events, channel).length === 1);

    // Renewed the same day, still inside the window: the new expiry is announced.
    const renewed = new Date(now.getTime() + 5 * DAY_MS);
    const em = t.orm.em.fork();
    await em.nativeUpdate(Channel, { id: channel.id }, { tokenExpiresAt: renewed });
    await runChannelTokenAlerts(t.orm, t.bus, new Date(now.getTime() + 3_600_000));
    await waitFor(() => alertsOf(sub.events, channel).length === 2);
    expect(alertsOf(sub.events, channel)[1]).toMatchObject({
      tokenExpiresAt: renewed.toISOString(),
      daysLeft: 4,
    });

    // 13:30 in Vietnam the same day: nothing; 00:30 the next day: a daily reminder.
    await runChannelTokenAlerts(t.orm, t.bus, new Date('2026-05-04T06:30:00Z'));
    await runChannelTokenAlerts(t.orm, t.bus, new Date('2026-05-04T17:30:00Z'));
    await waitFor(() => alertsOf(sub.events, channel).length === 3);
    await settle();
    expect(alertsOf(sub.events, channel).map((alert) => alert.daysLeft)).toEqual([3, 4, 4]);

    // Renewed for a year: out of the window, no more alerts.
    await em.nativeUpdate(
      Channel,
      { id: channel.id },
      { tokenExpiresAt: new Date(now.getTime() + 365 * DAY_MS) },
    );
    await runChannelTokenAlerts(t.orm, t.bus, new Date('2026-05-06T03:00:00Z'));
    await settle();
    expect(alertsOf(sub.events, channel)).toHaveLength(3);
  } finally {
    sub.dispose();
    await ws.client.dispose();
  }
});

test('two runs at once (two instances) announce a channel once', async () => {
  const now = new Date('2026-06-01T03:00:00Z');
  await make.channel({ tokenExpiresAt: new Date(now.getTime() + DAY_MS) });
  const counts = await Promise.all([
    runChannelTokenAlerts(t.orm, t.bus, now),
    runChannelTokenAlerts(t.orm, t.bus, now),
    runChannelTokenAlerts(t.orm, t.bus, now),
  ]);
  expect(counts.reduce((sum, n) => sum + n, 0)).toBe(1);
});

test('roles other than Admin, BOD and IT cannot subscribe', async () => {
  const user = await make.user({ role: Role.TELESALES_LEADER });
  const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(user)}` });
  const before = t.bus.activeSubscriptions;
  const sub = ws.subscribe(ALERTS);
  try {
    await waitFor(() => sub.error !== undefined || sub.events.length > 0);
    const errors = (sub.error as Received['errors']) ?? sub.events[0]?.errors;
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(t.bus.activeSubscriptions).toBe(before);
  } finally {
    sub.dispose();
    await ws.client.dispose();
  }
});

const redisUrl = process.env.REDIS_URL;
(redisUrl ? describe : describe.skip)('across instances over Redis', () => {
  test('an alert raised by the job on one instance reaches a subscriber of another', async () => {
    const a = await startTestApp({ redisUrl });
    const b = await startTestApp({ redisUrl, database: a.database });
    try {
      const channel = await factories(a.orm).channel({
        tokenExpiresAt: new Date(Date.now() + 2 * DAY_MS),
      });
      const user = await factories(a.orm).user({ role: Role.IT });
      const ws = subscriber(b.wsUrl, { authorization: `Bearer ${b.tokenFor(user)}` });
      const sub = ws.subscribe(ALERTS);
      await waitForSubscriptions(b.bus, 0, 1);
      // SUBSCRIBE to Redis is asynchronous; give it a moment before publishing.
      await settle();
      expect(await runChannelTokenAlerts(a.orm, a.bus)).toBe(1);
      await waitFor(() => alertsOf(sub.events, channel).length === 1);
      expect(alertsOf(sub.events, channel)[0]).toMatchObject({
        kind: 'TOKEN_EXPIRING',
        daysLeft: 1,
      });
      sub.dispose();
      await ws.client.dispose();
    } finally {
      await b.close();
      await a.close();
    }
  });
});

test("a marketplace's own authorization-expiring push raises REAUTHORIZE_SOON once, over HTTP and the alert stream", async () => {
  const shop = `88${Date.now()}`;
  const channel = await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
  const { ws, sub } = await listen(Role.ADMIN);
  const endsAt = Math.floor(Date.now() / 1000) + 5 * 86_400;
  const push = pushes.shopeeAuthorizationExpiring(shop, endsAt);
  expect((await postPush(t.app.httpServer, push)).status).toBe(200);
  // Shopee repeats the notice; the alert is raised once per end.
  expect((await postPush(t.app.httpServer, push)).status).toBe(200);
  await waitFor(() => alertsOf(sub.events, channel).length >= 1);
  await settle();
  const alerts = alertsOf(sub.events, channel);
  expect(alerts.map((alert) => alert.kind)).toEqual(['REAUTHORIZE_SOON']);
  expect(new Date(alerts[0]!.tokenExpiresAt).getTime()).toBe(endsAt * 1000);
  const stored = await t.orm.em.fork().findOneOrFail(Channel, channel.id);
  expect(stored.authorizationExpiresAt?.getTime()).toBe(endsAt * 1000);
  sub.dispose();
  await ws.client.dispose();
});
