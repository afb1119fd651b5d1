import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * bench:fanout's same-run baseline: a minimal `ws` server that does only what
 * the socket layer must, so the API's figures can be read as a ratio against
 * it. It speaks just enough graphql-transport-ws for the same load processes
 * (connection_init -> connection_ack, subscribe, ping), and each
 * `POST /push?externalId=...` is answered 200 and then sent, as the message
 * bytes the API would send for that order (`payloadOf`), to every
 * subscription of every socket, with the API's slow-consumer rule (a socket
 * with more than MAX_BUFFERED_BYTES unsent is closed 4011). No parsing of
 * documents, no database, no execution.
 *
 * Started by bench/fanout.bench.ts with PORT, MAX_BUFFERED_BYTES and COPIES
 * (the aliased copies of the order in the bench's query) in its environment;
 * prints "baseline ready" once it listens.
 */
const port = Number(process.env.PORT);
const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 16 * 1024);
const copies = Number(process.env.COPIES ?? 0);

/** The API's `next` payload for the bench's query (fanout.bench.ts `queryOf`), for one order. */
export function payloadOf(externalId: string, aliasedCopies: number): string {
  const order = `{"externalId":${JSON.stringify(externalId)}}`;
  // A uuid and a status of the same lengths as the API's.
  const copy = `{"id":"00000000-0000-4000-8000-000000000000","externalId":${JSON.stringify(externalId)},"status":"CONFIRMED"}`;
  const extra = Array.from({ length: aliasedCopies }, (_, i) => `,"o${i}":${copy}`).join('');
  return `{"data":{"orderEvents":{"order":${order}${extra}}}}`;
}

type Subscription = { socket: WebSocket; prefix: string };

function main(): void {
  const subscriptions = new Set<Subscription>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'POST' || url.pathname !== '/push') {
      res.writeHead(404).end();
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200).end();
      const json = payloadOf(url.searchParams.get('externalId') ?? '', copies);
      for (const subscription of subscriptions) {
        const { socket } = subscription;
        if (socket.readyState !== socket.OPEN) continue;
        if (socket.bufferedAmount > maxBufferedBytes) {
          socket.close(4011, 'Slow consumer');
          continue;
        }
        socket.send(subscription.prefix + json + '}');
      }
    });
  });
  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  wsServer.on('connection', (socket) => {
    const own: Subscription[] = [];
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: string };
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      else if (message.type === 'ping') socket.send('{"type":"pong"}');
      else if (message.type === 'subscribe' && message.id !== undefined) {
        const subscription = {
          socket,
          prefix: `{"id":${JSON.stringify(message.id)},"type":"next","payload":`,
        };
        own.push(subscription);
        subscriptions.add(subscription);
      }
    });
    socket.on('close', () => {
      for (const subscription of own) subscriptions.delete(subscription);
    });
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write('baseline ready\n'));
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module) main();
