/**
 * "A platform API call that gets 'token invalid/expired' refreshes once and
 * retries once" (issue 21), over HTTP against the fakes: order enrichment
 * after a push, a Sendo push's confirmation, a manual order sync and
 * outbound messages, each through the jobs of a running app. The platforms
 * answer with their own refusal (TOKEN_ANSWERS): a token the OAuth fake no
 * longer accepts, or an injected one.
 */
import { Channel, Conversation, Message, Order } from '../src/entities';
import {
  ChannelAlertKind,
  ChannelStatus,
  MessageStatus,
  OrderSyncStatus,
  Platform,
} from '../src/entities/enums';
import { TOPICS, type ChannelAlertEvent } from '../src/kernel/topics';
import { refreshChannelToken } from '../src/services/channels/channel-token.service';
import { factories } from './support/factories';
import { startFakeOAuth, type FakeOAuth, type OAuthPlatform } from './support/fake-oauth';
import { fakeOrder, startFakePlatforms, type FakePlatforms } from './support/fake-platforms';
import { startFakeSendApi, type FakeSendApi } from './support/fake-send-api';
import { startTestApp, type TestApp } from './support/test-app';
import { postPush, pushes, TEST_PLATFORM_ENV } from './support/webhooks';

const PUBLIC_URL = 'https://crm.test';
let platforms: FakePlatforms;
let send: FakeSendApi;
let oauth: FakeOAuth;
let t: TestApp;
let make: ReturnType<typeof factories>;
/** How far the fakes' clock runs ahead of the real one (Sendo's login `expires`). */
let aheadMs = 0;
beforeAll(async () => {
  // The order-API and send fakes accept exactly the tokens the OAuth fake issued and still honours.
  const issuer: { current?: FakeOAuth } = {};
  platforms = await startFakePlatforms({
    tokens: (platform, shopId, token) =>
      platform !== 'sendo' && issuer.current!.accepts(platform, shopId, token),
    now: () => new Date(Date.now() + aheadMs),
  });
  send = await startFakeSendApi({
    tokens: (platform, token) => issuer.current!.accepts(platform, undefined, token),
  });
  // Shopee, TikTok and Tiki answer their token endpoints and their APIs on one host.
  oauth = await startFakeOAuth({
    forward: [
      { prefix: '/shopee', to: `${platforms.url}/shopee` },
      { prefix: '/tiktok', to: `${platforms.url}/tiktok` },
      { prefix: '/tiki', to: `${platforms.url}/tiki` },
      { prefix: '/graph', to: `${send.url}/facebook` },
    ],
  });
  issuer.current = oauth;
  t = await startTestApp({
    jobs: true,
    platformEnv: {
      ...TEST_PLATFORM_ENV,
      ...platforms.env,
      ...oauth.env(PUBLIC_URL),
      ZALO_API_BASE_URL: send.env.ZALO_API_BASE_URL,
      MESSAGE_SEND_MAX_ATTEMPTS: '3',
      MESSAGE_SEND_RETRY_BASE_MS: '100',
    },
  });
  make = factories(t.orm);
});
afterAll(async () => {
  await t.close();
  await oauth.close();
  await send.close();
  await platforms.close();
});
beforeEach(() => platforms.reset());

let sequence = 0;
const unique = () => `${Date.now() % 1_000_000_000}${(sequence += 1)}`;

async function eventually<T>(read: () => Promise<T | null | undefined>, timeoutMs = 20_000) {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A channel holding a pair the OAuth fake issued, as a completed callback leaves it. */
async function connected(platform: Platform, shop: string): Promise<Channel> {
  const key = platform.toLowerCase() as OAuthPlatform;
  const issued = oauth.issue(key, shop, new Date());
  const pageToken = platform === Platform.FACEBOOK;
  return make.channel({
    platform,
    externalShopId: shop,
    name: `${platform} ${shop}`,
    accessToken: issued.accessToken,
    refreshToken: pageToken ? undefined : issued.refreshToken,
    tokenExpiresAt: pageToken ? undefined : issued.expiresAt,
  });
}

const stored = async (channelId: string) =>
  t.orm.em.fork().findOneOrFail(Channel, channelId, { populate: ['accessToken'] });
const refreshesOf = (platform: OAuthPlatform, shop: string) =>
  oauth.stats.refreshes.get(`${platform}:${shop}`) ?? 0;

describe('order enrichment', () => {
  it('refuses the stored token once: one refresh, the retry with the new token fills the order', async () => {
    const shop = `81${unique()}`;
    const channel = await connected(Platform.SHOPEE, shop);
    const refused = (await stored(channel.id)).accessToken!;
    // Revoked at the platform hours before its expiry: the refresh job had no reason to act.
    oauth.invalidate(refused);
    const sn = `SN${unique()}`;
    platforms.addOrder(
      'shopee',
      fakeOrder({ shopId: shop, externalId: sn, status: 'READY_TO_SHIP', total: '150000.00' }),
    );
    const push = pushes.shopee(shop, sn, 'READY_TO_SHIP', Math.floor(Date.now() / 1000));
    expect((await postPush(t.app.httpServer, push)).status).toBe(200);

    const order = await eventually(async () => {
      const row = await t.orm.em.fork().findOne(Order, { externalId: sn });
      return row?.enrichedAt ? row : null;
    });
    expect(order.total).toBe(150_000);
    const details = platforms.requests.filter(
      (r) => r.kind === 'detail' && r.query.order_sn_list === sn,
    );
    expect(details.map((r) => r.token === refused)).toEqual([true, false]);
    expect(refreshesOf('shopee', shop)).toBe(1);
    const renewed = await stored(channel.id);
    expect(renewed.accessToken).toBe(details[1]!.token);
    expect(renewed.status).toBe(ChannelStatus.ACTIVE);
    const [raw] = await t.orm.em
      .fork()
      .execute<{ access_token: string }[]>('select access_token from channel where id = ?', [
        channel.id,
      ]);
    expect(raw!.access_token).toMatch(/^enc:v1:/);
  });

  it('a second refusal in a row is not retried again: the detail is recorded as rejected', async () => {
    const shop = `82${unique()}`;
    await connected(Platform.SHOPEE, shop);
    const sn = `SN${unique()}`;
    platforms.addOrder('shopee', fakeOrder({ shopId: shop, externalId: sn, status: 'SHIPPED' }));
    platforms.failNext('shopee', 'detail', { tokenExpired: true, times: 5 });
    const push = pushes.shopee(shop, sn, 'SHIPPED', Math.floor(Date.now() / 1000));
    expect((await postPush(t.app.httpServer, push)).status).toBe(200);

    const rejected = await eventually(async () => {
      const [row] = await t.orm.em
        .fork()
        .execute<{ total: string; detail_rejected_at: Date | null }[]>(
          'select total, detail_rejected_at from customer_order where external_id = ?',
          [sn],
        );
      return row?.detail_rejected_at ? row : null;
    });
    expect(Number(rejected.total)).toBe(0);
    expect(
      platforms.requests.filter((r) => r.kind === 'detail' && r.query.order_sn_list === sn),
    ).toHaveLength(2);
    expect(refreshesOf('shopee', shop)).toBe(1);
  });

  it("confirms a Sendo push after logging in again when Sendo refuses the stored login's token", async () => {
    const shop = `83${unique()}`;
    const shopKey = `sd-key-${unique()}`;
    const channel = await make.channel({
      platform: Platform.SENDO,
      externalShopId: shop,
      shopKey,
      shopSecret: 'sd-secret',
      // A token from an earlier login that Sendo no longer honours.
      accessToken: 'sendo-token-from-yesterday',
      tokenExpiresAt: new Date(Date.now() + 3 * 3_600_000),
    });
    const number = `9${unique()}`;
    platforms.addOrder(
      'sendo',
      fakeOrder({ shopId: shop, externalId: number, status: '6', total: '418000' }),
    );
    const push = pushes.sendo(shop, number, '2', Math.floor(Date.now() / 1000), shopKey);
    expect((await postPush(t.app.httpServer, push)).status).toBe(200);

    const order = await eventually(async () =>
      t.orm.em.fork().findOne(Order, { externalId: number }),
    );
    expect(order).toMatchObject({ rawStatus: '6', total: 418_000 });
    const calls = platforms.requests.filter((r) => r.platform === 'sendo');
    expect(calls.map((r) => r.kind)).toEqual(['detail', 'login', 'detail']);
    expect(calls[0]!.token).toBe('sendo-token-from-yesterday');
    const renewed = await stored(channel.id);
    expect(renewed.accessToken).toBe(calls[2]!.token);
    expect(renewed.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 7 * 3_600_000);
  });
});

describe('manual order sync', () => {
  const JOB = `id status created lastError`;
  type Job = { id: string; status: OrderSyncStatus; created: number; lastError: string | null };
  const FROM = new Date('2024-06-01T00:00:00Z');
  const TO = new Date('2024-06-03T00:00:00Z');

  async function sync(channelId: string): Promise<Job> {
    const res = await t.gql<{ startOrderSync: Job }>(
      `mutation($c: ID!, $f: DateTimeISO!, $t: DateTimeISO!) {
         startOrderSync(channelId: $c, from: $f, to: $t) { ${JOB} } }`,
      { c: channelId, f: FROM.toISOString(), t: TO.toISOString() },
    );
    expect(res.errors).toBeUndefined();
    return eventually(async () => {
      const view = await t.gql<{ orderSyncJob: Job }>(
        `query($id: ID!) { orderSyncJob(id: $id) { ${JOB} } }`,
        { id: res.data!.startOrderSync.id },
      );
      const job = view.data!.orderSyncJob;
      return job.status === OrderSyncStatus.SUCCEEDED || job.status === OrderSyncStatus.FAILED
        ? job
        : null;
    });
  }

  const addOrders = (shop: string) => {
    for (let i = 0; i < 3; i += 1) {
      platforms.addOrder(
        'tiktok',
        fakeOrder({
          shopId: shop,
          externalId: `57${unique()}`,
          status: 'AWAITING_SHIPMENT',
          createdAt: new Date(FROM.getTime() + (i + 1) * 3_600_000),
        }),
      );
    }
  };

  it('a list call refused for its token refreshes once, and the sync completes with the new token', async () => {
    const shop = `ts-${unique()}`;
    const channel = await connected(Platform.TIKTOK, shop);
    const refused = (await stored(channel.id)).accessToken!;
    oauth.invalidate(refused);
    addOrders(shop);

    const job = await sync(channel.id);
    expect(job).toMatchObject({ status: OrderSyncStatus.SUCCEEDED, created: 3 });
    const lists = platforms.requests.filter((r) => r.platform === 'tiktok' && r.kind === 'list');
    expect(lists[0]!.token).toBe(refused);
    expect(lists.slice(1).every((r) => r.token === lists[1]!.token && r.token !== refused)).toBe(
      true,
    );
    expect(refreshesOf('tiktok', shop)).toBe(1);
  });

  it('a second refusal in a row ends the sync FAILED with the platform code, after one refresh', async () => {
    const shop = `ts-${unique()}`;
    const channel = await connected(Platform.TIKTOK, shop);
    addOrders(shop);
    platforms.failNext('tiktok', 'list', { tokenExpired: true, times: 5 });

    const job = await sync(channel.id);
    expect(job.status).toBe(OrderSyncStatus.FAILED);
    expect(job.lastError).toMatch(/105002/);
    expect(platforms.requests.filter((r) => r.platform === 'tiktok')).toHaveLength(2);
    expect(refreshesOf('tiktok', shop)).toBe(1);
  });
});

describe('outbound messages', () => {
  const SEND = `mutation ($id: ID!, $text: String) { sendMessage(conversationId: $id, text: $text) { id } }`;

  async function conversationOn(channel: Channel): Promise<{ id: string; user: string }> {
    const em = t.orm.em.fork();
    const user = `u${unique()}`;
    const row = em.create(Conversation, {
      channel: em.getReference(Channel, channel.id),
      externalThreadId: user,
      externalUserId: user,
      lastInboundAt: new Date(Date.now() - 60_000),
      lastMessageAt: new Date(Date.now() - 60_000),
      unreadCount: 1,
    });
    await em.flush();
    return { id: row.id, user };
  }

  async function sent(conversationId: string, text: string): Promise<Message> {
    const res = await t.gql<{ sendMessage: { id: string } }>(SEND, { id: conversationId, text });
    expect(res.errors).toBeUndefined();
    return eventually(async () => {
      const message = await t.orm.em.fork().findOne(Message, { id: res.data!.sendMessage.id });
      return message && message.status !== MessageStatus.PENDING ? message : null;
    });
  }

  const requestsTo = (user: string) =>
    send.requests.filter(
      (r) =>
        (r.body.recipient as { id?: string; user_id?: string } | undefined)?.user_id === user ||
        (r.body.recipient as { id?: string } | undefined)?.id === user,
    );

  it('a Zalo send refused with -216 refreshes the OA token once and is SENT on the retry', async () => {
    const oa = `oa-${unique()}`;
    const channel = await connected(Platform.ZALO, oa);
    const refused = (await stored(channel.id)).accessToken!;
    oauth.invalidate(refused);
    const c = await conversationOn(channel);

    const message = await sent(c.id, 'Dạ shop đã nhận đơn ạ');
    expect(message.status).toBe(MessageStatus.SENT);
    expect(message.attempts).toBe(1);
    const calls = requestsTo(c.user);
    expect(calls.map((r) => r.headers.access_token === refused)).toEqual([true, false]);
    expect(calls[1]!.headers.access_token).toBe((await stored(channel.id)).accessToken);
    expect(refreshesOf('zalo', oa)).toBe(1);
  });

  it('a second -216 in a row fails the message after one refresh, without a second retry', async () => {
    const oa = `oa-${unique()}`;
    const channel = await connected(Platform.ZALO, oa);
    const c = await conversationOn(channel);
    send.failNext('zalo', { tokenExpired: true, times: 2 });

    const message = await sent(c.id, 'Cảm ơn anh/chị');
    expect(message.status).toBe(MessageStatus.FAILED);
    expect(message.lastError).toMatch(/-216/);
    expect(message.attempts).toBe(1);
    expect(requestsTo(c.user)).toHaveLength(2);
    expect(refreshesOf('zalo', oa)).toBe(1);
  });

  it('a Facebook page token refused with 190 has no refresh: one REFRESH_FAILED, the page marked for re-authorization', async () => {
    const page = `page-${unique()}`;
    const channel = await connected(Platform.FACEBOOK, page);
    oauth.invalidate((await stored(channel.id)).accessToken!);
    const c = await conversationOn(channel);
    const publish = jest.spyOn(t.bus, 'publish');
    try {
      const first = await sent(c.id, 'Xin chào');
      const second = await sent(c.id, 'Xin chào lần nữa');
      for (const message of [first, second]) {
        expect(message.status).toBe(MessageStatus.FAILED);
        expect(message.lastError).toMatch(/HTTP 400/);
      }
      // Each send was tried once: nothing to renew a page token with.
      expect(requestsTo(c.user)).toHaveLength(2);
      const alerts = publish.mock.calls
        .filter(([topic]) => topic === TOPICS.channelAlert)
        .map(([, event]) => event as ChannelAlertEvent)
        .filter((event) => event.channelId === channel.id);
      expect(alerts.map((a) => a.kind)).toEqual([ChannelAlertKind.REFRESH_FAILED]);
    } finally {
      publish.mockRestore();
    }
    expect((await stored(channel.id)).status).toBe(ChannelStatus.NEEDS_REAUTHORIZATION);
  });
});

describe('Sendo, which has no refresh token', () => {
  it('logs in with key and secret once connected, then again within 30 minutes of `expires`', async () => {
    const shop = `84${unique()}`;
    const channel = await make.channel({
      platform: Platform.SENDO,
      externalShopId: shop,
      shopKey: `sd-key-${unique()}`,
      shopSecret: 'sd-secret',
    });
    const deps = { ...t.app.services.tokenRefresh, bus: t.bus };
    const logins = () => platforms.requests.filter((r) => r.kind === 'login');
    // Due at once: never logged in (the app's own refresh job may get there first; one login either way).
    await refreshChannelToken(deps, channel.id, new Date());
    const first = await stored(channel.id);
    expect(logins()).toHaveLength(1);
    expect(first.accessToken).toMatch(/^sendo-token-/);
    const expires = first.tokenExpiresAt!.getTime();
    expect(Math.abs(expires - (Date.now() + 8 * 3_600_000))).toBeLessThan(60_000);

    expect(await refreshChannelToken(deps, channel.id, new Date(expires - 31 * 60_000))).toEqual({
      kind: 'fresh',
    });
    expect(logins()).toHaveLength(1);

    const at = expires - 29 * 60_000;
    aheadMs = at - Date.now();
    try {
      const outcome = await refreshChannelToken(deps, channel.id, new Date(at));
      expect(outcome.kind).toBe('refreshed');
    } finally {
      aheadMs = 0;
    }
    expect(logins()).toHaveLength(2);
    const second = await stored(channel.id);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(Math.abs(second.tokenExpiresAt!.getTime() - (at + 8 * 3_600_000))).toBeLessThan(60_000);
    const [raw] = await t.orm.em
      .fork()
      .execute<{ access_token: string; shop_secret: string }[]>(
        'select access_token, shop_secret from channel where id = ?',
        [channel.id],
      );
    expect(raw!.access_token).toMatch(/^enc:v1:/);
    expect(raw!.shop_secret).toMatch(/^enc:v1:/);
  });
});
