import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { User } from '../src/entities';
import { businessDateOf } from '../src/services/reconciliation.service';
import { percentile, runBench, startBenchServer } from './support';

/**
 * Report latencies and export throughput on the demo data (DATABASE_URL, else
 * the embedded database; seeded at --scale if empty). Reports run as the demo
 * admin over the whole data set (the heaviest scope), DAY buckets over the
 * last 180 days; exports stream every order in both formats while the
 * server's RSS is sampled.
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
    },
  });
  const server = await startBenchServer(Number(values.scale));
  const { app, db, port } = server;
  const base = `http://127.0.0.1:${port}`;
  const em = db.orm.em.fork();
  const admin = await em.findOneOrFail(User, { email: 'admin@demo.local' });
  const authorization = `Bearer ${app.services.tokens.sign(admin.id).token}`;
  const lines: string[] = [`on ${db.description}, range ${RANGE.from}..${RANGE.to} by DAY`];
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
  process.stdout.write(`${lines.join('\n')}\n`);
  await server.close();
}

runBench(main);
