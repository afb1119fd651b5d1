import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { seedDemo } from '../src/db/seed-demo';
import { Ticket, User } from '../src/entities';
import { createLogger } from '../src/logger';
import { createEventBus } from '../src/realtime/event-bus';
import { TOPICS } from '../src/realtime/scoped-subscription';
import { createApp } from '../src/server';

/**
 * Scoped ticket events on the demo data: N graphql-ws subscribers signed in as
 * the demo roles, E ticket changes published; prints how many deliveries each
 * role got and the publish-to-delivery latency (every event is re-checked
 * against each subscriber's current scope before it is sent).
 */
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '40' },
      events: { type: 'string', default: '200' },
      rate: { type: 'string', default: '20' },
    },
  });
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const logger = createLogger(config);
  const db = await openDatabase(config, logger);
  await seedDemo(db.orm, { scale: 1, env: config.env, logger });
  const bus = createEventBus(config.redisUrl, logger);
  const app = await createApp({ config, logger, db, bus });
  const { port } = await app.listen(0, '127.0.0.1');
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
  await app.stop();
  await bus.close();
  await db.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
