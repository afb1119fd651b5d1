import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CRASH_PUSH_URL, startCrashRun, startCrashServer } from './crash-run';
import { shopeePusher } from './shopee-push';
import { runBench } from './support';

/**
 * Partner webhooks across a kill -9: two endpoints of one partner key, a
 * burst of signed Shopee pushes (each a new order, so one order event
 * each), the API SIGKILLed in the middle of the burst while it is also
 * delivering, then started again. Every event in the order event log must
 * reach both receivers, each under exactly one X-Webhook-Id (a repeat of an
 * id after the crash is the documented at-least-once; a second id for the
 * same event would be a duplicate delivery). Needs DATABASE_URL (a scratch
 * database: the server migrates it).
 */
const PARTNER_KEY = 'webhook-crash-partner-key';

const startServer = (port: number): Promise<ChildProcess> =>
  startCrashServer(port, PARTNER_KEY, {
    JOBS_ENABLED: 'true',
    PARTNER_WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  });

/** A receiver that answers 200 and remembers, per event, the X-Webhook-Ids it came under. */
function receiver() {
  const idsByEvent = new Map<string, Set<string>>();
  let posts = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts += 1;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        data: { eventId: string };
      };
      const ids = idsByEvent.get(body.data.eventId) ?? new Set<string>();
      ids.add(String(request.headers['x-webhook-id']));
      idsByEvent.set(body.data.eventId, ids);
      response.writeHead(200).end();
    });
  });
  return {
    idsByEvent,
    get posts() {
      return posts;
    },
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`),
        ),
      ),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function main(): Promise<void> {
  const { total, port, shop, db } = await startCrashRun({ first: 4700, count: 100 }, '7');
  let server = await startServer(port);

  const channelId = randomUUID();
  await db.query(
    `insert into channel (id, platform, external_shop_id, name, status, created_at, updated_at)
     values ($1, 'SHOPEE', $2, 'Webhook crash shop', 'ACTIVE', now(), now())`,
    [channelId, shop],
  );
  const apiKeyId = randomUUID();
  await db.query(
    `insert into api_key (id, name, prefix, secret_hash, channel_ids, scopes, created_at)
     values ($1, 'crash partner', 'crm_crash', $2, $3, '{ORDERS_READ}', now())`,
    [apiKeyId, randomUUID(), [channelId]],
  );
  const receivers = [receiver(), receiver()];
  for (const rx of receivers) {
    await db.query(
      `insert into webhook_endpoint (id, api_key_id, url, events, secret, status, consecutive_failures,
         log_position, created_at, updated_at)
       values ($1, $2, $3, '{CONFIRMED}', $4, 'ACTIVE', 0,
         (select coalesce(max("sequence"), 0) from order_status_event), now(), now())`,
      [randomUUID(), apiKeyId, await rx.listen(), `whsec_${randomUUID()}`],
    );
  }

  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let acknowledged = 0;
  const push = shopeePusher(
    { port, shop, partnerKey: PARTNER_KEY, pushUrl: CRASH_PUSH_URL },
    agent,
  );
  const send = async (n: number) => {
    // A push the server died before answering is not acknowledged: the marketplace would push again.
    if ((await push(`W${n}`, 'READY_TO_SHIP').catch(() => 0)) === 200) acknowledged += 1;
  };
  let next = 0;
  const senders = Array.from({ length: 16 }, async () => {
    while (next < total) await send((next += 1));
  });
  while (acknowledged < total / 2) await new Promise((r) => setTimeout(r, 5));
  server.kill('SIGKILL');
  await Promise.all(senders);
  const receivedBefore = receivers.map((rx) => rx.idsByEvent.size);
  // What the marketplace does for pushes that were not acknowledged: send them again.
  server = await startServer(port);
  next = 0;
  acknowledged = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < total) await send((next += 1));
    }),
  );

  const eventsOf = async () =>
    (
      await db.query<{ id: string }>(
        `select e.id from order_status_event e join customer_order o on o.id = e.order_id
         where o.shop_id = $1 and e.applied and e."sequence" is not null`,
        [shop],
      )
    ).rows.map((row) => row.id);
  let events = await eventsOf();
  const started = Date.now();
  while (
    Date.now() - started < 120_000 &&
    (events.length < total || receivers.some((rx) => rx.idsByEvent.size < events.length))
  ) {
    await new Promise((r) => setTimeout(r, 200));
    events = await eventsOf();
  }
  const lines = [
    `burst of ${total} order events, two endpoints, API SIGKILLed after ${Math.floor(total / 2)} acknowledged pushes, then restarted`,
    `  events in the order log: ${events.length}`,
  ];
  let failed = events.length !== total;
  receivers.forEach((rx, i) => {
    const missing = events.filter((id) => !rx.idsByEvent.has(id)).length;
    const underTwoIds = [...rx.idsByEvent.values()].filter((ids) => ids.size !== 1).length;
    const repeats = rx.posts - rx.idsByEvent.size;
    lines.push(
      `  endpoint ${i + 1}: ${rx.idsByEvent.size} events received (${receivedBefore[i]} before the kill), ` +
        `${missing} missing, ${underTwoIds} under more than one X-Webhook-Id, ${repeats} repeats of an id`,
    );
    if (missing > 0 || underTwoIds > 0) failed = true;
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  server.kill('SIGTERM');
  for (const rx of receivers) rx.close();
  agent.destroy();
  await db.end();
  if (failed) process.exitCode = 1;
}

runBench(main);
