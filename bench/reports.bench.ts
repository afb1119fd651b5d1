import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Order, User } from '../src/entities';
import { businessDateOf } from '../src/services/orders/reconciliation.service';
import { percentile, runBench, startBenchServer, startDistServer } from './support';

/**
 * Report latencies and export throughput on the demo data (DATABASE_URL, else
 * the embedded database; seeded at --scale if empty). Reports run as the demo
 * admin over the whole data set (the heaviest scope), DAY buckets over the
 * last 180 days; exports stream every order in both formats while the
 * server's RSS is sampled every 20 ms. With `--server dist` (after `npm run
 * build`) the requests go to the compiled server started as `npm run
 * start:prod` starts it (NODE_ENV=production, jobs on), and the RSS is that
 * process's VmRSS: its idle figure is taken just before the first export.
 * `--client-rate 5M` has the client read at that rate (curl's --limit-rate):
 * a slow download, which must not make the server hold the export.
 */
const RANGE = (() => {
  const now = new Date();
  return {
    from: businessDateOf(new Date(now.getTime() - 180 * 86_400_000)),
    to: businessDateOf(now),
  };
})();

const REPORTS: Record<string, string> = {
  orderReport: `query($from: String!, $to: String!) { orderReport(from: $from, to: $to) {
    total { orders revenue cancellationRate returnRate avgConfirmedToShippedSeconds avgShippedToDeliveredSeconds }
    byPlatform { key orders revenue } byChannel { key label orders } byStatus { key orders } byPeriod { key orders revenue } } }`,
  ticketReport: `query($from: String!, $to: String!) { ticketReport(from: $from, to: $to) {
    total { tickets completionRate missedRate overdue medianTimeToCompleteSeconds }
    bySource { key tickets } byResult { key tickets } byStatus { key tickets } byTarget { key tickets }
    byBranch { key label tickets } byAssignee { key label tickets completionRate } byPeriod { key tickets } } }`,
  conversationReport: `query($from: String!, $to: String!) { conversationReport(from: $from, to: $to) {
    total { conversations handoffRate firstResponseMedianSeconds firstResponseP90Seconds resolutionMedianSeconds }
    byChannel { key label conversations } byPeriod { key conversations } botAnswers { step answers medianLatencyMs } } }`,
  integrationReport: `query($from: String!, $to: String!) { integrationReport(from: $from, to: $to) {
    total { received applied failed deadLetters retried staleOrRepeatedDropped }
    byPlatform { platform received } byShop { platform shopId received failed deadLetters } } }`,
  customerReport: `query($from: String!, $to: String!) { customerReport(from: $from, to: $to) {
    newCustomers possibleDuplicates newByChannel { channelId label customers } newByPeriod { key customers }
    revenueBySegment { code customers orders revenue } } }`,
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '10' },
      runs: { type: 'string', default: '20' },
      only: { type: 'string', default: 'reports,exports' },
      server: { type: 'string', default: 'in-process' },
      settle: { type: 'string', default: '3' },
      // curl's --limit-rate (e.g. 5M): a slow client, which the server must not buffer for.
      'client-rate': { type: 'string' },
    },
  });
  if (!['in-process', 'dist'].includes(values.server)) {
    throw new Error('--server: in-process or dist');
  }
  if (values['client-rate'] !== undefined && !/^\d+[kKmMgG]?$/.test(values['client-rate'])) {
    throw new Error('--client-rate: bytes per second, as curl takes them (500K, 5M)');
  }
  const jwtSecret = 'bench-secret-'.repeat(4);
  const server = await startBenchServer(Number(values.scale), { JWT_SECRET: jwtSecret });
  const { app, db } = server;
  const dist = values.server === 'dist' ? await startDistServer(db.url, jwtSecret) : null;
  const base = `http://127.0.0.1:${dist?.port ?? server.port}`;
  const em = db.orm.em.fork();
  const admin = await em.findOneOrFail(User, { email: 'admin@demo.local' });
  // Signed here with the secret both servers share: no login (scrypt) spike in the figures.
  const authorization = `Bearer ${app.services.tokens.sign(admin.id).token}`;
  const rss = dist ? () => vmRss(dist.child.pid!) : () => process.memoryUsage.rss();
  const lines: string[] = [
    `on ${db.description}, range ${RANGE.from}..${RANGE.to} by DAY`,
    dist
      ? `server: ${dist.command} (pid ${dist.child.pid})`
      : 'server: in this process (TypeScript through @swc-node/register)',
  ];
  const only = values.only.split(',');

  if (only.includes('reports')) {
    for (const [name, query] of Object.entries(REPORTS)) {
      const post = async (): Promise<number> => {
        const started = performance.now();
        const res = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query, variables: RANGE }),
        });
        const body = (await res.json()) as { errors?: unknown[] };
        if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
        return performance.now() - started;
      };
      await post(); // warm the plan cache and the buffers, as a dashboard's second load
      const times: number[] = [];
      for (let run = 0; run < Number(values.runs); run += 1) times.push(await post());
      lines.push(
        `${name.padEnd(19)} p50 ${percentile(times, 50).toFixed(0).padStart(4)} ms  p95 ${percentile(times, 95).toFixed(0).padStart(4)} ms  (${times.length} runs)`,
      );
    }
  }
  if (only.includes('exports')) {
    const orders = await em.count(Order, {});
    if (dist) {
      // Start-up's garbage settles; the figure is the server as it waits for work.
      // V8 shrinks its young generation only after some idle time (about 30 s):
      // `--settle 40` measures a server that has been up a while.
      await new Promise((resolve) => setTimeout(resolve, Number(values.settle) * 1000));
    }
    const idleRss = rss();
    if (dist) lines.push(`server RSS idle ${mb(idleRss)} MB after ${values.settle} s`);
    for (const format of ['csv', 'ndjson'] as const) {
      const startRss = rss();
      let peakRss = startRss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, rss());
      }, 20);
      const started = performance.now();
      // The client is curl in its own process: this process's memory is the server's alone.
      const counted = await run(
        'bash',
        [
          '-c',
          `set -o pipefail; curl -sf $RATE -H "authorization: $AUTH" "$URL" | tee >(wc -c >&2) | wc -l`,
        ],
        {
          AUTH: authorization,
          URL: `${base}/exports/orders?format=${format}`,
          RATE: values['client-rate'] ? `--limit-rate ${values['client-rate']}` : '',
        },
      );
      const newlines = Number(counted.stdout.trim());
      const bytes = Number(counted.stderr.trim());
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      // CSV: a header line; NDJSON: the trailer line.
      const rows = newlines - 1;
      if (rows !== orders) throw new Error(`export ${format}: ${rows} rows, expected ${orders}`);
      lines.push(
        `export orders ${format.padEnd(6)} ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s, ${(bytes / 1e6).toFixed(0)} MB, server RSS ${mb(startRss)} MB before, peak ${mb(peakRss)} MB (${mb(peakRss - idleRss)} MB over idle)`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  await dist?.stop();
  await server.close();
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);

/** Resident memory of a process, as `ps` and the kernel's OOM accounting see it. */
function vmRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

runBench(main);
