import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { startSourceServer } from './support';

/** The push URL both crash benches register and sign Shopee pushes for. */
export const CRASH_PUSH_URL = 'http://crash.local/webhooks/shopee';

/**
 * The API from source taking Shopee pushes signed with `partnerKey` without
 * a rate limit; `env` adds the bench's own settings.
 */
export function startCrashServer(
  port: number,
  partnerKey: string,
  env: Record<string, string>,
): Promise<ChildProcess> {
  return startSourceServer(port, {
    SHOPEE_PARTNER_KEY: partnerKey,
    SHOPEE_PUSH_URL: CRASH_PUSH_URL,
    WEBHOOK_RATE_LIMIT_PER_SECOND: '100000',
    ...env,
  });
}

export type CrashRun = {
  /** The size of the burst (--pushes). */
  total: number;
  port: number;
  /** A new Shopee shop id, so that a rerun on the same database counts only its own orders. */
  shop: string;
  db: Client;
};

/**
 * The start of a kill -9 bench: its flags, a port drawn from `ports` (each
 * bench its own range), and a connection to DATABASE_URL, which both runs of
 * the server must share.
 */
export async function startCrashRun(
  ports: { first: number; count: number },
  shopPrefix: string,
): Promise<CrashRun> {
  const { values } = parseArgs({ options: { pushes: { type: 'string', default: '1000' } } });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error('set DATABASE_URL: both runs of the server must share one database');
  const port = ports.first + Math.floor(Math.random() * ports.count);
  const shop = `${shopPrefix}${Date.now()}`;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  return { total: Number(values.pushes), port, shop, db };
}
