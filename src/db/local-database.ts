import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { openDatabase, type Database } from './database';

type LocalDatabaseConfig = Pick<
  Config,
  'databaseUrl' | 'dataDir' | 'embeddedPostgresPort' | 'dbPoolMax'
>;

/** The embedded cluster's folder under DATA_DIR, as openDatabase lays it out. */
const clusterDir = (dataDir: string): string => path.join(dataDir, 'postgres');

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the `postgres` user when run as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The port of the embedded PostgreSQL another process (`npm start`) is
 * running on this DATA_DIR, or null when none runs. PostgreSQL's
 * postmaster.pid holds the server's pid on line 1 and its port on line 4;
 * a file left by a crash names a dead pid.
 */
export async function runningEmbeddedPort(dataDir: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(path.join(clusterDir(dataDir), 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  return processAlive(pid) ? port : null;
}

/**
 * For operator commands (user:create, seed:demo): DATABASE_URL when set;
 * else the embedded cluster the running server holds, connected to over
 * TCP (a second process cannot start a cluster on the same data folder);
 * else the embedded cluster started for this command and stopped with it.
 */
export async function connectToLocalDatabase(
  config: LocalDatabaseConfig,
  logger: Logger,
): Promise<Database> {
  if (config.databaseUrl) return openDatabase(config, logger);
  const port = await runningEmbeddedPort(config.dataDir);
  if (port === null) return openDatabase(config, logger);
  const db = await openDatabase(
    // The credentials and database name startEmbeddedPostgres gives the cluster.
    { ...config, databaseUrl: `postgres://postgres:postgres@127.0.0.1:${port}/crm` },
    logger,
  );
  return {
    ...db,
    description: `the embedded PostgreSQL of the running server (127.0.0.1:${port}, data in ${clusterDir(config.dataDir)})`,
  };
}
