import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import { Channel, User } from '../src/entities';
import { Platform } from '../src/entities/enums';
import { cpuOfProcesses } from './process-cpu';
import { percentile, runBench, startBenchServer } from './support';
import type { LoadMessage, LoadReport, LoadSettings } from './webhooks.load';

/**
 * Sustained signed Shopee pushes over loopback: each creates an order, so
 * every push goes the whole way (verify, inbox, apply, lattice, history,
 * event). The senders and the graphql-ws subscriber run in a child
 * process, so the load generator does not share the server's event loop (it
 * still shares the machine's two cores, as a co-located client would).
 * Prints accepted pushes/s, ack latency, push-to-subscriber latency and the
 * server's CPU per push.
 *
 * Two ways to load it: by default (`--concurrency N`) each sender sends its
 * next push when the last is answered, which finds the most the machine
 * takes, at the latency of a saturated machine. `--rate R` offers R pushes a
 * second whatever the answers' pace, as platforms push, and gives the
 * latencies at that load; they count from when each push was due, so time a
 * push waited for a free sender counts too.
 */
const PARTNER_KEY = 'bench-partner-key';
const PUSH_URL = 'http://bench.local/webhooks/shopee';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      'warm-up': { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '32' },
      subscription: { type: 'string', default: 'orderEvents' },
      rate: { type: 'string', default: '0' },
    },
  });
  const server = await startBenchServer(1, {
    SHOPEE_PARTNER_KEY: PARTNER_KEY,
    SHOPEE_PUSH_URL: PUSH_URL,
    WEBHOOK_RATE_LIMIT_PER_SECOND: '100000',
  });
  const { app, db, bus, port } = server;
  const em = db.orm.em.fork();
  const shop = `9${Date.now()}`;
  em.create(Channel, { platform: Platform.SHOPEE, externalShopId: shop, name: 'Bench shop' });
  await em.flush();
  const admin = await em.findOneOrFail(User, { email: 'admin@demo.local' });

  const settings: LoadSettings = {
    port,
    shop,
    partnerKey: PARTNER_KEY,
    pushUrl: PUSH_URL,
    durationMs: Number(values.duration) * 1000,
    warmUpMs: Number(values['warm-up']) * 1000,
    concurrency: Number(values.concurrency),
    token: app.services.tokens.sign(admin.id).token,
    subscription: values.subscription === 'orderChanged' ? 'orderChanged' : 'orderEvents',
    rate: Number(values.rate),
  };
  const load = fork(require.resolve('./webhooks.load.ts'), [JSON.stringify(settings)], {
    execArgv: ['-r', '@swc-node/register'],
  });
  // Counted from the end of the warm-up, which the load process announces.
  let cpuBefore = process.cpuUsage();
  let databaseCpuBefore = cpuOfProcesses('postgres');
  let measuredFrom = new Date();
  const report = await new Promise<LoadReport>((resolve, reject) => {
    load.on('message', (message: LoadMessage) => {
      if (message.kind === 'measuring') {
        cpuBefore = process.cpuUsage();
        databaseCpuBefore = cpuOfProcesses('postgres');
        measuredFrom = new Date();
      } else resolve(message.report);
    });
    load.once('error', reject);
    load.once('exit', (code) =>
      reject(new Error(`the load process exited (${code}) without its figures`)),
    );
  });
  load.kill();
  const cpu = process.cpuUsage(cpuBefore);
  const databaseCpuAfter = cpuOfProcesses('postgres');
  const databaseCpu =
    databaseCpuBefore === null || databaseCpuAfter === null
      ? null
      : databaseCpuAfter - databaseCpuBefore;
  // When the last stored push was applied, for the apply throughput.
  const [applied] = await db.orm.em.fork().execute<{ n: string; last: Date; first: Date }[]>(
    `select count(*) n, max(processed_at) last, min(received_at) first from inbound_event
     where shop_id = ? and status = 'APPLIED' and received_at >= ?`,
    [shop, measuredFrom],
  );
  const applySeconds =
    (new Date(applied!.last).getTime() - new Date(applied!.first).getTime()) / 1000;
  const orders = await db.orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) n from customer_order where shop_id = ?', [shop]);
  const { acks, delivered } = report;
  process.stdout.write(
    [
      `${report.accepted} pushes accepted in ${report.seconds.toFixed(1)}s, ${settings.rate > 0 ? `offered at ${settings.rate}/s with at most ${settings.concurrency} in flight` : `${settings.concurrency} senders sending as fast as they are answered`} (${bus.kind} bus) on ${db.description}`,
      `  accepted ${(report.accepted / report.seconds).toFixed(0)} pushes/s, rejected ${report.failed}`,
      `  ack latency p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms`,
      `  push -> ${settings.subscription} subscriber p50 ${percentile(delivered, 50).toFixed(1)} ms, p99 ${percentile(delivered, 99).toFixed(1)} ms over ${delivered.length} events`,
      `  applied ${applied!.n} pushes in ${applySeconds.toFixed(1)}s from the first receipt to the last apply (${(Number(applied!.n) / applySeconds).toFixed(0)}/s)`,
      `  server CPU ${((cpu.user + cpu.system) / 1000 / Math.max(1, report.accepted)).toFixed(2)} ms per accepted push (ack, apply and delivery)`,
      databaseCpu === null
        ? '  PostgreSQL CPU: not measured (no /proc)'
        : `  PostgreSQL CPU ${(databaseCpu / Math.max(1, report.accepted)).toFixed(2)} ms per accepted push (all of its processes on this machine, ${(databaseCpu / 1000 / report.seconds).toFixed(2)} cores over the run)`,
      `  load generator CPU ${(report.cpuMs / Math.max(1, report.accepted)).toFixed(2)} ms per push (signing, sending, the subscriber)`,
      `  orders in the database for the bench shop: ${orders[0]?.n} (${settings.warmUpMs / 1000}s of warm-up pushes before the measured ones)`,
    ].join('\n') + '\n',
  );
  await server.close();
}

runBench(main);
