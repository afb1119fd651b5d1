/**
 * A web or mobile client (docs/web-and-mobile.md): sign in, query over HTTP,
 * follow live changes over WebSocket.
 *
 *   CRM_EMAIL=telesales-leader@demo.local CRM_PASSWORD=demo1234 \
 *     node -r @swc-node/register examples/web-client.ts
 *
 * It subscribes to `ticketChanged`, adds a note to the first open ticket it
 * can see, prints the event that note raises, and exits.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const API_URL = process.env.API_URL ?? 'http://localhost:4000';
const EMAIL = process.env.CRM_EMAIL ?? 'telesales-leader@demo.local';
const PASSWORD = process.env.CRM_PASSWORD ?? 'demo1234';

type GraphQLResult<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

/** Errors come back with HTTP 200 and an `errors` list; `extensions.code` says what to do. */
async function graphql<T>(query: string, variables: object, token?: string): Promise<T> {
  const response = await fetch(`${API_URL}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as GraphQLResult<T>;
  const error = result.errors?.[0];
  if (error) throw new Error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  if (!result.data) throw new Error(`HTTP ${response.status} with no data`);
  return result.data;
}

type TicketChange = {
  action: string;
  changedFields: string[];
  ticket: { id: string; title: string; latestNote: { body: string } | null };
};

async function main(): Promise<void> {
  const { login } = await graphql<{ login: { token: string; expiresAt: string } }>(
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt } }',
    { email: EMAIL, password: PASSWORD },
  );
  const token = login.token;
  console.log(`signed in as ${EMAIL} (token valid until ${login.expiresAt})`);

  const { me, tickets } = await graphql<{
    me: { fullName: string; role: string };
    tickets: {
      totalCount: number;
      edges: { node: { id: string; title: string; status: string } }[];
    };
  }>(
    `
      query {
        me {
          fullName
          role
        }
        tickets(first: 5, filter: { statuses: [NEW, ASSIGNED] }) {
          totalCount
          edges {
            node {
              id
              title
              status
            }
          }
        }
      }
    `,
    {},
    token,
  );
  console.log(`me: ${me.fullName} (${me.role}); ${tickets.totalCount} open tickets`);
  for (const { node } of tickets.edges) console.log(`  ${node.id}  ${node.status}  ${node.title}`);
  const ticket = tickets.edges[0]?.node;
  if (!ticket) throw new Error(`${EMAIL} sees no open ticket to add a note to`);

  const client = createClient({
    url: `${API_URL.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    // Bad credentials close the socket with 4403: retrying cannot help.
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const changes = client.iterate<{ ticketChanged: TicketChange }>({
    query: `subscription {
      ticketChanged { action changedFields ticket { id title latestNote { body } } }
    }`,
  });
  console.log('subscribed to ticketChanged');

  // graphql-ws does not say when the server has registered a subscription, so
  // the note is added again (at most 5 times) until its event comes back.
  let event: TicketChange | undefined;
  const next = changes.next();
  for (let attempt = 1; attempt <= 5 && !event; attempt += 1) {
    const body = `Called back, customer will confirm tomorrow (web-client example, try ${attempt})`;
    await graphql(
      'mutation($id: ID!, $body: String!) { addTicketNote(ticketId: $id, body: $body) { id } }',
      { id: ticket.id, body },
      token,
    );
    console.log(`added a note to ticket ${ticket.id}`);
    const result = await Promise.race([
      next,
      new Promise<null>((r) => setTimeout(() => r(null), 1_000)),
    ]);
    if (result?.done) throw new Error('the subscription ended before any event');
    if (result) {
      const received = result.value;
      if (received.errors?.length) throw new Error(received.errors[0]?.message);
      event = received.data?.ticketChanged;
    }
  }
  if (!event) throw new Error('no ticketChanged event arrived within 5 seconds');
  console.log(
    `received ticketChanged: ${event.action} on ${event.ticket.id} [${event.changedFields.join(', ')}]`,
  );
  console.log(`  latest note: ${event.ticket.latestNote?.body ?? '(none)'}`);

  await changes.return?.();
  await client.dispose();
}

main().catch((error: unknown) => {
  console.error(`web-client failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
