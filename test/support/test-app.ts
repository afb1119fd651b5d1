import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { User } from '../../src/entities';
import { Role } from '../../src/entities/enums';
import request from 'supertest';
import { openDatabase, type Database } from '../../src/db/database';
import { createEventBus, type EventBus } from '../../src/realtime/event-bus';
import { startJobs } from '../../src/jobs/boss';
import { createApp, type App, type AppDeps } from '../../src/app/server';
import { defaultRedisPrefix, loadConfig, type Config } from '../../src/config';
import type { OutboundDelivery } from '../../src/services/conversations/conversation-contracts';
import { createTestDatabase, type TestDatabase } from './test-database';
import { DEV_CREDENTIALS_KEY } from '../../src/db/credential-cipher';
import { TEST_PLATFORM_ENV } from './webhooks';

const pick = <K extends keyof Config>(config: Config, keys: K[]): Pick<Config, K> =>
  Object.fromEntries(keys.map((key) => [key, config[key]])) as Pick<Config, K>;

export type GraphQLResponse<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
};

/** Whose credentials a request carries: a bearer token, an API key, or none (anonymous). */
export type Auth = { token: string } | { apiKey: string } | 'anonymous';

export type TestApp = {
  app: App;
  db: Database;
  orm: MikroORM;
  bus: EventBus;
  address: AddressInfo;
  httpUrl: string;
  wsUrl: string;
  /** A signed-in ADMIN made for this app; requests use its token unless told otherwise. */
  admin: User;
  adminToken: string;
  tokenFor: (user: { id: string }) => string;
  /** POST /graphql over real HTTP, as the admin unless `auth` says otherwise. */
  gql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: Auth,
  ) => Promise<GraphQLResponse<T>>;
  /** POST a codegen-typed operation (test/operations/*.graphql). */
  run: <R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    variables?: V,
  ) => Promise<GraphQLResponse<R>>;
  database: TestDatabase;
  /** A ticket's current version, read from the database: what a client that just read it would send. */
  ticketVersion: (ticketId: string) => Promise<number>;
  close: () => Promise<void>;
};

/** A `login` mutation over real HTTP, without credentials, as a sign-in form sends it. */
export const login = (t: TestApp, email: string, password: string) =>
  request(t.app.httpServer)
    .post('/graphql')
    .set('content-type', 'application/json')
    .send({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      variables: { e: email, p: password },
    });

/** A real server on a random port over this file's own database. */
export async function startTestApp(
  options: {
    redisUrl?: string;
    /** Default: the one the database's name gives, as in a deployment (see REDIS_PREFIX). */
    redisPrefix?: string;
    env?: 'test' | 'production';
    /** Share another app's database (a second API instance); it is not dropped on close. */
    database?: TestDatabase;
    /** Environment for the marketplace settings (default: every app configured, see webhooks.ts). */
    platformEnv?: Record<string, string>;
    /** Run the pg-boss jobs (enrich-order, retries...) in this app, as `npm start` does. */
    jobs?: boolean;
    /** The outbound delivery the bot queues its answers on (default: they are marked FAILED). */
    delivery?: OutboundDelivery;
    /** The bot's breaker clock. */
    botClock?: () => number;
    /** GraphiQL's pages (default on, as in development). */
    graphiql?: boolean;
    /** Settings as if from the environment (METRICS_TOKEN, CORS_ORIGINS...), over `env`'s defaults. */
    config?: Partial<AppDeps['config']>;
    /** Where the app logs (default: nowhere). */
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const database: TestDatabase = options.database ?? (await createTestDatabase());
  const db = await openDatabase(
    { databaseUrl: database.url, dataDir: '.data', embeddedPostgresPort: 0, dbPoolMax: 5 },
    logger,
    { migrate: false },
  );
  const redisPrefix = options.redisPrefix ?? defaultRedisPrefix(database.url);
  const bus = createEventBus({ redisUrl: options.redisUrl, redisPrefix }, logger);
  const config = loadConfig({
    ...(options.platformEnv ?? TEST_PLATFORM_ENV),
    NODE_ENV: options.env ?? 'test',
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    // The documented development key, given explicitly as production requires.
    CREDENTIALS_KEY: DEV_CREDENTIALS_KEY,
  });
  const jobs = options.jobs
    ? await startJobs({
        databaseUrl: database.url,
        orm: db.orm,
        bus,
        logger,
        inboundMaxAttempts: config.inboundMaxAttempts,
        platforms: config.platforms,
        messaging: config.messaging,
        partnerWebhooks: options.config?.partnerWebhooks ?? config.partnerWebhooks,
        oauth: config.oauth,
      })
    : undefined;
  const app = await createApp({
    config: {
      env: options.env ?? 'test',
      graphqlMaxDepth: 12,
      graphiql: options.graphiql ?? true,
      jwtSecret: 'test-secret-that-is-at-least-32-characters-long',
      jwtTtlSeconds: 3600,
      redisUrl: options.redisUrl,
      redisPrefix,
      ...pick(config, [
        'platforms',
        'webhookRateLimitPerSecond',
        'inboundMaxAttempts',
        'tikiQueue',
        'bot',
        'messaging',
        'exports',
        'imports',
        'partnerWebhooks',
        'oauth',
        'graphqlIntrospection',
        'metrics',
        'corsOrigins',
        'websocket',
        'subscriptions',
      ]),
      ...options.config,
    },
    logger,
    db,
    bus,
    jobs,
    delivery: options.delivery,
    botClock: options.botClock,
  });
  const address = await app.listen(0, '127.0.0.1');
  const httpUrl = `http://127.0.0.1:${address.port}`;
  const em = db.orm.em.fork();
  const admin = em.create(User, {
    email: `admin-${randomUUID().slice(0, 8)}@test.local`,
    passwordHash: 'unused',
    fullName: 'Test Admin',
    role: Role.ADMIN,
  });
  await em.flush();
  const tokenFor = (user: { id: string }) => app.services.tokens.sign(user.id).token;
  const adminToken = tokenFor(admin);
  const gql: TestApp['gql'] = async (query, variables, auth = { token: adminToken }) => {
    let req = request(app.httpServer).post('/graphql').set('content-type', 'application/json');
    if (auth !== 'anonymous' && 'token' in auth)
      req = req.set('authorization', `Bearer ${auth.token}`);
    if (auth !== 'anonymous' && 'apiKey' in auth) req = req.set('x-api-key', auth.apiKey);
    const response = await req.send({ query, variables });
    return response.body as GraphQLResponse<never>;
  };
  return {
    app,
    db,
    orm: db.orm,
    bus,
    address,
    httpUrl,
    wsUrl: `ws://127.0.0.1:${address.port}/graphql`,
    database,
    admin,
    adminToken,
    tokenFor,
    gql,
    run: (document, variables) => gql(print(document), variables),
    ticketVersion: async (ticketId) => {
      const rows = await db.orm.em
        .fork()
        .execute<{ version: number }[]>('select "version" from "ticket" where "id" = ?', [
          ticketId,
        ]);
      if (!rows[0]) throw new Error(`no ticket ${ticketId}`);
      return rows[0].version;
    },
    close: async () => {
      await app.stop();
      await jobs?.stop();
      await bus.close();
      await db.close();
      if (!options.database) await database.drop();
    },
  };
}
