import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { authenticate } from '../src/auth/authenticate';
import { ticketScope, within } from '../src/auth/scopes';
import { CustomerLabel, Ticket, User } from '../src/entities';
import {
  buildTicketWhere,
  ticketSort,
  type TicketListFilter,
} from '../src/services/tickets/ticket-filter';
import { percentile, runBench, startBenchServer } from './support';

/**
 * The ticket list as the care team uses it, on the demo data (run
 * `npm run seed:demo -- --scale 10` first for 50,000 tickets): each filter
 * alone and all together, as a telesales staff user and as the admin, 50
 * rows with the nested customer, over HTTP. Prints p50/p95 per case, whether
 * each filter's plan uses an index, and the EXPLAIN of the slowest case.
 */
const QUERY = `query Tickets($filter: TicketFilter, $sort: TicketSortInput) {
  tickets(first: 50, filter: $filter, sort: $sort) {
    edges { node { id title status dueAt customer { fullName phone } assignee { email } } }
  }
}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '40' }, scale: { type: 'string', default: '10' } },
  });
  const runs = Number(values.runs);
  const server = await startBenchServer(Number(values.scale));
  const { app, db, port } = server;
  const em = db.orm.em.fork();
  const staff = await em.findOneOrFail(User, { email: 'telesales@demo.local' });
  const admin = await em.findOneOrFail(User, { email: 'admin@demo.local' });
  const vip = await em.findOneOrFail(CustomerLabel, { code: 'VIP' });
  const branch = (await em.findOneOrFail(Ticket, { assignee: staff.id })).branch.id;
  const total = await em.count(Ticket, {});

  const cases: [string, TicketListFilter][] = [
    ['no filter', {}],
    ['statuses', { statuses: ['ASSIGNED' as never] }],
    ['missed', { missed: true }],
    ['keywords TEXT', { keywords: 'nguyen van' }],
    ['keywords NUMBER_SEQUENCE', { keywords: '0910 000 12', mode: 'NUMBER_SEQUENCE' as never }],
    ['assignees', { assignees: [staff.id] }],
    ['curators', { curators: [staff.id] }],
    ['branchIds', { branchIds: [branch] }],
    ['ticketResults', { ticketResults: ['CALL_LATER' as never] }],
    ['ticketSources', { ticketSources: ['BIRTHDAY' as never] }],
    ['customerLabels', { customerLabels: [vip.id] }],
    ['dueDate range', { dueFrom: new Date(Date.now() - 7 * 86_400_000), dueTo: new Date() }],
    ['timeLabel THIS_WEEK', { timeLabel: 'THIS_WEEK' as never }],
    ['timeLabel OVERDUE', { timeLabel: 'OVERDUE' as never }],
    [
      "keywords + statuses + timeLabel (the issue's case)",
      {
        keywords: 'nguyen',
        statuses: ['NEW' as never, 'ASSIGNED' as never],
        timeLabel: 'OVERDUE' as never,
      },
    ],
  ];
  const viewers = [
    ['telesales staff', staff],
    ['admin', admin],
  ] as const;

  const lines: string[] = [`${total} tickets on ${db.description}; ${runs} runs per case`];
  let slowest = { p95: -1, name: '', where: {} as FilterQuery<Ticket> };
  for (const [viewerName, user] of viewers) {
    const authorization = `Bearer ${app.services.tokens.sign(user.id).token}`;
    const viewer = await authenticate(em, app.services.tokens, { authorization });
    lines.push(`as ${viewerName}:`);
    for (const [name, filter] of cases) {
      const times: number[] = [];
      let rows = 0;
      // The first runs warm caches and plans; only the rest are timed.
      for (let i = -3; i < runs; i += 1) {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query: QUERY, variables: { filter } }),
        });
        const body = (await response.json()) as {
          data?: { tickets: { edges: unknown[] } };
          errors?: unknown;
        };
        if (i >= 0) times.push(performance.now() - started);
        if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
        rows = body.data!.tickets.edges.length;
      }
      const where = within(ticketScope(viewer), buildTicketWhere(filter))!;
      const sort = ticketSort(undefined);
      const qb = em
        .createQueryBuilder(Ticket, 't')
        .select('*')
        .where(where as never)
        .orderBy({ [sort.field]: 'desc', id: 'desc' })
        .limit(51);
      const plan = (
        await em.execute<{ 'QUERY PLAN': string }[]>(`explain ${qb.getFormattedQuery()}`)
      )
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      const indexed = /Index Scan|Index Only Scan|Bitmap Index Scan/.test(plan);
      const p95 = percentile(times, 95);
      lines.push(
        `  ${name.padEnd(48)} rows ${String(rows).padStart(2)}  p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  index: ${indexed ? 'yes' : 'NO'}`,
      );
      if (p95 > slowest.p95) slowest = { p95, name: `${name} as ${viewerName}`, where };
    }
  }
  const qb = em
    .createQueryBuilder(Ticket, 't')
    .select('*')
    .where(slowest.where as never)
    .orderBy({ createdAt: 'desc', id: 'desc' })
    .limit(51);
  const analyze = (
    await em.execute<{ 'QUERY PLAN': string }[]>(
      `explain (analyze, buffers) ${qb.getFormattedQuery()}`,
    )
  )
    .map((row) => `    ${row['QUERY PLAN']}`)
    .join('\n');
  lines.push(`slowest: ${slowest.name} (p95 ${slowest.p95.toFixed(1)} ms); its plan:`, analyze);
  process.stdout.write(`${lines.join('\n')}\n`);
  await server.close();
}

runBench(main);
