import 'reflect-metadata';
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Channel, User } from '../src/entities';
import { Platform } from '../src/entities/enums';
import { percentile, runBench, startBenchServer } from './support';

/**
 * Sustained signed Shopee pushes over loopback: each creates an order, so
 * every push goes the whole way (verify, inbox, apply, lattice, history,
 * event). Prints accepted pushes/s, ack latency and push-to-subscriber
 * latency seen by a real graphql-ws client.
 */
const PARTNER_KEY = 'bench-partner-key';
const PUSH_URL = 'http://bench.local/webhooks/shopee';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      concurrency: { type: 'string', default: '32' },
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

  const sentAt = new Map<string, number>();
  const delivered: number[] = [];
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${app.services.tokens.sign(admin.id).token}` },
  });
  client.subscribe(
    { query: 'subscription { orderChanged { externalId } }' },
    {
      next: (value) => {
        const id = (value.data?.orderChanged as { externalId: string } | undefined)?.externalId;
        const sent = id ? sentAt.get(id) : undefined;
        if (sent !== undefined) delivered.push(performance.now() - sent);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  while (bus.activeSubscriptions < 2) await new Promise((r) => setTimeout(r, 20));

  const acks: number[] = [];
  let accepted = 0;
  let failed = 0;
  let sequence = 0;
  const deadline = performance.now() + Number(values.duration) * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const order = `B${(sequence += 1)}`;
      const time = Math.floor(Date.now() / 1000);
      const body = `{"shop_id":${shop},"code":3,"timestamp":${time},"data":{"ordersn":"${order}","status":"READY_TO_SHIP","update_time":${time}}}`;
      const signature = createHmac('sha256', PARTNER_KEY)
        .update(`${PUSH_URL}|`)
        .update(body)
        .digest('hex');
      const started = performance.now();
      sentAt.set(order, started);
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/shopee`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: signature },
        body,
      });
      await res.arrayBuffer();
      acks.push(performance.now() - started);
      if (res.status === 200) accepted += 1;
      else failed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
  const seconds = (performance.now() - started) / 1000;
  // Let the applies still queued finish, then count.
  for (let last = -1; delivered.length !== last;) {
    last = delivered.length;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const orders = await db.orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) n from customer_order where shop_id = ?', [shop]);
  process.stdout.write(
    [
      `${accepted} pushes accepted in ${seconds.toFixed(1)}s with ${values.concurrency} concurrent senders (${bus.kind} bus) on ${db.description}`,
      `  accepted ${(accepted / seconds).toFixed(0)} pushes/s, rejected ${failed}`,
      `  ack latency p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms`,
      `  push -> subscriber p50 ${percentile(delivered, 50).toFixed(1)} ms, p99 ${percentile(delivered, 99).toFixed(1)} ms over ${delivered.length} events`,
      `  orders in the database for the bench shop: ${orders[0]?.n}`,
    ].join('\n') + '\n',
  );
  void client.dispose();
  await server.close();
}

runBench(main);
