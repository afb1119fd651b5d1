import request from 'supertest';
import { AuditLog, Channel, OAuthState } from '../src/entities';
import { ChannelAlertKind, ChannelStatus, Platform, Role } from '../src/entities/enums';
import { authorizationNotices } from '../src/integrations/authorization-notices';
import { runRefreshChannelTokens } from '../src/jobs/refresh-channel-tokens.job';
import {
  channelsDueForRefresh,
  refreshChannelToken,
} from '../src/services/channels/channel-token.service';
import { channelAlertService } from '../src/services/channels/channel-alert.service';
import type { ChannelAlertEvent } from '../src/kernel/topics';
import { TOPICS } from '../src/kernel/topics';
import { startFakeOAuth, type FakeOAuth, type OAuthPlatform } from './support/fake-oauth';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';

/** Where the platforms send the browser back; its path and query are replayed against the app. */
const PUBLIC_URL = 'https://crm.test';
const URL_QUERY = `query($p: Platform!, $b: ID) { channelAuthorizationUrl(platform: $p, branchId: $b) }`;
const CHANNELS = `{ channels { channel { id externalShopId status hasAccessToken branch { id } } } }`;

let fake: FakeOAuth;
let t: TestApp;
let make: ReturnType<typeof factories>;
/** How far the fake platforms' clock runs ahead of the real one (days of refreshes in one test). */
let aheadMs = 0;
beforeAll(async () => {
  fake = await startFakeOAuth({ now: () => new Date(Date.now() + aheadMs) });
  t = await startTestApp({
    platformEnv: {
      ...TEST_PLATFORM_ENV,
      ...fake.env(PUBLIC_URL),
      TOKEN_REFRESH_MAX_ATTEMPTS: '3',
      TOKEN_REFRESH_RETRY_BASE_MS: '60000',
    },
  });
  make = factories(t.orm);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

async function authorizationUrl(platform: Platform, branchId?: string): Promise<string> {
  const res = await t.gql<{ channelAuthorizationUrl: string }>(URL_QUERY, {
    p: platform,
    b: branchId ?? null,
  });
  expect(res.errors).toBeUndefined();
  return res.data!.channelAuthorizationUrl;
}

/** The seller approves on the platform's page: the callback URL it sends the browser to. */
async function approve(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.origin).toBe(PUBLIC_URL);
  return location.pathname + location.search;
}

const callback = (path: string) => request(t.app.httpServer).get(path);

async function connect(platform: Platform, shop: string, branchId?: string) {
  fake.nextShop(platform.toLowerCase() as OAuthPlatform, shop);
  const res = await callback(await approve(await authorizationUrl(platform, branchId)));
  expect(res.status).toBe(200);
  return res.body.connected as { id: string; externalShopId: string }[];
}

const rawSecrets = async (id: string) =>
  (
    await t.orm.em
      .fork()
      .execute<{ access_token: string; refresh_token: string }[]>(
        'select access_token, refresh_token from channel where id = ?',
        [id],
      )
  )[0]!;

it('connects a Shopee shop through the callback: tokens sealed at rest, never returned or audited', async () => {
  const branch = await make.branch();
  const [connected] = await connect(Platform.SHOPEE, '7101', branch.id);
  expect(connected!.externalShopId).toBe('7101');
  const channel = await t.orm.em
    .fork()
    .findOneOrFail(Channel, connected!.id, { populate: ['accessToken', 'refreshToken'] });
  expect(channel.branch?.id).toBe(branch.id);
  expect(channel.accessToken).toMatch(/^shopee-at-/);
  expect(channel.refreshToken).toMatch(/^shopee-rt-/);
  expect(channel.tokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(3.9 * 3_600_000);
  const raw = await rawSecrets(channel.id);
  expect(raw.access_token).toMatch(/^enc:v1:/);
  expect(raw.refresh_token).toMatch(/^enc:v1:/);
  expect(raw.access_token).not.toContain(channel.accessToken);
  const list = await t.gql<{
    channels: { channel: { id: string; status: string; hasAccessToken: boolean } }[];
  }>(CHANNELS);
  const row = list.data!.channels.find((c) => c.channel.id === channel.id)!;
  expect(row.channel).toMatchObject({ status: 'ACTIVE', hasAccessToken: true });
  expect(JSON.stringify(list)).not.toContain(channel.accessToken);
  const audits = await t.orm.em
    .fork()
    .find(AuditLog, { entityType: 'Channel', entityId: channel.id });
  expect(audits.map((a) => a.action)).toEqual(['channel_connected']);
  expect(JSON.stringify(audits)).not.toContain(channel.accessToken);
  expect(JSON.stringify(audits)).not.toContain(channel.refreshToken);
  expect(audits[0]!.data).toMatchObject({
    authorizedBy: t.admin.id,
    secretsSet: ['accessToken', 'refreshToken'],
  });
});

it('connects every shop of a Shopee main-account authorization, each with the pair to refresh on its own', async () => {
  fake.nextShop('shopee', '7201', '7202');
  const res = await callback(await approve(await authorizationUrl(Platform.SHOPEE)));
  expect(res.status).toBe(200);
  const connected = res.body.connected as { externalShopId: string }[];
  expect(connected.map((c) => c.externalShopId).sort()).toEqual(['7201', '7202']);
});

it('refuses a reused, expired, tampered or foreign state, and changes nothing', async () => {
  fake.nextShop('shopee', '7301');
  const path = await approve(await authorizationUrl(Platform.SHOPEE));
  expect((await callback(path)).status).toBe(200);
  const reused = await callback(path);
  expect(reused.status).toBe(400);
  expect(reused.body).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'STATE_USED' });

  const expiring = await approve(await authorizationUrl(Platform.SHOPEE));
  const nonce = new URL(expiring, PUBLIC_URL).searchParams.get('state')!.split('.')[0];
  await t.orm.em
    .fork()
    .execute(`update oauth_state set expires_at = now() - interval '1 second' where nonce = ?`, [
      nonce,
    ]);
  const expired = await callback(expiring);
  expect(expired.status).toBe(400);
  expect(expired.body.reason).toBe('STATE_EXPIRED');

  const zalo = new URL(await approve(await authorizationUrl(Platform.ZALO)), PUBLIC_URL);
  const foreign = await callback(
    `/oauth/shopee/callback?code=x&shop_id=7302&state=${encodeURIComponent(zalo.searchParams.get('state')!)}`,
  );
  expect(foreign.status).toBe(400);
  expect(foreign.body.reason).toBe('STATE_INVALID');
  const [n, p] = zalo.searchParams.get('state')!.split('.');
  const tampered = await callback(`/oauth/zalo/callback?code=x&state=${n}.${p}.AAAA`);
  expect(tampered.body.reason).toBe('STATE_INVALID');
  expect(await t.orm.em.fork().count(Channel, { externalShopId: '7302' })).toBe(0);
});

it('connects a Zalo OA with PKCE, its id from the platform; a wrong verifier is refused', async () => {
  const [oa] = await connect(Platform.ZALO, 'oa-4001');
  expect(oa!.externalShopId).toBe('oa-4001');
  expect(fake.stats.pkceFailures).toBe(0);
  fake.nextShop('zalo', 'oa-4002');
  const path = await approve(await authorizationUrl(Platform.ZALO));
  const nonce = new URL(path, PUBLIC_URL).searchParams.get('state')!.split('.')[0];
  // A verifier that is not the one whose challenge went out: the platform refuses the code.
  await t.orm.em
    .fork()
    .nativeUpdate(OAuthState, { nonce: nonce! }, { codeVerifier: 'not-the-verifier' });
  const refused = await callback(path);
  expect(refused.status).toBe(400);
  expect(fake.stats.pkceFailures).toBe(1);
  expect(await t.orm.em.fork().count(Channel, { externalShopId: 'oa-4002' })).toBe(0);
});

it('connects a TikTok shop named by Get Authorized Shops, with its Unix-time expiries', async () => {
  const [shop] = await connect(Platform.TIKTOK, 'ts-5001');
  const channel = await t.orm.em.fork().findOneOrFail(Channel, shop!.id);
  expect(channel.name).toBe('Shop ts-5001');
  const days = (channel.tokenExpiresAt!.getTime() - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(6.9);
  expect(days).toBeLessThan(7.1);
  expect(channel.authorizationExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
});

it('answers CONFLICT for a shop connected to another branch, and leaves it as it was', async () => {
  const [a, b] = [await make.branch(), await make.branch()];
  const [first] = await connect(Platform.SHOPEE, '7401', a.id);
  const before = await rawSecrets(first!.id);
  fake.nextShop('shopee', '7401');
  const res = await callback(await approve(await authorizationUrl(Platform.SHOPEE, b.id)));
  expect(res.status).toBe(409);
  expect(res.body).toMatchObject({ code: 'CONFLICT', existingChannelId: first!.id });
  expect(await rawSecrets(first!.id)).toEqual(before);
});

it('refuses channelAuthorizationUrl to non-admins and for Sendo', async () => {
  const it = await make.user({ role: Role.IT });
  const res = await t.gql(URL_QUERY, { p: Platform.SHOPEE, b: null }, { token: t.tokenFor(it) });
  expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const sendo = await t.gql(URL_QUERY, { p: Platform.SENDO, b: null });
  expect(sendo.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

it('a refresh that keeps failing raises one REFRESH_FAILED and marks the channel; a completed callback clears it', async () => {
  const [shop] = await connect(Platform.SHOPEE, '7501');
  const publish = jest.spyOn(t.bus, 'publish');
  const deps = { ...t.app.services.tokenRefresh, bus: t.bus };
  fake.refuseRefresh('shopee', true);
  try {
    // From the margin on, every minute for two hours: three tries with backoff, then the verdict.
    let clock = Date.now() + 3.6 * 3_600_000;
    for (let i = 0; i < 120; i += 1, clock += 60_000)
      await runRefreshChannelTokens(deps, new Date(clock));
  } finally {
    fake.refuseRefresh('shopee', false);
  }
  const alerts = publish.mock.calls
    .filter(([topic]) => topic === TOPICS.channelAlert)
    .map(([, event]) => event as ChannelAlertEvent)
    .filter((event) => event.channelId === shop!.id);
  publish.mockRestore();
  expect(alerts.map((a) => a.kind)).toEqual([ChannelAlertKind.REFRESH_FAILED]);
  const listed = await t.gql<{ channels: { channel: { id: string; status: string } }[] }>(CHANNELS);
  expect(listed.data!.channels.find((c) => c.channel.id === shop!.id)!.channel.status).toBe(
    ChannelStatus.NEEDS_REAUTHORIZATION,
  );
  await connect(Platform.SHOPEE, '7501');
  const after = await t.orm.em.fork().findOneOrFail(Channel, shop!.id);
  expect(after.status).toBe(ChannelStatus.ACTIVE);
  expect(after.refreshFailures).toBe(0);
});

it("raises REAUTHORIZE_SOON once for a platform's own expiry push, and for an authorization ending within 7 days", async () => {
  const [shop] = await connect(Platform.SHOPEE, '7601');
  const em = t.orm.em.fork();
  const push = {
    code: 12,
    shop_id: 7601,
    data: { shop_expire_soon: [7601], expire_before: Math.floor(Date.now() / 1000) + 5 * 86_400 },
  };
  const [notice] = authorizationNotices(Platform.SHOPEE, push);
  expect(notice).toMatchObject({ platform: Platform.SHOPEE, shopId: '7601' });
  const alert = await channelAlertService.noteAuthorizationExpiring(em, notice!);
  expect(alert).toMatchObject({
    channelId: shop!.id,
    kind: ChannelAlertKind.REAUTHORIZE_SOON,
    daysLeft: 4,
  });
  // The same push again (Lazada and TikTok repeat theirs daily) raises nothing new.
  expect(await channelAlertService.noteAuthorizationExpiring(em, notice!)).toBeNull();
  expect(await channelAlertService.claimReauthorizeSoon(em)).toEqual([]);
  expect(authorizationNotices(Platform.SHOPEE, { code: 3, shop_id: 1, data: {} })).toEqual([]);

  const [tiktok] = await connect(Platform.TIKTOK, 'ts-7602');
  await em.nativeUpdate(
    Channel,
    { id: tiktok!.id },
    { authorizationExpiresAt: new Date(Date.now() + 3 * 86_400_000) },
  );
  const soon = await channelAlertService.claimReauthorizeSoon(em);
  expect(soon.map((a) => [a.channelId, a.kind])).toEqual([
    [tiktok!.id, ChannelAlertKind.REAUTHORIZE_SOON],
  ]);
  expect(await channelAlertService.claimReauthorizeSoon(em)).toEqual([]);
});

const DAY_MS = 86_400_000;

it('connects a Tiki seller named by /sellers/me; a refresh returns and stores a new pair', async () => {
  const [seller] = await connect(Platform.TIKI, 'tk-4001');
  expect(seller).toMatchObject({ externalShopId: 'tk-4001' });
  const em = t.orm.em.fork();
  const channel = await em.findOneOrFail(Channel, seller!.id, {
    populate: ['accessToken', 'refreshToken'],
  });
  expect(channel.name).toBe('Tiki seller tk-4001');
  // expires_in from the answer (Tiki documents no lifetime).
  expect(channel.tokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
  const reused = fake.stats.reusedRefreshTokens;
  const outcome = await refreshChannelToken(t.app.services.tokenRefresh, channel.id, new Date(), {
    force: true,
  });
  expect(outcome.kind).toBe('refreshed');
  const after = await t.orm.em
    .fork()
    .findOneOrFail(Channel, channel.id, { populate: ['accessToken', 'refreshToken'] });
  expect(after.accessToken).not.toBe(channel.accessToken);
  expect(after.refreshToken).not.toBe(channel.refreshToken);
  expect(fake.stats.refreshes.get('tiki:tk-4001')).toBe(1);
  expect(fake.stats.reusedRefreshTokens).toBe(reused);
  const raw = await rawSecrets(channel.id);
  expect(raw.refresh_token).toMatch(/^enc:v1:/);
});

it('connects the Facebook pages an admin grants, each with its page token that never expires nor refreshes', async () => {
  fake.nextShop('facebook', 'page-3001', 'page-3002');
  const res = await callback(await approve(await authorizationUrl(Platform.FACEBOOK)));
  expect(res.status).toBe(200);
  const pages = res.body.connected as { id: string; externalShopId: string }[];
  expect(pages.map((p) => p.externalShopId).sort()).toEqual(['page-3001', 'page-3002']);
  const em = t.orm.em.fork();
  for (const page of pages) {
    const channel = await em.findOneOrFail(Channel, page.id, {
      populate: ['accessToken', 'refreshToken'],
    });
    expect(channel.accessToken).toMatch(/^facebook-at-/);
    expect(channel.tokenExpiresAt ?? null).toBeNull();
    expect(channel.refreshToken ?? null).toBeNull();
    expect((await rawSecrets(page.id)).access_token).toMatch(/^enc:v1:/);
  }
  // A year on, the refresh job still has nothing to do for them.
  const due = await channelsDueForRefresh(em, new Date(Date.now() + 365 * DAY_MS));
  expect(due).not.toContain(pages[0]!.id);
  expect(due).not.toContain(pages[1]!.id);
});

it("connects a Lazada seller from country_user_info; refreshes never move the refresh token's end, REAUTHORIZE_SOON comes 7 days before it", async () => {
  const [seller] = await connect(Platform.LAZADA, 'lz-2001');
  expect(seller!.externalShopId).toBe('lz-2001');
  const read = () => t.orm.em.fork().findOneOrFail(Channel, seller!.id);
  const first = await read();
  const started = Date.now();
  // A test app's lifetimes (LZ-AUTH): access 7 days, refresh 30 days, as durations in seconds.
  expect(first.tokenExpiresAt!.getTime() - started).toBeGreaterThan(6.9 * DAY_MS);
  const end = first.refreshTokenExpiresAt!.getTime();
  expect(end - started).toBeGreaterThan(29.9 * DAY_MS);
  expect(first.authorizationExpiresAt!.getTime()).toBe(end);

  const deps = { ...t.app.services.tokenRefresh, bus: t.bus };
  const publish = jest.spyOn(t.bus, 'publish');
  const alertsFor = () =>
    publish.mock.calls
      .filter(([topic]) => topic === TOPICS.channelAlert)
      .map(([, event]) => event as ChannelAlertEvent)
      .filter((event) => event.channelId === seller!.id);
  try {
    // Day 6.5 (inside the one-day margin of the 7-day token), then day 23.5.
    for (const day of [6.5, 23.5]) {
      aheadMs = day * DAY_MS;
      await runRefreshChannelTokens(deps, new Date(started + aheadMs));
      const now = await read();
      expect(now.tokenExpiresAt!.getTime()).toBeGreaterThan(started + (day + 6.9) * DAY_MS);
      // The fake answers with what is left of the refresh token's life: its end stays put.
      expect(Math.abs(now.refreshTokenExpiresAt!.getTime() - end)).toBeLessThanOrEqual(2_000);
      expect(alertsFor().map((a) => a.kind)).toEqual(
        day < 23 ? [] : [ChannelAlertKind.REAUTHORIZE_SOON],
      );
    }
    expect(fake.stats.refreshes.get('lazada:lz-2001')).toBe(2);
    expect(alertsFor()[0]!.daysLeft).toBe(6);
  } finally {
    aheadMs = 0;
    publish.mockRestore();
  }
});
