import 'reflect-metadata';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import pino from 'pino';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { migrateUp } from '../../src/db/migrate';
import { createOrmConfig } from '../../src/db/orm-config';
import { ensureWebBuild } from '../../scripts/web-build';
import { browserSkipReason } from './browser';
import { freePort } from './net';
import { runDatabasePrefix } from './test-database';

declare global {
  var __stopTestPostgres: (() => Promise<void>) | undefined;
  var __dropTestTemplate: (() => Promise<void>) | undefined;
}

/**
 * One migrated template database per test run; each test file clones it
 * (CREATE DATABASE ... TEMPLATE), so files never see each other's rows.
 * Without DATABASE_URL an embedded PostgreSQL in a temporary directory serves.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'crm-test-pg-'));
    // Run as root, postgres runs as the `postgres` OS user, which must reach its data directory.
    await chmod(runDir, 0o755);
    const dataDir = path.join(runDir, 'data');
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: 'postgres',
      logger: pino({ level: 'silent' }),
    });
    serverUrl = embedded.url;
    globalThis.__stopTestPostgres = async () => {
      await embedded.stop();
      await rm(runDir, { recursive: true, force: true });
    };
    process.stdout.write(
      `\ntests: embedded PostgreSQL (no DATABASE_URL) at ${new URL(serverUrl).host}\n`,
    );
  } else {
    process.stdout.write(`\ntests: PostgreSQL from DATABASE_URL at ${new URL(serverUrl).host}\n`);
  }
  if (!process.env.REDIS_URL) {
    process.stdout.write(
      'tests: REDIS_URL is not set: skipping the Redis tests (event bus across instances, two API instances sharing ticket events, a channel alert reaching another instance, /readyz with Redis, sign-in limits counted in Redis, two deployments sharing one Redis under their key prefixes)\n',
    );
  }

  if (browserSkipReason) {
    process.stdout.write(
      `tests: skipping the browser tests (the dashboard and GraphiQL in Chromium): ${browserSkipReason}\n`,
    );
  }
  // The dashboard's browser test and the GraphiQL page tests load the built pages.
  ensureWebBuild((line) => process.stdout.write(`tests: ${line}\n`));

  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const template = `crm_test_template_${process.pid}`;
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists "${template}"`);
  await client.query(`create database "${template}"`);
  await client.end();

  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  const orm = await MikroORM.init(createOrmConfig(templateUrl.toString(), { poolMax: 2 }));
  await migrateUp(orm);
  await orm.close(true);

  process.env.TEST_DATABASE_ADMIN_URL = admin.toString();
  process.env.TEST_DATABASE_TEMPLATE = template;
  globalThis.__dropTestTemplate = async () => {
    const c = new Client({ connectionString: admin.toString() });
    await c.connect();
    // A file that crashed (or a worker replaced for its memory) may not have dropped its clone.
    const { rows } = await c.query<{ datname: string }>(
      `select datname from pg_database where starts_with(datname, $1)`,
      [runDatabasePrefix(template)],
    );
    for (const { datname } of rows)
      await c.query(`drop database if exists "${datname}" with (force)`);
    await c.query(`drop database if exists "${template}" with (force)`);
    await c.end();
  };
}
