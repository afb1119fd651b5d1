import 'reflect-metadata';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { User } from '../src/entities';
import { runBench, startBenchServer } from './support';

/**
 * Throughput and latency of the busiest screen: a page of tickets with
 * customer, assignee, branch and latest note, over real HTTP on the seeded
 * demo database (DATABASE_URL, else the embedded one). Also prints the SQL
 * statements one request costs for page sizes 10 and 50.
 */
const QUERY = `query Page($first: Int) { tickets(first: $first) { totalCount edges { node {
  id title status dueAt customer { fullName phone } assignee { email } branch { code }
  latestNote { body author { email } } } } } }`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '20' },
      scale: { type: 'string', default: '1' },
    },
  });
  const server = await startBenchServer(Number(values.scale));
  const { app, db, port } = server;
  const url = `http://127.0.0.1:${port}/graphql`;
  // As the demo admin: the whole table is in scope, the heaviest case.
  const admin = await db.orm.em.fork().findOneOrFail(User, { email: 'admin@demo.local' });
  const authorization = `Bearer ${app.services.tokens.sign(admin.id).token}`;
  const post = (first: number) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: QUERY, variables: { first } }),
    }).then((res) => res.json() as Promise<{ errors?: unknown[] }>);

  const lines: string[] = [];
  for (const first of [10, 50]) {
    await post(first);
    const before = db.sqlStatements.count;
    const body = await post(first);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    lines.push(
      `SQL statements for tickets(first: ${first}) with nested relations: ${db.sqlStatements.count - before}`,
    );
  }

  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: QUERY, variables: { first: 50 } }),
    connections: Number(values.connections),
    duration: Number(values.duration),
  });
  lines.push(
    `tickets(first: 50) nested, ${values.connections} connections, ${values.duration}s on ${db.description}:`,
    `  throughput ${result.requests.average.toFixed(0)} req/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  // autocannon drops its sockets with requests still running server-side; let them finish.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await server.close();
}

runBench(main);
