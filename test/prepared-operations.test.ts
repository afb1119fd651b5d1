import { createClient, type Client } from 'graphql-ws';
import { print, type GraphQLError, type GraphQLSchema } from 'graphql';
import request from 'supertest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config';
import { User } from '../src/entities';
import { Role } from '../src/entities/enums';
import { PreparedOperations } from '../src/realtime/prepared-operations';
import { VIEWER_RECHECK_MS } from '../src/realtime/scoped-subscription';
import { buildCrmSchema } from '../src/schema/build-schema';
import {
  createOperationLimits,
  prepareOperation,
  type OperationLimits,
  type PreparedOperation,
} from '../src/schema/operation-limits';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { answerOverSocket, waitFor, waitForSubscriptions, type Received } from './support/ws';

/**
 * graphql-ws prepares each distinct document once (parse, validation, the
 * operation) and checks each subscribe's variables and cost; a subscribe
 * takes the socket's viewer without reading it again. These tests hold the
 * cache to the uncached answers and the socket to the revocation rules.
 */

/** orders -> customer -> orders, `levels` times, each page `first` long. */
function nestedOrders(levels: number, first: string): string {
  let inner = 'id';
  for (let level = 1; level < levels; level += 1) {
    inner = `id customer { id orders(first: ${first}) { ${inner} } }`;
  }
  return `orders(first: ${first}) { edges { node { ${inner} } } }`;
}

type Payload = { query: string; operationName?: string; variables?: Record<string, unknown> };

/** What a preparation answers, comparable across calls: the printed document or the errors. */
const answerOf = (prepared: PreparedOperation | GraphQLError[]) =>
  Array.isArray(prepared)
    ? { errors: prepared.map((error) => error.toJSON()) }
    : { document: print(prepared.document), operation: prepared.operation.name?.value ?? null };

const NESTED = `query Nested($n: Int) { ${nestedOrders(4, '$n')} }`;

const payloads: Payload[] = [
  { query: '{ me { id } }' },
  { query: 'subscription { orderEvents { cursor order { externalId } } }' },
  { query: NESTED, variables: { n: 2 } },
  { query: NESTED, variables: { n: 100 } },
  { query: NESTED, variables: { n: 'many' } },
  { query: NESTED },
  { query: `{ ${nestedOrders(4, '100')} }` },
  { query: `{ tickets { edges { node { ${'rootTicket { '.repeat(12)}id${' }'.repeat(12)} } } } }` },
  { query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(' ')} }` },
  { query: `{ ${'__typename '.repeat(6_000)}}` },
  { query: '{ tickets { ' },
  { query: '{ ticketz { totalCount } }' },
  { query: 'query A { me { id } } query B { me { role } }' },
  { query: 'query A { me { id } } query B { me { role } }', operationName: 'B' },
  { query: 'query A { me { id } } query B { me { role } }', operationName: 'C' },
];

describe('the prepared-operation cache', () => {
  let schema: GraphQLSchema;
  let limits: OperationLimits;
  beforeAll(async () => {
    schema = await buildCrmSchema();
    limits = createOperationLimits({
      maxDepth: loadConfig({}).graphqlMaxDepth,
      introspection: false,
    });
  });

  test('answers as the uncached preparation does, errors included, the first time and after', () => {
    const cache = new PreparedOperations(schema, limits);
    for (const round of [1, 2, 3]) {
      for (const payload of payloads) {
        expect({ round, ...answerOf(cache.prepare(payload)) }).toEqual({
          round,
          ...answerOf(prepareOperation(schema, limits, payload)),
        });
      }
    }
  });

  test('a cached document is parsed once; its variables are checked on every use', () => {
    const cache = new PreparedOperations(schema, limits);
    const first = cache.prepare({ query: NESTED, variables: { n: 2 } });
    expect(Array.isArray(first)).toBe(false);
    const again = cache.prepare({ query: NESTED, variables: { n: 2 } });
    expect((again as PreparedOperation).document).toBe((first as PreparedOperation).document);

    const tooCostly = cache.prepare({ query: NESTED, variables: { n: 100 } });
    expect(Array.isArray(tooCostly)).toBe(true);
    expect((tooCostly as GraphQLError[])[0]!.message).toMatch(/cost limit of \d+ exceeded/i);
    const notAnInt = cache.prepare({ query: NESTED, variables: { n: 'many' } });
    expect((notAnInt as GraphQLError[])[0]!.extensions.code).toBe('BAD_USER_INPUT');
    // Still cached for the variables that pass: the same parsed document.
    const cheap = cache.prepare({ query: NESTED, variables: { n: 3 } });
    expect((cheap as PreparedOperation).document).toBe((first as PreparedOperation).document);
    expect(cache.size).toBe(1);
  });

  test('is bounded by documents and by characters, least recently used out first', () => {
    const byCount = new PreparedOperations(schema, limits, { maxDocuments: 3 });
    const documents = Array.from({ length: 5 }, (_, i) => ({
      query: `query Q${i} { me { id } }`,
    }));
    const kept = documents.map((payload) => byCount.prepare(payload) as PreparedOperation);
    expect(byCount.size).toBe(3);
    // Q2 used again: it stays; Q0 and Q1 were dropped, so they are parsed anew.
    expect((byCount.prepare(documents[2]!) as PreparedOperation).document).toBe(kept[2]!.document);
    expect((byCount.prepare(documents[0]!) as PreparedOperation).document).not.toBe(
      kept[0]!.document,
    );
    expect(byCount.size).toBe(3);
    expect((byCount.prepare(documents[2]!) as PreparedOperation).document).toBe(kept[2]!.document);
    // Q0 came back in place of the least recently used (Q3).
    expect((byCount.prepare(documents[3]!) as PreparedOperation).document).not.toBe(
      kept[3]!.document,
    );

    const maxCharacters = 2_000;
    const byCharacters = new PreparedOperations(schema, limits, { maxCharacters });
    for (let i = 0; i < 200; i += 1) {
      byCharacters.prepare({ query: `query Long${i} { me { id fullName role } }` });
      expect(byCharacters.heldCharacters).toBeLessThanOrEqual(maxCharacters);
    }
    expect(byCharacters.size).toBeGreaterThan(10);
    expect(byCharacters.size).toBeLessThan(200);
  });
});

describe('over graphql-ws', () => {
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp({ env: 'production' });
    make = factories(t.orm);
    const channel = await make.channel();
    const customer = await make.customer();
    for (let i = 0; i < 3; i += 1) await make.order({ channel, customer });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await t.close();
  });

  type Answer = { data?: unknown; errors?: { message: string; extensions?: { code?: unknown } }[] };

  const socket = (token: string) => {
    const client = createClient({
      url: t.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    return (query: string, variables?: Record<string, unknown>) =>
      answerOverSocket(client, query, variables) as Promise<Answer>;
  };

  const overHttp = async (query: string, variables?: Record<string, unknown>) =>
    (
      await request(t.app.httpServer)
        .post('/graphql')
        .set('authorization', `Bearer ${t.adminToken}`)
        .send({ query, variables })
    ).body as Answer;

  const summary = (answer: Answer) => ({
    data: answer.data ?? null,
    errors: answer.errors?.map((error) => [error.message, error.extensions?.code]),
  });

  test('one document with different variables: each use checked as over HTTP', async () => {
    const send = socket(t.adminToken);
    for (const variables of [{ n: 2 }, { n: 100 }, { n: 'many' }, { n: 2 }, { n: 100 }]) {
      const [ws, http] = [await send(NESTED, variables), await overHttp(NESTED, variables)];
      expect(summary(ws)).toEqual(summary(http));
    }
    expect(summary(await send(NESTED, { n: 100 })).errors?.[0]?.[1]).toBe('BAD_USER_INPUT');
    expect(summary(await send(NESTED, { n: 2 })).errors).toBeUndefined();
  });

  /** A socket kept open across operations (as a dashboard holds it), recording each subscription. */
  const openSocket = (token: string) => {
    let closeCode: number | undefined;
    const client = createClient({
      url: t.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { closed: (event) => (closeCode = (event as { code?: number }).code) },
    });
    clients.push(client);
    const subscribe = (query: string) => {
      const seen = {
        events: [] as Received[],
        errors: undefined as Received['errors'],
        done: false,
      };
      client.subscribe(
        { query },
        {
          next: (value) => seen.events.push(value as Received),
          error: (error) => {
            seen.errors = Array.isArray(error) ? (error as Received['errors']) : [];
            seen.done = true;
          },
          complete: () => (seen.done = true),
        },
      );
      return seen;
    };
    return {
      subscribe,
      get closeCode() {
        return closeCode;
      },
    };
  };

  test('a subscribe on an open socket after a deactivation is refused UNAUTHENTICATED', async () => {
    const user = await make.user({ role: Role.TELESALES_LEADER });
    const ws = openSocket(t.tokenFor(user));
    const baseline = t.bus.activeSubscriptions;
    const open = ws.subscribe('subscription { ticketChanged { action } }');
    await waitForSubscriptions(t.bus, baseline, 1);
    const res = await t.gql(
      'mutation($id: ID!) { setUserActive(userId: $id, active: false) { id } }',
      { id: user.id },
    );
    expect(res.errors).toBeUndefined();
    await waitFor(() => open.done);
    expect(open.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const later = ws.subscribe('subscription { orderEvents { cursor } }');
    await waitFor(() => later.done || later.events.length > 0);
    expect(later.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(ws.closeCode).toBeUndefined();
  });

  test(
    "a user deactivated without a broadcast loses the socket's subscriptions within the re-read interval",
    async () => {
      const user = await make.user({ role: Role.BOD });
      const ws = openSocket(t.tokenFor(user));
      const baseline = t.bus.activeSubscriptions;
      const open = ws.subscribe('subscription { ticketChanged { action } }');
      await waitForSubscriptions(t.bus, baseline, 1);
      // Behind the API's back: no revocation is published, only the re-read can tell.
      await t.orm.em.fork().nativeUpdate(User, { id: user.id }, { active: false });
      await waitFor(() => open.done, VIEWER_RECHECK_MS * 3);
      expect(open.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const later = ws.subscribe('subscription { orderEvents { cursor } }');
      await waitFor(() => later.done || later.events.length > 0);
      expect(later.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    },
    VIEWER_RECHECK_MS * 5,
  );
});
