/**
 * A partner app (docs/partner-apps.md): follow the order status changes of
 * the shops an API key was made for, and never miss one across restarts or
 * dropped connections.
 *
 *   CRM_API_KEY=crm_... node -r @swc-node/register examples/partner-orders.ts
 *
 * Each event's cursor is written to CURSOR_FILE once the event is handled.
 * Every (re)connection subscribes with `after: <last cursor>`, so the server
 * first sends what happened while the app was away, then live events.
 * STOP_AFTER=n exits after n events (default: run until Ctrl-C).
 * CURSOR_FILE defaults to a `crm-examples` folder in the system's temporary
 * directory, not the current one.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const API_URL = process.env.API_URL ?? 'http://localhost:4000';
const API_KEY = process.env.CRM_API_KEY ?? '';
const CURSOR_FILE =
  process.env.CURSOR_FILE ?? path.join(tmpdir(), 'crm-examples', 'partner-orders.cursor');
const STOP_AFTER = Number(process.env.STOP_AFTER ?? 0);

type OrderEvent = {
  id: string;
  cursor: string;
  platform: string;
  rawStatus: string;
  status: string;
  receivedAt: string;
  order: { externalId: string; shopId: string } | null;
};

const QUERY = `subscription($after: String) {
  orderEvents(after: $after) {
    id cursor platform rawStatus status receivedAt
    order { externalId shopId }
  }
}`;

/** The server said no (bad key, bad cursor): reconnecting cannot help. */
class Refused extends Error {}

/** graphql-ws rejects with the socket's CloseEvent; 4403 is a bad or revoked key. */
function closeCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

async function newestCursor(): Promise<string | null> {
  const response = await fetch(`${API_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ query: '{ recentOrderEvents(first: 1) { cursor } }' }),
  });
  const result = (await response.json()) as {
    data?: { recentOrderEvents: { cursor: string }[] } | null;
    errors?: { message: string }[];
  };
  if (result.errors?.length) {
    throw new Error(
      `the server refused the request: ${result.errors.map((e) => e.message).join('; ')}`,
    );
  }
  return result.data?.recentOrderEvents[0]?.cursor ?? null;
}

async function main(): Promise<void> {
  if (!API_KEY) throw new Error('set CRM_API_KEY to a key made with createApiKey');
  let cursor = existsSync(CURSOR_FILE) ? readFileSync(CURSOR_FILE, 'utf8').trim() || null : null;
  if (cursor) {
    console.log(`resuming after cursor ${cursor} (from ${CURSOR_FILE})`);
  } else {
    // First start: begin after the newest event, so nothing that happens
    // while the subscription is being set up slips by.
    cursor = await newestCursor();
    console.log(`no saved cursor: starting after the newest event (${cursor ?? 'none yet'})`);
  }

  mkdirSync(path.dirname(CURSOR_FILE), { recursive: true });
  let handled = 0;
  for (let failures = 0; STOP_AFTER === 0 || handled < STOP_AFTER;) {
    // A fresh client per connection: graphql-ws's own retry would subscribe
    // again with the first `after` and receive events twice.
    const client = createClient({
      url: `${API_URL.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { apiKey: API_KEY },
    });
    const connectedAt = Date.now();
    console.log(`listening to orderEvents${cursor ? ` after ${cursor}` : ''}`);
    try {
      for await (const result of client.iterate<{ orderEvents: OrderEvent }>({
        query: QUERY,
        variables: { after: cursor },
      })) {
        if (result.errors?.length) {
          throw new Refused(result.errors.map((error) => error.message).join('; '));
        }
        const event = result.data?.orderEvents;
        if (!event) continue;
        failures = 0;
        handled += 1;
        // Wall-clock comparison, for display only: the server's order is what counts.
        const when = Date.parse(event.receivedAt) < connectedAt ? 'missed while away' : 'live';
        console.log(
          `event ${handled}: ${event.platform} order ${event.order?.externalId ?? '?'} ` +
            `${event.rawStatus} -> ${event.status} (${when}) id=${event.id} cursor=${event.cursor}`,
        );
        // Saved after handling: a crash before this line gets the event again, never loses it.
        cursor = event.cursor;
        writeFileSync(CURSOR_FILE, cursor);
        if (STOP_AFTER > 0 && handled >= STOP_AFTER) break;
      }
    } catch (error) {
      if (error instanceof Refused || closeCode(error) === 4403 || closeCode(error) === 4400) {
        throw new Error(`the server refused the subscription: ${describe(error)}`);
      }
      failures += 1;
      const delay = Math.min(30_000, 500 * 2 ** failures);
      console.log(`disconnected (${describe(error)}); reconnecting in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    } finally {
      await client.dispose();
    }
  }
  console.log(`events handled: ${handled}; the next run resumes after ${cursor} (${CURSOR_FILE})`);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const code = closeCode(error);
  const reason = (error as { reason?: unknown }).reason;
  return code
    ? `socket closed ${code} ${typeof reason === 'string' ? reason : ''}`.trim()
    : String(error);
}

main().catch((error: unknown) => {
  console.error(`partner-orders failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
