import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/database';
import { Channel } from '../src/entities';
import { Platform } from '../src/entities/enums';
import { createOAuthClients } from '../src/integrations/oauth';
import { PlatformRejected } from '../src/integrations/order-api/types';
import { runRefreshChannelTokens } from '../src/jobs/refresh-channel-tokens.job';
import {
  withFreshToken,
  type TokenRefreshDeps,
} from '../src/services/channels/channel-token.service';
import { startFakeOAuth, type FakeOAuth, type OAuthPlatform } from './support/fake-oauth';
import { waitForLine } from './support/processes';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';

const PUBLIC_URL = 'https://crm.test';
const DAY_MS = 86_400_000;
const STEP_MS = 20 * 60_000;

let clock = Date.now();
let fake: FakeOAuth;
let t: TestApp;
let second: Database;
let env: Record<string, string>;
beforeAll(async () => {
  fake = await startFakeOAuth({ now: () => new Date(clock) });
  env = { ...TEST_PLATFORM_ENV, ...fake.env(PUBLIC_URL) };
  t = await startTestApp({ platformEnv: env });
  // A second API instance: its own pool and clients over the same database.
  second = await openDatabase(
    { databaseUrl: t.database.url, dataDir: '.data', embeddedPostgresPort: 0, dbPoolMax: 3 },
    pino({ level: 'silent' }),
    { migrate: false },
  );
});
afterAll(async () => {
  await second.close();
  await t.close();
  await fake.close();
});

async function connect(platform: Platform, shop: string): Promise<string> {
  fake.nextShop(platform.toLowerCase() as OAuthPlatform, shop);
  const res = await t.gql<{ channelAuthorizationUrl: string }>(
    `query($p: Platform!) { channelAuthorizationUrl(platform: $p) }`,
    { p: platform },
  );
  const approved = await fetch(res.data!.channelAuthorizationUrl, { redirect: 'manual' });
  const location = new URL(approved.headers.get('location')!);
  const done = await request(t.app.httpServer).get(location.pathname + location.search);
  expect(done.status).toBe(200);
  return done.body.connected[0].id as string;
}

/** The platform call of the simulation: a refusal of the token is the platform's 401. */
const platformCall = (platform: OAuthPlatform) => async (channel: Channel) => {
  const res = await fake.call(platform, channel.externalShopId, channel.accessToken ?? '');
  if (!res.ok) throw new PlatformRejected(channel.platform, 'token invalid or expired', '401');
};

it('keeps Shopee (4 h), Zalo (25 h) and TikTok (7 d) tokens valid for 30 simulated days on two instances', async () => {
  const channels = [
    { id: await connect(Platform.SHOPEE, '8101'), platform: 'shopee' as const },
    { id: await connect(Platform.ZALO, 'oa-8102'), platform: 'zalo' as const },
    { id: await connect(Platform.TIKTOK, 'ts-8103'), platform: 'tiktok' as const },
  ];
  const config = loadConfig({ ...env, NODE_ENV: 'test' });
  const instances: (TokenRefreshDeps & { bus: TestApp['bus'] })[] = [
    { ...t.app.services.tokenRefresh, bus: t.bus },
    {
      orm: second.orm,
      oauth: createOAuthClients(config.oauth),
      maxAttempts: config.oauth.refreshMaxAttempts,
      retryBaseMs: config.oauth.refreshRetryBaseMs,
      bus: t.bus,
    },
  ];
  const start = clock;
  let step = 0;
  while (clock < start + 30 * DAY_MS) {
    clock += STEP_MS;
    const now = new Date(clock);
    // Both instances' jobs run at the same moment.
    await Promise.all(instances.map((deps) => runRefreshChannelTokens(deps, now)));
    for (const channel of channels) {
      const deps = instances[step % 2]!;
      await withFreshToken(deps, channel.id, platformCall(channel.platform), () => now);
    }
    step += 1;
  }
  expect(fake.stats.invalidCalls).toBe(0);
  expect(fake.stats.validCalls).toBe(step * channels.length);
  expect(fake.stats.reusedRefreshTokens).toBe(0);
  // About one refresh per lifetime less its margin: 3.5 h, 20 h and 6 days.
  expect(fake.stats.refreshes.get('shopee:8101')).toBeGreaterThanOrEqual(190);
  expect(fake.stats.refreshes.get('zalo:oa-8102')).toBeGreaterThanOrEqual(34);
  expect(fake.stats.refreshes.get('tiktok:ts-8103')).toBe(5);
  const raw = await t.orm.em.fork().execute<{ access_token: string; refresh_token: string }[]>(
    `select access_token, refresh_token from channel where id in (?, ?, ?)`,
    channels.map((c) => c.id),
  );
  for (const row of raw) {
    expect(row.access_token).toMatch(/^enc:v1:/);
    expect(row.refresh_token).toMatch(/^enc:v1:/);
    expect(row.access_token).not.toMatch(/-(at|rt)-/);
  }
}, 600_000);

it('never spends one refresh token twice when two processes refresh the same channels at once', async () => {
  clock = Date.now();
  const em = t.orm.em.fork();
  const shops = Array.from({ length: 12 }, (_, i) => String(9000 + i));
  for (const shop of shops) {
    const issued = fake.issue('shopee', shop, new Date(clock));
    em.create(Channel, {
      platform: Platform.SHOPEE,
      externalShopId: shop,
      name: `Shop ${shop}`,
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      // Due now: inside Shopee's 30-minute margin.
      tokenExpiresAt: new Date(clock + 10 * 60_000),
    });
  }
  await em.flush();
  const before = new Map(fake.stats.refreshes);
  const reusedBefore = fake.stats.reusedRefreshTokens;
  const workers = [0, 1].map(() =>
    spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join('test', 'support', 'refresh-worker.ts')],
      {
        cwd: path.resolve(__dirname, '..'),
        env: { PATH: process.env.PATH, ...env, NODE_ENV: 'test', DATABASE_URL: t.database.url },
      },
    ),
  );
  // Listen for the exits now: the first worker to finish can exit before the
  // second one prints, and a listener attached after an exit waits forever.
  const exits = workers.map(
    (child) => new Promise<number | null>((resolve) => child.once('exit', resolve)),
  );
  let outputs: string[];
  try {
    await Promise.all(workers.map((child) => waitForLine(child, /ready/, 240_000)));
    const results = workers.map((child) => waitForLine(child, /"refreshed":\d+/, 240_000));
    for (const child of workers) child.stdin.write('go\n');
    outputs = await Promise.all(results);
  } catch (error) {
    for (const child of workers) child.kill();
    throw error;
  }
  const refreshed = outputs.map((out) => Number(/"refreshed":(\d+)/.exec(out)![1]));
  expect(refreshed[0]! + refreshed[1]!).toBe(shops.length);
  expect(fake.stats.reusedRefreshTokens).toBe(reusedBefore);
  for (const shop of shops) {
    expect(
      (fake.stats.refreshes.get(`shopee:${shop}`) ?? 0) - (before.get(`shopee:${shop}`) ?? 0),
    ).toBe(1);
  }
  expect(await Promise.all(exits)).toEqual([0, 0]);
}, 540_000);
