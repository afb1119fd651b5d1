import 'reflect-metadata';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createTokenService } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { Channel, User } from '../src/entities';
import { Platform, Role } from '../src/entities/enums';
import { createLogger } from '../src/logger';
import { waitForLine } from '../test/support/processes';
import type {
  FanOutLoadCommand,
  FanOutLoadReport,
  FanOutLoadStatus,
  FanOutSocket,
} from './fanout.load';
import { shopeePusher } from './shopee-push';
import { runBench } from './support';

/**
 * Subscription fan-out on the compiled server (`npm run build`, NODE_ENV=
 * production, jobs off): N orderEvents subscribers signed in as admins, BOD,
 * team leaders and partner keys of two channel sets, held by load processes
 * of their own; signed Shopee pushes at a fixed rate from this process, each
 * a new order, so one event per push reaches every subscriber. Prints
 * deliveries/s, push-to-delivery p50/p99 (from when each push was due),
 * lost and duplicated deliveries, close codes, and the server's RSS idle,
 * with the sockets open, at its peak and after, for each N.
 *
 * `--two-instances`: subscribers on one API instance, pushes to another,
 * events between them over REDIS_URL (a prefix of this run's own).
 * DATABASE_URL must name a scratch database: the bench adds users, keys,
 * channels and orders to it.
 */
const PARTNER_KEY = 'bench-fanout-partner-key';
const PUSH_URL = 'http://bench.local/webhooks/shopee';
const JWT_SECRET = 'bench-fanout-jwt-secret-of-32-characters-at-least';
const METRICS_TOKEN = 'bench-fanout-metrics-token';
const QUERY = 'subscription { orderEvents { order { externalId } } }';
const FIRST_PORT = 4401;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : NaN;
}

/** CPU seconds a process has used (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Server = { child: ChildProcess; port: number };

async function startServer(port: number, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['dist/index.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      JWT_SECRET,
      METRICS_TOKEN,
      // Production requires a credentials key; the bench's channels hold no real tokens.
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      SHOPEE_PARTNER_KEY: PARTNER_KEY,
      SHOPEE_PUSH_URL: PUSH_URL,
      WEBHOOK_RATE_LIMIT_PER_SECOND: '100000',
      WS_MAX_SOCKETS_PER_IP: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, /GraphQL ready at/, 60_000);
  return { child, port };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

function httpJson<T>(port: number, path: string, body: unknown, token: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(text) as T));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function metrics(port: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    http
      .get(
        {
          host: '127.0.0.1',
          port,
          path: '/metrics',
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => {
            const sums = new Map<string, number>();
            for (const line of text.split('\n')) {
              if (line.startsWith('#') || !line) continue;
              const name = line.split(/[{ ]/)[0]!;
              const value = Number(line.slice(line.lastIndexOf(' ') + 1));
              sums.set(name, (sums.get(name) ?? 0) + value);
            }
            resolve(sums);
          });
        },
      )
      .on('error', reject);
  });
}

type Load = { child: ChildProcess; ask: <T>(command: FanOutLoadCommand) => Promise<T> };

function startLoad(): Load {
  const child = fork(require.resolve('./fanout.load.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
  });
  const waiting: ((message: unknown) => void)[] = [];
  child.on('message', (message) => waiting.shift()?.(message));
  return {
    child,
    ask: <T>(command: FanOutLoadCommand) =>
      new Promise<T>((resolve) => {
        waiting.push(resolve as (message: unknown) => void);
        child.send(command);
      }),
  };
}

function percentileOf(histogram: Map<number, number>, p: number): number {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  let seen = 0;
  for (const [ms, count] of [...histogram.entries()].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen >= (p / 100) * total) return ms;
  }
  return NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '1000,5000,20000' },
      /** Offered deliveries per second; the push rate is this over N (unless --rate). */
      deliveries: { type: 'string', default: '20000' },
      rate: { type: 'string' },
      duration: { type: 'string', default: '10' },
      clients: { type: 'string', default: '4' },
      /** A process may open 20,000 files here: past this, subscribers share sockets. */
      'max-sockets': { type: 'string', default: '10000' },
      'sockets-per-viewer': { type: 'string', default: '50' },
      'two-instances': { type: 'boolean', default: false },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || /\/(postgres|test|root)$/.test(databaseUrl)) {
    throw new Error('DATABASE_URL must name a scratch database of your own');
  }
  const twoInstances = values['two-instances'];
  const redisUrl = process.env.REDIS_URL;
  if (twoInstances && !redisUrl) throw new Error('--two-instances needs REDIS_URL');
  const counts = values.subscribers.split(',').map(Number);
  const maxSockets = Number(values['max-sockets']);
  const socketsPerViewer = Number(values['sockets-per-viewer']);
  const durationS = Number(values.duration);

  // The data: migrations applied, then channels, viewers and keys of this run.
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', JWT_SECRET });
  const db = await openDatabase(config, createLogger(config));
  const em = db.orm.em.fork();
  const stamp = Date.now();
  const shop = `8${stamp}`;
  const channel = em.create(Channel, {
    platform: Platform.SHOPEE,
    externalShopId: shop,
    name: 'Fan-out bench shop',
  });
  const other = em.create(Channel, {
    platform: Platform.LAZADA,
    externalShopId: `fanout-${stamp}`,
    name: 'Fan-out bench other shop',
  });
  const viewerCount = Math.ceil(Math.min(maxSockets, Math.max(...counts)) / socketsPerViewer);
  const keyCount = Math.ceil(viewerCount / 4);
  const roles = [Role.ADMIN, Role.BOD, Role.TELESALES_LEADER, Role.CUSTOMER_SERVICE_LEADER];
  const users = Array.from({ length: viewerCount - keyCount }, (_, i) =>
    em.create(User, {
      email: `fanout-${stamp}-${i}@bench.local`,
      passwordHash: 'unused',
      fullName: `Fan-out ${i}`,
      role: roles[i % roles.length]!,
    }),
  );
  await em.flush();
  const tokens = createTokenService(JWT_SECRET, 24 * 3600);
  const viewers: Record<string, string>[] = users.map((user) => ({
    authorization: `Bearer ${tokens.sign(user.id).token}`,
  }));

  const rows: string[] = [];
  const machine = () =>
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${db.description}`;
  rows.push(
    `bench:fanout, ${twoInstances ? 'two API instances over Redis (subscribers on one, pushes to the other)' : 'one API instance, in-process bus'}; ${machine()}`,
  );
  process.stdout.write(`${rows[0]}\n`);

  for (const [run, subscribers] of counts.entries()) {
    const prefix = `bench-fanout-${stamp}-${run}:`;
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      WS_MAX_SOCKETS_PER_VIEWER: String(socketsPerViewer),
      ...(twoInstances ? { REDIS_URL: redisUrl!, REDIS_PREFIX: prefix } : {}),
    };
    const subscriberServer = await startServer(FIRST_PORT, env);
    const pushServer = twoInstances ? await startServer(FIRST_PORT + 1, env) : subscriberServer;
    const pid = subscriberServer.child.pid!;
    // Partner keys, made by the API itself: half for the bench shop, half for both shops.
    if (run === 0) {
      for (let i = 0; i < keyCount; i += 1) {
        const created = await httpJson<{ data?: { createApiKey: { secret: string } } }>(
          subscriberServer.port,
          '/graphql',
          {
            query:
              'mutation($ids: [ID!]!) { createApiKey(name: "fan-out bench", channelIds: $ids) { secret } }',
            variables: { ids: i % 2 === 0 ? [channel.id] : [channel.id, other.id] },
          },
          tokens.sign(users[0]!.id).token,
        );
        viewers.push({ apiKey: created.data!.createApiKey.secret });
      }
    }
    const rssIdle = rssMb(pid);

    const sockets = Math.min(subscribers, maxSockets);
    const perSocket = Math.ceil(subscribers / sockets);
    const plan: FanOutSocket[] = Array.from({ length: sockets }, (_, i) => ({
      params: viewers[i % viewers.length]!,
      subscriptions: Math.min(perSocket, subscribers - i * perSocket),
    })).filter((socket) => socket.subscriptions > 0);
    const total = plan.reduce((n, s) => n + s.subscriptions, 0);
    const clientCount = Math.max(1, Math.min(Number(values.clients), Math.ceil(sockets / 500)));
    const loads = Array.from({ length: clientCount }, startLoad);
    const url = `ws://127.0.0.1:${subscriberServer.port}/graphql`;
    loads.forEach((load, i) =>
      load.child.send({
        kind: 'start',
        url,
        query: QUERY,
        sockets: plan.filter((_, s) => s % clientCount === i),
        connectConcurrency: 100,
      } satisfies FanOutLoadCommand),
    );
    const status = async () => {
      const all = await Promise.all(
        loads.map((load) => load.ask<FanOutLoadStatus>({ kind: 'status' })),
      );
      return {
        sockets: all.reduce((n, s) => n + s.sockets, 0),
        warm: all.reduce((n, s) => n + s.warm, 0),
        refused: all.reduce((n, s) => n + s.refused, 0),
      };
    };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const push = shopeePusher(
      { port: pushServer.port, shop, partnerKey: PARTNER_KEY, pushUrl: PUSH_URL },
      agent,
    );
    // Connected, then warm: every subscription has seen a push, so it listens.
    const connectStarted = now();
    for (let i = 0; (await status()).sockets < plan.length && i < 1200; i += 1) await sleep(100);
    const connectSeconds = (now() - connectStarted) / 1000;
    // Subscribing is slower than connecting (each is parsed, validated and its viewer re-read):
    // up to 10 minutes.
    for (let i = 0; (await status()).warm < total && i < 600; i += 1) {
      await push(`W${stamp}-${run}-${i}`, 'READY_TO_SHIP');
      await sleep(1_000);
    }
    const warmed = await status();
    await sleep(1_000);
    const rssConnected = rssMb(pid);
    const before = await metrics(subscriberServer.port);

    const rate = values.rate ? Number(values.rate) : Number(values.deliveries) / total;
    const events = Math.max(1, Math.round(rate * durationS));
    const measure = `F${stamp}x${run}`;
    for (const load of loads) load.child.send({ kind: 'measure', prefix: measure, events });
    await sleep(200);
    let rssPeak = rssConnected;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 250);
    const cpuBefore = cpuSeconds(pid);
    const started = now();
    let accepted = 0;
    let failed = 0;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < events; i += 1) {
      const due = started + (i * 1000) / rate;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      const sent = push(`${measure}-${i}-${Math.round(due)}`, 'READY_TO_SHIP').then(
        (code) => void (code === 200 ? (accepted += 1) : (failed += 1)),
        () => void (failed += 1),
      );
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      if (inFlight.size >= 64) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const pushedAt = now();
    // Until deliveries stop arriving (at most 30 s after the last push).
    let last = -1;
    for (let i = 0; i < 30; i += 1) {
      await sleep(1_000);
      const delivered = await metrics(subscriberServer.port).then(
        (m) => m.get('subscription_deliveries_total') ?? 0,
      );
      if (delivered === last) break;
      last = delivered;
    }
    clearInterval(sampler);
    const cpu = cpuSeconds(pid) - cpuBefore;
    const after = await metrics(subscriberServer.port);
    const reports = await Promise.all(
      loads.map((load) => load.ask<FanOutLoadReport>({ kind: 'report' })),
    );
    const rssAfter = rssMb(pid);
    const delivered = reports.reduce((n, r) => n + r.delivered, 0);
    const duplicates = reports.reduce((n, r) => n + r.duplicates, 0);
    const histogram = new Map<number, number>();
    const closes = new Map<number, number>();
    for (const report of reports) {
      for (const [ms, count] of Object.entries(report.latencyMs)) {
        histogram.set(Number(ms), (histogram.get(Number(ms)) ?? 0) + count);
      }
      for (const [code, count] of Object.entries(report.closes)) {
        closes.set(Number(code), (closes.get(Number(code)) ?? 0) + count);
      }
    }
    const lastAt = Math.max(...reports.map((r) => r.lastAt));
    const seconds = (Math.max(lastAt, pushedAt) - started) / 1000;
    const expected = accepted * total;
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    const line = [
      `${total} subscribers on ${plan.length} sockets (${perSocket}/socket, ${clientCount} load processes; ${warmed.warm} warm, ${warmed.refused} refused, connected in ${connectSeconds.toFixed(1)}s), ${events} pushes at ${rate.toFixed(2)}/s = ${(rate * total).toFixed(0)} deliveries/s offered`,
      `  delivered ${delivered} of ${expected} (lost ${expected - delivered}, duplicated ${duplicates}) in ${seconds.toFixed(1)}s: ${(delivered / seconds).toFixed(0)} deliveries/s; pushes accepted ${accepted}, failed ${failed}`,
      `  push -> delivery p50 ${percentileOf(histogram, 50)} ms, p99 ${percentileOf(histogram, 99)} ms, max ${Math.max(...histogram.keys())} ms`,
      `  executions ${delta('subscription_executions_total')} for ${delta('subscription_deliveries_total')} messages (${after.get('subscription_groups') ?? 0} groups); slow-consumer closes ${delta('ws_slow_consumer_closes_total')}; close codes seen ${closes.size ? [...closes].map(([c, n]) => `${c} x${n}`).join(', ') : 'none'}`,
      `  server RSS idle ${rssIdle.toFixed(0)} MB, sockets open ${rssConnected.toFixed(0)} MB, peak ${rssPeak.toFixed(0)} MB, after ${rssAfter.toFixed(0)} MB; server CPU ${cpu.toFixed(1)} s (${((cpu * 1e6) / Math.max(1, delivered)).toFixed(1)} us per delivery); load CPU ${(reports.reduce((n, r) => n + r.cpuMs, 0) / 1000).toFixed(1)} s; ${machine()}`,
    ].join('\n');
    rows.push(line);
    process.stdout.write(`${line}\n`);
    for (const load of loads) load.child.kill();
    agent.destroy();
    if (pushServer !== subscriberServer) await stopServer(pushServer);
    await stopServer(subscriberServer);
  }
  await db.close();
}

runBench(main);
