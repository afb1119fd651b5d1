/**
 * A partner app's webhook receiver (docs/partner-apps.md, "Webhooks"):
 * verifies each POST's signature with the endpoint's secret, refuses stale
 * timestamps, and handles each X-Webhook-Id once (a retry of a delivery it
 * already handled is answered 200 and ignored).
 *
 *   WEBHOOK_SECRET=whsec_... PORT=8080 node -r @swc-node/register examples/webhook-receiver.ts
 *
 * PORT 0 (the default) picks a free port; the URL is printed. STOP_AFTER=n
 * exits after n events (default: run until Ctrl-C). A real receiver keeps
 * the handled ids in its database, in the same transaction as its work.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const SECRET = process.env.WEBHOOK_SECRET ?? '';
const PORT = Number(process.env.PORT ?? 0);
const STOP_AFTER = Number(process.env.STOP_AFTER ?? 0);
/** Older timestamps are refused, so a captured request cannot be replayed later. */
const TOLERANCE_SECONDS = 300;

if (!SECRET) {
  process.stderr.write('Set WEBHOOK_SECRET to the secret createWebhookEndpoint returned.\n');
  process.exit(1);
}

/** The recipe: HMAC-SHA256 keyed with the secret string, over `<timestamp>.<raw body>`, hex, `v1=`. */
function verify(secret: string, timestamp: string, rawBody: Buffer, header: string): boolean {
  const expected = Buffer.from(
    `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`,
  );
  // During a secret rotation the header carries one signature per secret.
  return header.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

type Delivery = {
  id: string;
  cursor: string;
  data: { status: string; order: { externalId: string; platform: string } };
};

const handled = new Set<string>();

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const raw = Buffer.concat(chunks);
    const id = String(request.headers['x-webhook-id'] ?? '');
    const timestamp = String(request.headers['x-webhook-timestamp'] ?? '');
    const signature = String(request.headers['x-webhook-signature'] ?? '');
    if (!verify(SECRET, timestamp, raw, signature)) {
      process.stdout.write(`refused ${id || '(no id)'}: bad signature\n`);
      response.writeHead(401).end();
      return;
    }
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
      process.stdout.write(`refused ${id}: stale timestamp\n`);
      response.writeHead(400).end();
      return;
    }
    if (handled.has(id)) {
      process.stdout.write(`duplicate ${id} ignored\n`);
      response.writeHead(200).end();
      return;
    }
    const delivery = JSON.parse(raw.toString('utf8')) as Delivery;
    handled.add(id);
    const { status, order } = delivery.data;
    process.stdout.write(
      `event ${handled.size}: ${order.platform} order ${order.externalId} -> ${status} id=${id} cursor=${delivery.cursor}\n`,
    );
    response.writeHead(200).end();
    if (STOP_AFTER > 0 && handled.size >= STOP_AFTER) server.close(() => process.exit(0));
  });
});

server.listen(PORT, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://127.0.0.1:${port}/webhooks\n`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
