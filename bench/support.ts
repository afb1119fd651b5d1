import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config';
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
  const { config, logger, db } = await openSeededDatabase(scale, env);
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

/**
 * The database on DATABASE_URL (else the embedded one), migrated, with the
 * demo data seeded at `scale` if it is not there yet.
 */
export async function openSeededDatabase(
  scale: number,
  env: Record<string, string> = {},
): Promise<{ config: Config; logger: ReturnType<typeof createLogger>; db: Database }> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', ...env });
  const logger = createLogger(config);
  const db = await openDatabase(config, logger);
  await seedDemo(db.orm, { scale, env: config.env, logger });
  return { config, logger, db };
}

export type DistServer = {
  child: ChildProcess;
  port: number;
  command: string;
  stop: () => Promise<void>;
};

/**
 * The compiled server (after `npm run build`), started with the node flags of
 * `npm run start:prod` and NODE_ENV=production on the bench's database, on a
 * port the system picks; `env` adds to or overrides its environment.
 */
export async function startDistServer(
  databaseUrl: string,
  jwtSecret: string,
  env: Record<string, string> = {},
): Promise<DistServer> {
  const root = path.join(__dirname, '..');
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = pkg.scripts['start:prod'] ?? '';
  const [program, ...args] = command.split(/\s+/);
  if (program !== 'node') throw new Error(`start:prod is not a node command: ${command}`);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      // Production requires a credentials key; the bench's channels hold no real tokens.
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /GraphQL ready at http:\/\/[^/\s]+:(\d+)\/graphql/.exec(output);
      if (ready) {
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // its later log lines are not read
        resolve(Number(ready[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}:\n${output}`)));
  });
  return {
    child,
    port,
    command,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, and wait until the process is gone. */
/**
 * The API from source (`src/index.ts`) on a fixed port, for the crash
 * benches: they kill it with SIGKILL and start it again on the same port
 * and database. Resolves once it logs "GraphQL ready".
 */
export function startSourceServer(
  port: number,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/index.ts'], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('GraphQL ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
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
