import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let client: Client;
beforeAll(async () => {
  t = await startTestApp();
  client = createClient({
    url: t.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${t.adminToken}` },
  });
});
afterAll(async () => {
  await client.dispose();
  await t.close();
});

function execute(query: string): Promise<{
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}> {
  return new Promise((resolve, reject) => {
    let result: unknown;
    client.subscribe(
      { query },
      {
        next: (value) => (result = value),
        error: (error) =>
          Array.isArray(error)
            ? resolve({ errors: error })
            : reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(result as never),
      },
    );
  });
}

test('queries run over graphql-ws on the same port and path', async () => {
  const result = await execute('{ referenceData { ticketTargets { code } } }');
  expect(result).toEqual({
    data: {
      referenceData: { ticketTargets: [{ code: 'TELESALES' }, { code: 'CUSTOMER_SERVICE' }] },
    },
  });
});

test('the socket applies the same validation and error codes as HTTP', async () => {
  const tooDeep = await execute(
    '{ tickets { edges { node { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { id } } } } } } } } } } } } }',
  );
  expect(tooDeep.errors?.[0]?.message).toMatch(/depth/i);
  const bad = await execute('{ tickets(first: 1000) { totalCount } }');
  expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});
