import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Ticket, User } from '../src/entities';
import { TOPICS } from '../src/kernel/topics';
import { percentile, runBench, startBenchServer } from './support';

/**
 * Scoped ticket events on the demo data: N graphql-ws subscribers signed in as
 * the demo roles, E ticket changes published; prints how many deliveries each
 * role got and the publish-to-delivery latency (every event is re-checked
 * against each subscriber's current scope before it is sent).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '40' },
      events: { type: 'string', default: '200' },
      rate: { type: 'string', default: '20' },
    },
  });
  const server = await startBenchServer(1);
  const { app, db, bus, port } = server;
  const em = db.orm.em.fork();
  const roles = [
    'admin',
    'bod',
    'telesales-leader',
    'customer-service-leader',
    'telesales',
    'customer-service',
  ];
  const users = await em.find(User, { email: { $in: roles.map((r) => `${r}@demo.local`) } });

  const received = new Map<string, number[]>();
  const sentAt = new Map<string, number>();
  const clients = [];
  for (let i = 0; i < Number(values.subscribers); i += 1) {
    const user = users[i % users.length]!;
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${app.services.tokens.sign(user.id).token}` },
    });
    clients.push(client);
    const latencies: number[] = received.get(user.role) ?? [];
    received.set(user.role, latencies);
    client.subscribe(
      {
        query:
          'subscription { ticketChanged { id status assignee { email } customer { fullName } } }',
      },
      {
        next: (value) => {
          const id = (value.data?.ticketChanged as { ticket: { id: string } } | undefined)?.ticket
            .id;
          const sent = id ? sentAt.get(id) : undefined;
          if (sent) latencies.push(performance.now() - sent);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
  // Each subscription listens to its topic and to credential revocations.
  while (bus.activeSubscriptions < 2 * clients.length) await new Promise((r) => setTimeout(r, 20));

  const tickets = await em.find(
    Ticket,
    {},
    { limit: Number(values.events), orderBy: { createdAt: 'desc' } },
  );
  const started = performance.now();
  for (const ticket of tickets) {
    sentAt.set(ticket.id, performance.now());
    bus.publish(TOPICS.ticketChanged, {
      ticketId: ticket.id,
      action: 'UPDATED',
      changedFields: [],
    });
    await new Promise((r) => setTimeout(r, 1_000 / Number(values.rate)));
  }
  // Wait until deliveries stop arriving.
  let last = -1;
  for (;;) {
    const count = [...received.values()].reduce((n, l) => n + l.length, 0);
    if (count === last) break;
    last = count;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const all = [...received.values()].flat();
  const lines = [
    `${clients.length} subscribers, ${tickets.length} ticket events at ${values.rate}/s, done in ${((performance.now() - started) / 1000).toFixed(1)}s (${bus.kind} bus) on ${db.description}`,
    ...[...received.entries()].map(([role, l]) => `  ${role}: ${l.length} deliveries`),
    `  latency publish -> delivered: p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms over ${all.length} deliveries`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const client of clients) void client.dispose();
  await server.close();
}

runBench(main);
