import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Tiki's Event Queue API (src/integrations/tiki-queue.ts
 * lists the paths): OAuth2 client credentials, queue lookup and creation,
 * pull and ack. Events stay in the queue until the batch that carried them
 * is acknowledged, as at-least-once delivery implies, so a batch pulled but
 * never acked is delivered again.
 *
 *   const queue = await startFakeTikiQueue({ clientId, clientSecret });
 *   queue.enqueue(event);       // what the next pull returns
 *   queue.pending();            // events not acknowledged yet
 *   queue.requests;             // "METHOD path" of every request
 */
export type FakeTikiQueue = {
  url: string;
  enqueue: (...events: unknown[]) => void;
  pending: () => unknown[];
  requests: string[];
  close: () => Promise<void>;
};

export async function startFakeTikiQueue(credentials: {
  clientId: string;
  clientSecret: string;
}): Promise<FakeTikiQueue> {
  let events: { id: string; event: unknown }[] = [];
  const batches = new Map<string, string[]>();
  const tokens = new Set<string>();
  const queues: { code: string; name: string }[] = [];
  const requests: string[] = [];
  const basic = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      requests.push(`${req.method} ${path}`);
      const text = Buffer.concat(chunks).toString('utf8');
      const send = (status: number, body?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      if (path === '/sc/oauth2/token') {
        if (req.headers.authorization !== basic || text !== 'grant_type=client_credentials') {
          return send(401, { error: 'invalid_client' });
        }
        const token = randomUUID();
        tokens.add(token);
        return send(200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
      }
      if (!tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
        return send(401, { error: 'invalid_token' });
      }
      if (path === '/integration/v1/queues' && req.method === 'GET')
        return send(200, { data: queues });
      if (path === '/integration/v1/queues' && req.method === 'POST') {
        const queue = {
          code: `q-${randomUUID().slice(0, 8)}`,
          name: (JSON.parse(text) as { name: string }).name,
        };
        queues.push(queue);
        return send(201, queue);
      }
      const match = /^\/integration\/v1\/queues\/([^/]+)\/events\/(pull|ack)$/.exec(path);
      if (!match || !queues.some((queue) => queue.code === match[1]))
        return send(404, { error: 'not found' });
      if (match[2] === 'pull') {
        const batch = events.slice(0, 10);
        const ackId = randomUUID();
        batches.set(
          ackId,
          batch.map((entry) => entry.id),
        );
        return send(200, {
          ack_id: batch.length > 0 ? ackId : null,
          events: batch.map((entry) => entry.event),
        });
      }
      const acked = batches.get((JSON.parse(text) as { ack_id: string }).ack_id);
      if (!acked) return send(400, { error: 'unknown ack_id' });
      events = events.filter((entry) => !acked.includes(entry.id));
      return send(204);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    enqueue: (...added) => events.push(...added.map((event) => ({ id: randomUUID(), event }))),
    pending: () => events.map((entry) => entry.event),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
