import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import request from 'supertest';
import WebSocket from 'ws';
import { AuditLog } from '../src/entities';
import { Role } from '../src/entities/enums';
import { WS_MAX_PAYLOAD_BYTES } from '../src/realtime/graphql-ws-server';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { answerOverSocket } from './support/ws';

/**
 * Every operation limit holds over HTTP and over graphql-ws alike, against a
 * production-mode server: the same refusal, the same code, the same message.
 */
type Answer = {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

let t: TestApp;
let staffToken: string;
const clients: Client[] = [];
const socketsByToken = new Map<string, Client>();

beforeAll(async () => {
  t = await startTestApp({ env: 'production' });
  const staff = await factories(t.orm).user({ role: Role.TELESALES });
  staffToken = t.tokenFor(staff);
  // Rows for the nested query to fan out over, were it ever run.
  const f = factories(t.orm);
  const channel = await f.channel();
  for (let i = 0; i < 5; i += 1) {
    const customer = await f.customer();
    for (let j = 0; j < 3; j += 1) await f.order({ channel, customer });
  }
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await t.close();
});

function socketFor(token: string): Client {
  const known = socketsByToken.get(token);
  if (known) return known;
  const client = createClient({
    url: t.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  clients.push(client);
  socketsByToken.set(token, client);
  return client;
}

type Transport = (query: string, variables?: Record<string, unknown>) => Promise<Answer>;

const overHttp =
  (token: () => string): Transport =>
  async (query, variables) => {
    const res = await request(t.app.httpServer)
      .post('/graphql')
      .set('authorization', `Bearer ${token()}`)
      .send({ query, variables });
    return res.body as Answer;
  };

const overSocket =
  (token: () => string): Transport =>
  (query, variables) =>
    answerOverSocket(socketFor(token()), query, variables);

const transports: [string, (token: () => string) => Transport][] = [
  ['HTTP', overHttp],
  ['WebSocket', overSocket],
];

/** orders -> customer -> orders, `levels` times, each page `first` long. */
function nestedOrders(levels: number, first: string): string {
  let inner = 'id';
  for (let level = 1; level < levels; level += 1) {
    inner = `id customer { id orders(first: ${first}) { ${inner} } }`;
  }
  return `orders(first: ${first}) { edges { node { ${inner} } } }`;
}

const deepTickets = `{ tickets { edges { node { ${'rootTicket { '.repeat(12)}id${' }'.repeat(12)} } } } }`;

const limits: {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  message: RegExp;
}[] = [
  { name: 'depth', query: deepTickets, message: /depth/i },
  {
    name: 'cost with literal page sizes',
    query: `{ ${nestedOrders(4, '100')} }`,
    message: /cost limit of \d+ exceeded/i,
  },
  {
    name: 'cost with page sizes from variables',
    query: `query Nested($n: Int) { ${nestedOrders(4, '$n')} }`,
    variables: { n: 100 },
    message: /cost limit of \d+ exceeded/i,
  },
  {
    name: 'cost with the default page size',
    query: `{ ${nestedOrders(4, '20').replace(/\(first: 20\)/g, '')} }`,
    message: /cost limit of \d+ exceeded/i,
  },
  {
    name: 'aliases',
    query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
    message: /aliases/i,
  },
  {
    name: 'tokens',
    query: `{ ${'__typename '.repeat(6_000)}}`,
    message: /more that 5000 tokens/,
  },
  { name: 'syntax', query: '{ tickets { ', message: /^Syntax Error/ },
  {
    name: 'field suggestions are hidden',
    query: '{ ticketz { totalCount } }',
    message: /^Cannot query field "ticketz" on type "Query"\.$/,
  },
  {
    name: 'introspection is off in production',
    query: '{ __schema { description } }',
    message: /introspection/i,
  },
];

describe.each(transports)('over %s', (_name, transport) => {
  const send = transport(() => t.adminToken);

  test.each(limits)('$name is refused as BAD_USER_INPUT', async ({ query, variables, message }) => {
    const answer = await send(query, variables);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors![0]!.message).toMatch(message);
  });

  test('a refused mutation keeps FORBIDDEN and is written to the audit log', async () => {
    const requestedBy = randomUUID();
    const answer = await transport(() => staffToken)(
      'mutation Deactivate($id: ID!) { setUserActive(userId: $id, active: false) { id } }',
      { id: requestedBy },
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(answer.errors?.[0]?.message).toBe('Your role may not do this');
    const denials = await t.orm.em
      .fork()
      .find(AuditLog, { action: 'permission_denied', entityId: 'setUserActive' });
    expect(denials.length).toBeGreaterThanOrEqual(1);
  });
});

test('both transports refuse each limit with the same message', async () => {
  for (const { query, variables } of limits) {
    const [http, ws] = await Promise.all(
      transports.map(([, transport]) => transport(() => t.adminToken)(query, variables)),
    );
    expect(ws!.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(
      http!.errors?.map((e) => [e.message, e.extensions?.code]),
    );
  }
});

test('each refused mutation is audited once per transport', async () => {
  const before = await t.orm.em.fork().count(AuditLog, { action: 'permission_denied' });
  for (const [, transport] of transports) {
    await transport(() => staffToken)(
      'mutation { setUserActive(userId: "00000000-0000-4000-8000-000000000000", active: false) { id } }',
    );
  }
  const after = await t.orm.em.fork().count(AuditLog, { action: 'permission_denied' });
  expect(after - before).toBe(2);
});

test('a syntax error answers that operation and leaves the socket open', async () => {
  let closed: number | undefined;
  const client = createClient({
    url: t.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${t.adminToken}` },
    on: { closed: (event) => (closed = (event as { code?: number }).code) },
  });
  clients.push(client);
  const run = (query: string) => answerOverSocket(client, query) as Promise<Answer>;
  const broken = await run('{ referenceData { ');
  expect(broken.errors?.[0]?.message).toMatch(/^Syntax Error/);
  const after = await run('{ __typename }');
  expect(after).toEqual({ data: { __typename: 'Query' } });
  expect(closed).toBeUndefined();
});

test(`a socket message over ${WS_MAX_PAYLOAD_BYTES} bytes closes the socket before it is parsed`, async () => {
  const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws');
  await new Promise((resolve) => socket.once('open', resolve));
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  socket.send(
    JSON.stringify({
      type: 'connection_init',
      payload: { padding: 'x'.repeat(WS_MAX_PAYLOAD_BYTES + 1) },
    }),
  );
  expect(await closed).toBe(1009);
});

test('the nested-variable query is refused before it runs: RSS stays within 100 MB of idle', async () => {
  const query = `query Nested($n: Int) { ${nestedOrders(4, '$n')} }`;
  global.gc?.();
  const idle = process.memoryUsage().rss;
  for (let round = 0; round < 5; round += 1) {
    for (const [, transport] of transports) {
      const answer = await transport(() => t.adminToken)(query, { n: 100 });
      expect(answer.errors?.[0]?.message).toMatch(/cost limit/i);
    }
  }
  expect(process.memoryUsage().rss - idle).toBeLessThan(100 * 1024 * 1024);
});
