import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import request from 'supertest';
import { openDatabase, type Database } from '../../src/db/database';
import { createEventBus, type EventBus } from '../../src/realtime/event-bus';
import { createApp, type App } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './test-database';

export type GraphQLResponse<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
};

export type TestApp = {
  app: App;
  db: Database;
  orm: MikroORM;
  bus: EventBus;
  address: AddressInfo;
  httpUrl: string;
  wsUrl: string;
  /** POST /graphql over real HTTP. */
  gql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<GraphQLResponse<T>>;
  /** POST a codegen-typed operation (test/operations/*.graphql). */
  run: <R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    variables?: V,
  ) => Promise<GraphQLResponse<R>>;
  close: () => Promise<void>;
};

/** A real server on a random port over this file's own database. */
export async function startTestApp(
  options: { redisUrl?: string; env?: 'test' | 'production' } = {},
): Promise<TestApp> {
  const logger = pino({ level: 'silent' });
  const database: TestDatabase = await createTestDatabase();
  const db = await openDatabase(
    { databaseUrl: database.url, dataDir: '.data', embeddedPostgresPort: 0, dbPoolMax: 5 },
    logger,
    { migrate: false },
  );
  const bus = createEventBus(options.redisUrl, logger);
  const app = await createApp({
    config: { env: options.env ?? 'test', graphqlMaxDepth: 12 },
    logger,
    db,
    bus,
  });
  const address = await app.listen(0, '127.0.0.1');
  const httpUrl = `http://127.0.0.1:${address.port}`;
  const gql: TestApp['gql'] = async (query, variables) => {
    const response = await request(app.httpServer)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query, variables });
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
    gql,
    run: (document, variables) => gql(print(document), variables),
    close: async () => {
      await app.stop();
      await bus.close();
      await db.close();
      await database.drop();
    },
  };
}
