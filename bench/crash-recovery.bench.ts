import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { CRASH_PUSH_URL, startCrashRun, startCrashServer } from './crash-run';
import { runBench } from './support';

/**
 * The "kill -9 during a burst" check: start the API, send a burst of signed
 * pushes (each a new order), SIGKILL the server in the middle, start it
 * again, and compare what was acknowledged with what was applied. Every
 * acknowledged push must be applied exactly once. Needs DATABASE_URL.
 */
const PARTNER_KEY = 'crash-partner-key';

const startServer = (port: number): Promise<ChildProcess> =>
  startCrashServer(port, PARTNER_KEY, { JOBS_ENABLED: 'false' });

async function main(): Promise<void> {
  const { total, port, shop, db } = await startCrashRun({ first: 4600, count: 300 }, '6');
  let server = await startServer(port);
  await db.query(
    `insert into channel (id, platform, external_shop_id, name, status, created_at, updated_at)
     values (gen_random_uuid(), 'SHOPEE', $1, 'Crash test shop', 'ACTIVE', now(), now())`,
    [shop],
  );
  const acknowledged = new Set<string>();
  let refused = 0;
  const send = async (n: number) => {
    const order = `K${n}`;
    const time = 1_718_000_000;
    const body = `{"shop_id":${shop},"code":3,"timestamp":${time},"data":{"ordersn":"${order}","status":"READY_TO_SHIP","update_time":${time}}}`;
    const signature = createHmac('sha256', PARTNER_KEY)
      .update(`${CRASH_PUSH_URL}|`)
      .update(body)
      .digest('hex');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/shopee`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: signature },
        body,
      });
      if (res.status === 200) acknowledged.add(order);
      else refused += 1;
    } catch {
      refused += 1; // the server died before answering: not acknowledged, the platform would retry
    }
  };
  let next = 0;
  const senders = Array.from({ length: 16 }, async () => {
    while (next < total) await send((next += 1));
  });
  // Kill the server when about half the burst has been acknowledged.
  while (acknowledged.size < total / 2) await new Promise((r) => setTimeout(r, 5));
  server.kill('SIGKILL');
  await Promise.all(senders);
  const appliedBefore = await db.query<{ n: string }>(
    'select count(*) n from customer_order where shop_id = $1',
    [shop],
  );

  server = await startServer(port);
  // Recovery runs at start; give the queue a moment to drain.
  for (let i = 0; i < 100; i += 1) {
    const pending = await db.query<{ n: string }>(
      `select count(*) n from inbound_event where shop_id = $1 and status in ('RECEIVED', 'FAILED')`,
      [shop],
    );
    if (Number(pending.rows[0]!.n) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const orders = await db.query<{ external_id: string; events: string }>(
    `select o.external_id, count(e.id) events from customer_order o
     left join order_status_event e on e.order_id = o.id
     where o.shop_id = $1 group by o.external_id`,
    [shop],
  );
  const applied = new Set(orders.rows.map((row) => row.external_id));
  const missing = [...acknowledged].filter((order) => !applied.has(order));
  const doubled = orders.rows.filter((row) => Number(row.events) !== 1);
  process.stdout.write(
    [
      `burst of ${total} pushes, server SIGKILLed after ${Math.floor(total / 2)} acknowledgements`,
      `  acknowledged ${acknowledged.size}, refused or unanswered ${refused}`,
      `  orders applied before the restart ${appliedBefore.rows[0]!.n}, after ${applied.size}`,
      `  acknowledged but not applied: ${missing.length}; applied more than once: ${doubled.length}`,
    ].join('\n') + '\n',
  );
  server.kill('SIGTERM');
  await db.end();
  if (missing.length > 0 || doubled.length > 0) process.exitCode = 1;
}

runBench(main);
