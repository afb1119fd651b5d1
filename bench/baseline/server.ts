import http from 'node:http';
import { Pool } from 'pg';
import { createTokenService } from '../../src/auth/tokens';
import type { UserViewer } from '../../src/auth/viewer';
import { conversationsPage } from './pages/conversations';
import { customersPage } from './pages/customers';
import { ordersPage } from './pages/orders';
import { ticketDetail } from './pages/ticket';
import { ticketsPage } from './pages/tickets';
import { PAGE_QUERIES, type PageName, type PageVariables } from './queries';
import { viewerOf } from './viewer';

/**
 * The hand-written baseline of bench:pages: node:http and pg, nothing else.
 * Per request: the token is verified, the viewer re-read, the page's few
 * statements run within the viewer's scope and the answer serialized as the
 * API does (JSON.stringify, one newline). Nothing is cached across requests.
 * It knows only the documents in queries.ts, by their text.
 */
const { DATABASE_URL, JWT_SECRET, DB_POOL_MAX } = process.env;
if (!DATABASE_URL || !JWT_SECRET) throw new Error('DATABASE_URL and JWT_SECRET are required');

// The API's pool size, so neither side has more connections to PostgreSQL.
const pool = new Pool({ connectionString: DATABASE_URL, max: Number(DB_POOL_MAX ?? 10) });
const tokens = createTokenService(JWT_SECRET, 3600);

type Handler = (viewer: UserViewer, variables: PageVariables) => Promise<object>;

const HANDLERS: Record<PageName, Handler> = {
  tickets: (viewer) => ticketsPage(pool, viewer),
  orders: (viewer) => ordersPage(pool, viewer),
  customers: (viewer) => customersPage(pool, viewer),
  conversations: (viewer) => conversationsPage(pool, viewer),
  ticket: async (viewer, { id }) => ({ ticket: id ? await ticketDetail(pool, viewer, id) : null }),
};

const byQuery = new Map(
  Object.entries(PAGE_QUERIES).map(([name, query]) => [query, HANDLERS[name as PageName]]),
);

function send(res: http.ServerResponse, status: number, body: object): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const error = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'POST' || req.url !== '/graphql')
    return send(res, 404, error('Not found', 'NOT_FOUND'));
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    query?: string;
    variables?: PageVariables;
  };
  const handler = query ? byQuery.get(query) : undefined;
  if (!handler) return send(res, 400, error('Unknown document', 'BAD_USER_INPUT'));
  const viewer = await viewerOf(pool, tokens, req.headers.authorization);
  if (!viewer)
    return send(
      res,
      401,
      error('The session is not valid or has expired; sign in again', 'UNAUTHENTICATED'),
    );
  send(res, 200, { data: await handler(viewer, variables ?? {}) });
}

const server = http.createServer((req, res) => {
  answer(req, res).catch((failure: unknown) => {
    send(
      res,
      500,
      error(failure instanceof Error ? failure.message : String(failure), 'INTERNAL_SERVER_ERROR'),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (process.send) process.send({ port });
  else process.stdout.write(`baseline ready at http://127.0.0.1:${port}/graphql\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end();
});
