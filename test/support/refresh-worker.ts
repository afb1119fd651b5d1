/**
 * One API instance's token refresh pass, in its own process, for the test
 * that runs two at once: prints "ready", waits for "go" on stdin, refreshes
 * every due channel, prints the run as JSON and exits.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { createOAuthClients } from '../../src/integrations/oauth';
import { refreshDueTokens } from '../../src/services/channels/channel-token.service';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config, pino({ level: 'silent' }), { migrate: false });
  const deps = {
    orm: db.orm,
    oauth: createOAuthClients(config.oauth),
    maxAttempts: config.oauth.refreshMaxAttempts,
    retryBaseMs: config.oauth.refreshRetryBaseMs,
  };
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'go') break;
  const run = await refreshDueTokens(deps, new Date());
  process.stdout.write(
    `${JSON.stringify({ refreshed: run.refreshed, failed: run.alerts.length })}\n`,
  );
  lines.close();
  await db.close();
}

void main();
