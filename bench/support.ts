import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/database';
import { seedDemo } from '../src/db/seed-demo';
import { createLogger } from '../src/logger';
import { createEventBus, type EventBus } from '../src/realtime/event-bus';
import { createApp, type App } from '../src/app/server';

export type BenchServer = {
  app: App;
  db: Database;
  bus: EventBus;
  port: number;
  close: () => Promise<void>;
};

/**
 * The API on DATABASE_URL (else the embedded database), demo data seeded at
 * `scale` if it is not there yet, listening on a random local port.
 */
export async function startBenchServer(
  scale: number,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', ...env });
  const logger = createLogger(config);
  const db = await openDatabase(config, logger);
  await seedDemo(db.orm, { scale, env: config.env, logger });
  const bus = createEventBus(config, logger);
  const app = await createApp({
    config: { ...config, jwtSecret: config.jwtSecret ?? 'bench-'.repeat(8) },
    logger,
    db,
    bus,
  });
  const { port } = await app.listen(0, '127.0.0.1');
  return {
    app,
    db,
    bus,
    port,
    close: async () => {
      await app.stop();
      await bus.close();
      await db.close();
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
