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
import { SLOW_CONSUMER_CLOSE_CODE } from '../src/realtime/fan-out';
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
 * Then, in the same run, the same load against a minimal `ws` server
 * (bench/fanout.baseline.ts: the same sockets, subscriptions, message bytes
 * and rate, no GraphQL and no database), and the API's deliveries/s and p99
 * as a ratio of the baseline's (`--skip-baseline` leaves it out).
 *
 * `--slow-share 0.1`: that share of the sockets stops reading when the
 * measure starts (the overload scenario): the server closes them 4011 once
 * WS_MAX_BUFFERED_BYTES (`--max-buffered`) is waiting for one, the others
 * must still get every event, and the RSS must stay bounded. `--copies n`
 * adds n aliased copies of the order to the query, for messages of a few
 * KiB; `--slow-subscriptions k` puts k subscriptions on each paused socket,
 * so that the kernel's buffers for it (a few MB on loopback) fill within
 * seconds and WS_MAX_BUFFERED_BYTES is reached.
 *
 * `--two-instances`: subscribers on one API instance, pushes to another,
 * events between them over REDIS_URL (a prefix of this run's own).
 * `--server-cpu-prof <dir>`: the (subscriber) API writes a CPU profile there
 * when it stops. DATABASE_URL must name a scratch database: the bench adds
 * users, keys, channels and orders to it.
 */
const PARTNER_KEY = 'bench-fanout-partner-key';
const PUSH_URL = 'http://bench.local/webhooks/shopee';
const JWT_SECRET = 'bench-fanout-jwt-secret-of-32-characters-at-least';
const METRICS_TOKEN = 'bench-fanout-metrics-token';
/** Production requires a credentials key; the bench's channels hold no real tokens. */
const CREDENTIALS_KEY = randomBytes(32).toString('base64');
const FIRST_PORT = 4401;
const BASELINE_PORT = 4411;

/** The subscription every subscriber holds; `copies` aliased copies of the order make it bigger. */
const queryOf = (copies: number) =>
  `subscription { orderEvents { order { externalId }${Array.from(
    { length: copies },
    (_, i) => ` o${i}: order { id externalId status }`,
  ).join('')} } }`;

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

/** Every process this bench started, so a failed run leaves none behind on the ports. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startServer(
  port: number,
  env: Record<string, string>,
  cpuProfileDir?: string,
): Promise<Server> {
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...profile, 'dist/index.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      JWT_SECRET,
      METRICS_TOKEN,
      CREDENTIALS_KEY,
      SHOPEE_PARTNER_KEY: PARTNER_KEY,
      SHOPEE_PUSH_URL: PUSH_URL,
      WEBHOOK_RATE_LIMIT_PER_SECOND: '100000',
      WS_MAX_SOCKETS_PER_IP: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
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
  children.add(child);
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

/** What one measure runs against: the API (subscriber instance) or the `ws` baseline. */
type Target = {
  label: string;
  pid: number;
  wsUrl: string;
  push: (order: string, status: string) => Promise<number>;
  /** The API's /metrics; the baseline has none. */
  metrics?: () => Promise<Map<string, number>>;
};

type Measured = {
  deliveriesPerSecond: number;
  p99: number;
  lines: string[];
};

/** Connects the plan's sockets to `target`, warms them, pushes `events` at `rate`, reports. */
async function measureTarget(
  target: Target,
  options: {
    plan: FanOutSocket[];
    query: string;
    rate: number;
    events: number;
    prefix: string;
    clients: number;
    maxBufferedBytes: number;
    machine: () => string;
  },
): Promise<Measured> {
  const { plan, rate, events, prefix } = options;
  const { pid } = target;
  const rssIdle = rssMb(pid);
  const total = plan.reduce((n, s) => n + s.subscriptions, 0);
  const clientCount = Math.max(1, Math.min(options.clients, Math.ceil(plan.length / 500)));
  const loads = Array.from({ length: clientCount }, startLoad);
  loads.forEach((load, i) =>
    load.child.send({
      kind: 'start',
      url: target.wsUrl,
      query: options.query,
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
      delivered: all.reduce((n, s) => n + s.delivered, 0),
    };
  };
  // Connected, then warm: every subscription has seen a push, so it listens.
  const connectStarted = now();
  for (let i = 0; (await status()).sockets < plan.length && i < 1200; i += 1) await sleep(100);
  const connectSeconds = (now() - connectStarted) / 1000;
  const warmStarted = now();
  // A refused subscription (a cap) never warms: waiting stops when the rest did.
  for (let i = 0; i < 600; i += 1) {
    const { warm, refused } = await status();
    if (warm + refused >= total) break;
    await target.push(`${prefix}W-${i}`, 'READY_TO_SHIP');
    await sleep(1_000);
  }
  const warmSeconds = (now() - warmStarted) / 1000;
  const warmed = await status();
  await sleep(1_000);
  const rssConnected = rssMb(pid);
  const before = await target.metrics?.();

  const measure = `${prefix}M`;
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
    const sent = target.push(`${measure}-${i}-${Math.round(due)}`, 'READY_TO_SHIP').then(
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
    const { delivered } = await status();
    if (delivered === last) break;
    last = delivered;
  }
  const pausedSockets = plan.filter((socket) => socket.pause).length;
  if (pausedSockets > 0) {
    // The paused sockets read what the kernel holds for them, then the server's close.
    for (const load of loads) load.child.send({ kind: 'resume' } satisfies FanOutLoadCommand);
    await sleep(3_000);
  }
  clearInterval(sampler);
  const cpu = cpuSeconds(pid) - cpuBefore;
  const after = await target.metrics?.();
  const reports = await Promise.all(
    loads.map((load) => load.ask<FanOutLoadReport>({ kind: 'report' })),
  );
  const rssAfter = rssMb(pid);
  for (const load of loads) load.child.kill();

  const sum = (pick: (report: FanOutLoadReport) => number) =>
    reports.reduce((n, r) => n + pick(r), 0);
  const delivered = sum((r) => r.delivered);
  const fastDelivered = sum((r) => r.fastDelivered);
  const fastSubscriptions = sum((r) => r.fastSubscriptions);
  const duplicates = sum((r) => r.duplicates);
  const bytes = sum((r) => r.bytes);
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
  const expected = accepted * fastSubscriptions;
  const deliveriesPerSecond = fastDelivered / seconds;
  const p99 = percentileOf(histogram, 99);
  const delta = (name: string) => (after?.get(name) ?? 0) - (before?.get(name) ?? 0);
  const lines = [
    `${target.label}: ${total} subscribers on ${plan.length} sockets (${clientCount} load processes; ${warmed.warm} warm, ${warmed.refused} refused; connected in ${connectSeconds.toFixed(1)} s, all subscribed ${warmSeconds.toFixed(1)} s later), ${events} pushes at ${rate.toFixed(2)}/s = ${(rate * total).toFixed(0)} deliveries/s offered, ${(bytes / Math.max(1, delivered)).toFixed(0)} bytes per message`,
    `  delivered to reading sockets ${fastDelivered} of ${expected} (lost ${expected - fastDelivered}, duplicated ${duplicates}) in ${seconds.toFixed(1)} s: ${deliveriesPerSecond.toFixed(0)} deliveries/s; pushes accepted ${accepted}, failed ${failed}`,
    `  push -> delivery p50 ${percentileOf(histogram, 50)} ms, p99 ${p99} ms, max ${Math.max(...histogram.keys())} ms`,
  ];
  if (pausedSockets > 0) {
    lines.push(
      `  ${pausedSockets} sockets stopped reading (${total - fastSubscriptions} subscriptions; they got ${delivered - fastDelivered} messages): closed 4011 ${closes.get(SLOW_CONSUMER_CLOSE_CODE) ?? 0}; send buffers bounded by ${plan.length} sockets x ${options.maxBufferedBytes} bytes = ${((plan.length * options.maxBufferedBytes) / 1024 / 1024).toFixed(0)} MB over the sockets-open RSS`,
    );
  }
  if (target.metrics) {
    lines.push(
      `  executions ${delta('subscription_executions_total')} for ${delta('subscription_deliveries_total')} messages (${after?.get('subscription_groups') ?? 0} groups); slow-consumer closes ${delta('ws_slow_consumer_closes_total')}`,
    );
  }
  lines.push(
    `  close codes seen ${closes.size ? [...closes].map(([c, n]) => `${c} x${n}`).join(', ') : 'none'}`,
    `  RSS idle ${rssIdle.toFixed(0)} MB, sockets open ${rssConnected.toFixed(0)} MB, peak ${rssPeak.toFixed(0)} MB, after ${rssAfter.toFixed(0)} MB; CPU ${cpu.toFixed(1)} s (${((cpu * 1e6) / Math.max(1, delivered)).toFixed(1)} us per delivery); load CPU ${(sum((r) => r.cpuMs) / 1000).toFixed(1)} s; ${options.machine()}`,
  );
  return { deliveriesPerSecond, p99, lines };
}

async function startBaseline(
  maxBufferedBytes: number,
  copies: number,
): Promise<{ target: Target; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'bench/fanout.baseline.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(BASELINE_PORT),
      MAX_BUFFERED_BYTES: String(maxBufferedBytes),
      COPIES: String(copies),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  await waitForLine(child, /baseline ready/, 30_000);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const push = (order: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: BASELINE_PORT,
          path: `/push?externalId=${encodeURIComponent(order)}`,
          method: 'POST',
          agent,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
  return {
    target: {
      label: 'ws baseline',
      pid: child.pid!,
      wsUrl: `ws://127.0.0.1:${BASELINE_PORT}/graphql`,
      push,
    },
    stop: async () => {
      agent.destroy();
      await stopServer({ child, port: BASELINE_PORT });
    },
  };
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
      'skip-baseline': { type: 'boolean', default: false },
      'slow-share': { type: 'string', default: '0' },
      /** Subscriptions on each socket that stops reading (default: as many as on the others). */
      'slow-subscriptions': { type: 'string' },
      copies: { type: 'string', default: '0' },
      'max-buffered': { type: 'string', default: String(16 * 1024) },
      'server-cpu-prof': { type: 'string' },
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
  const slowShare = Number(values['slow-share']);
  const copies = Number(values.copies);
  const maxBufferedBytes = Number(values['max-buffered']);
  const query = queryOf(copies);

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

  const machine = () =>
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${db.description}`;
  process.stdout.write(
    `bench:fanout, ${twoInstances ? 'two API instances over Redis (subscribers on one, pushes to the other)' : 'one API instance, in-process bus'}; ${machine()}\n`,
  );

  for (const [run, subscribers] of counts.entries()) {
    const prefix = `bench-fanout-${stamp}-${run}:`;
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      WS_MAX_SOCKETS_PER_VIEWER: String(socketsPerViewer),
      WS_MAX_BUFFERED_BYTES: String(maxBufferedBytes),
      ...(twoInstances ? { REDIS_URL: redisUrl!, REDIS_PREFIX: prefix } : {}),
    };
    const subscriberServer = await startServer(FIRST_PORT, env, values['server-cpu-prof']);
    const pushServer = twoInstances ? await startServer(FIRST_PORT + 1, env) : subscriberServer;
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

    const sockets = Math.min(subscribers, maxSockets);
    const perSocket = Math.ceil(subscribers / sockets);
    // One socket in k stops reading, spread over viewers (socket i is viewer i mod V's)
    // so that no viewer's subscription cap is reached by its paused sockets.
    const pauseEvery = slowShare > 0 ? Math.max(1, Math.round(1 / slowShare)) : 0;
    const plan: FanOutSocket[] = Array.from({ length: sockets }, (_, i) => {
      const pause =
        pauseEvery > 0 && (i + Math.floor(i / viewers.length)) % pauseEvery === pauseEvery - 1;
      const subscriptions = Math.min(perSocket, subscribers - i * perSocket);
      return {
        params: viewers[i % viewers.length]!,
        subscriptions:
          pause && values['slow-subscriptions'] && subscriptions > 0
            ? Number(values['slow-subscriptions'])
            : subscriptions,
        pause,
      };
    }).filter((socket) => socket.subscriptions > 0);
    const total = plan.reduce((n, s) => n + s.subscriptions, 0);
    const rate = values.rate ? Number(values.rate) : Number(values.deliveries) / total;
    const events = Math.max(1, Math.round(rate * durationS));
    const measureOptions = {
      plan,
      query,
      rate,
      events,
      clients: Number(values.clients),
      maxBufferedBytes,
      machine,
    };

    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const api = await measureTarget(
      {
        label: 'API',
        pid: subscriberServer.child.pid!,
        wsUrl: `ws://127.0.0.1:${subscriberServer.port}/graphql`,
        push: shopeePusher(
          { port: pushServer.port, shop, partnerKey: PARTNER_KEY, pushUrl: PUSH_URL },
          agent,
        ),
        metrics: () => metrics(subscriberServer.port),
      },
      { ...measureOptions, prefix: `F${stamp}x${run}` },
    );
    process.stdout.write(`${api.lines.join('\n')}\n`);
    agent.destroy();
    if (pushServer !== subscriberServer) await stopServer(pushServer);
    await stopServer(subscriberServer);

    if (values['skip-baseline']) continue;
    const baseline = await startBaseline(maxBufferedBytes, copies);
    const ws = await measureTarget(baseline.target, {
      ...measureOptions,
      prefix: `B${stamp}x${run}`,
    });
    await baseline.stop();
    process.stdout.write(`${ws.lines.join('\n')}\n`);
    process.stdout.write(
      `  API / ws baseline: deliveries/s ${api.deliveriesPerSecond.toFixed(0)} / ${ws.deliveriesPerSecond.toFixed(0)} = ${(api.deliveriesPerSecond / ws.deliveriesPerSecond).toFixed(2)}; p99 ${api.p99} / ${ws.p99} ms = ${(api.p99 / Math.max(1, ws.p99)).toFixed(1)}x\n`,
    );
  }
  await db.close();
}

runBench(main);
