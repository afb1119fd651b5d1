/**
 * 30 simulated days of channel tokens on a fake clock (issue 21's
 * acceptance): a Shopee shop (4-hour tokens, single-use refresh tokens), a
 * Zalo OA (25 hours) and a TikTok shop (7 days, Unix-time expiries), with two
 * API instances (two connection pools over one scratch database) each
 * running the refresh job every 20 simulated minutes while the other makes
 * the channels' platform calls through the real clients (order detail for
 * the marketplaces, a message for Zalo) against the fake platforms.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:token-refresh
 *   BENCH_DAYS=3 npm run bench:token-refresh     # a shorter run
 *
 * Prints the calls made, the calls made with a token the platform no longer
 * accepted, refresh tokens spent twice and tokens readable as plain text in
 * the database; the last three must be 0 (the exit code says whether they were).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/database';
import { Channel, Conversation } from '../src/entities';
import { Platform } from '../src/entities/enums';
import { createOAuthClients } from '../src/integrations/oauth';
import { createOrderApiClients, credentialsOf } from '../src/integrations/order-api';
import { createChatSenders } from '../src/integrations/send';
import { runRefreshChannelTokens } from '../src/jobs/refresh-channel-tokens.job';
import { createLogger } from '../src/logger';
import { createEventBus, type EventBus } from '../src/realtime/event-bus';
import { channelTokenRenewer } from '../src/services/channels/channel-token.service';
import { channelWithCredentials } from '../src/services/orders/order-enrichment.service';
import { startFakeOAuth, type FakeOAuth } from '../test/support/fake-oauth';
import { fakeOrder, startFakePlatforms } from '../test/support/fake-platforms';
import { startFakeSendApi } from '../test/support/fake-send-api';
import { TEST_PLATFORM_ENV } from '../test/support/webhooks';

const DAY_MS = 86_400_000;
const STEP_MS = 20 * 60_000;
const DAYS = Number(process.env.BENCH_DAYS ?? 30);

/** A database of its own on DATABASE_URL's server, dropped at the end. */
async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server)
    throw new Error('DATABASE_URL must name a PostgreSQL server to create a scratch database on');
  const name = `token_refresh_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`drop database if exists "${name}" with (force)`),
  };
}

async function main(): Promise<void> {
  let clock = Date.now();
  const now = () => new Date(clock);
  const issuer: { current?: FakeOAuth } = {};
  const platforms = await startFakePlatforms({
    tokens: (platform, shopId, token) =>
      platform !== 'sendo' && issuer.current!.accepts(platform, shopId, token),
    now,
  });
  const send = await startFakeSendApi({
    tokens: (platform, token) => issuer.current!.accepts(platform, undefined, token),
  });
  const oauth = await startFakeOAuth({
    now,
    forward: [
      { prefix: '/shopee', to: `${platforms.url}/shopee` },
      { prefix: '/tiktok', to: `${platforms.url}/tiktok` },
    ],
  });
  issuer.current = oauth;
  const scratch = await scratchDatabase();
  const config = loadConfig({
    ...TEST_PLATFORM_ENV,
    ...platforms.env,
    ...oauth.env('http://127.0.0.1'),
    ZALO_API_BASE_URL: send.env.ZALO_API_BASE_URL,
    DATABASE_URL: scratch.url,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  });
  const logger = createLogger(config);
  const databases: Database[] = [];
  const buses: EventBus[] = [];
  try {
    databases.push(await openDatabase(config, logger));
    databases.push(await openDatabase(config, logger, { migrate: false }));
    const instances = databases.map((db) => {
      const bus = createEventBus({ redisUrl: undefined, redisPrefix: 'bench:' }, logger);
      buses.push(bus);
      const deps = {
        orm: db.orm,
        bus,
        oauth: createOAuthClients(config.oauth),
        maxAttempts: config.oauth.refreshMaxAttempts,
        retryBaseMs: config.oauth.refreshRetryBaseMs,
      };
      const renew = channelTokenRenewer(deps, now);
      return {
        deps,
        clients: createOrderApiClients(config.platforms, renew),
        senders: createChatSenders(config.messaging, config.platforms, renew),
      };
    });

    const em = databases[0]!.orm.em.fork();
    const connect = (platform: Platform, key: 'shopee' | 'zalo' | 'tiktok', shop: string) => {
      const issued = oauth.issue(key, shop, now());
      return em.create(Channel, {
        platform,
        externalShopId: shop,
        name: `${platform} ${shop}`,
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
        tokenExpiresAt: issued.expiresAt,
      });
    };
    const shopee = connect(Platform.SHOPEE, 'shopee', '91001');
    const zalo = connect(Platform.ZALO, 'zalo', 'oa-91002');
    const tiktok = connect(Platform.TIKTOK, 'tiktok', 'ts-91003');
    const buyer = 'zalo-user-1';
    em.create(Conversation, {
      channel: zalo,
      externalThreadId: buyer,
      externalUserId: buyer,
      lastInboundAt: now(),
      lastMessageAt: now(),
      unreadCount: 0,
    });
    await em.flush();
    platforms.addOrder(
      'shopee',
      fakeOrder({ shopId: '91001', externalId: 'SN-BENCH', status: 'READY_TO_SHIP' }),
    );
    platforms.addOrder(
      'tiktok',
      fakeOrder({ shopId: 'ts-91003', externalId: '5770001', status: 'AWAITING_SHIPMENT' }),
    );

    const calls = async (instance: (typeof instances)[number]) => {
      const channel = (id: string) => channelWithCredentials(instance.deps.orm.em.fork(), id);
      await instance.clients.shopee.fetchOrder(credentialsOf(await channel(shopee.id)), 'SN-BENCH');
      await instance.clients.tiktok.fetchOrder(credentialsOf(await channel(tiktok.id)), '5770001');
      const oa = await channel(zalo.id);
      await instance.senders[Platform.ZALO]!.send({
        channelId: oa.id,
        channelExternalId: oa.externalShopId,
        accessToken: oa.accessToken,
        threadId: buyer,
        recipientId: buyer,
        text: 'Dạ shop đã nhận đơn ạ',
        attachments: [],
      });
    };

    const started = performance.now();
    const end = clock + DAYS * DAY_MS;
    let steps = 0;
    while (clock < end) {
      clock += STEP_MS;
      const caller = instances[steps % 2]!;
      // Both instances' refresh jobs and one instance's calls, at the same simulated moment.
      await Promise.all([
        ...instances.map((instance) => runRefreshChannelTokens(instance.deps, now())),
        calls(caller),
      ]);
      steps += 1;
    }
    const seconds = (performance.now() - started) / 1000;

    const rows = await databases[0]!.orm.em
      .fork()
      .execute<{ access_token: string | null; refresh_token: string | null }[]>(
        'select access_token, refresh_token from channel',
      );
    const plain = rows
      .flatMap((row) => [row.access_token, row.refresh_token])
      .filter(
        (value) => value !== null && (!value.startsWith('enc:v1:') || /-(at|rt)-/.test(value)),
      );
    const figures = {
      simulatedDays: DAYS,
      steps,
      callsMade: oauth.stats.validCalls + oauth.stats.invalidCalls,
      callsWithExpiredToken: oauth.stats.invalidCalls,
      refreshes: Object.fromEntries(oauth.stats.refreshes),
      refreshTokensReused: oauth.stats.reusedRefreshTokens,
      plainTextTokensInDb: plain.length,
      wallSeconds: Math.round(seconds * 10) / 10,
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    const ok =
      figures.callsWithExpiredToken === 0 &&
      figures.refreshTokensReused === 0 &&
      figures.plainTextTokensInDb === 0 &&
      figures.callsMade === steps * 3;
    process.stdout.write(ok ? 'token refresh: OK\n' : 'token refresh: FAILED\n');
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const db of databases.reverse()) await db.close();
    await Promise.all(buses.map((bus) => bus.close()));
    await scratch.drop();
    await Promise.all([oauth.close(), send.close(), platforms.close()]);
  }
}

void main();
