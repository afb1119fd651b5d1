import { createClient } from 'graphql-ws';
import request from 'supertest';
import WebSocket from 'ws';
import { InboundEvent, TicketHistory } from '../src/entities';
import { InboundEventStatus, Platform, Role } from '../src/entities/enums';
import { TOPICS } from '../src/kernel/topics';
import { factories } from './support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app';
import { pushes } from './support/webhooks';
import { subscriber, waitFor } from './support/ws';

/** One test per defect a review found, so none comes back. */
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const code = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const as = (user: { id: string }) => ({ token: t.tokenFor(user) });

test('queries on an open socket stop working once the user is deactivated', async () => {
  const leader = await make.user({ role: Role.TELESALES_LEADER });
  // lazy: false keeps one socket open across operations, as a dashboard does.
  const client = createClient({
    url: t.wsUrl,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${t.tokenFor(leader)}` },
  });
  const run = (query: string) =>
    new Promise<{ data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }>(
      (resolve) => {
        let result: unknown;
        client.subscribe(
          { query },
          {
            next: (value) => (result = value),
            error: (error) => resolve({ errors: error as never }),
            complete: () => resolve(result as never),
          },
        );
      },
    );
  expect(await run('{ me { id } }')).toEqual({ data: { me: { id: leader.id } } });
  await t.gql('mutation($id: ID!) { setUserActive(userId: $id, active: false) { id } }', {
    id: leader.id,
  });
  const after = await run('{ me { id } }');
  expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  await client.dispose();
});

test('IT assigns a ticket without reading it', async () => {
  const it = await make.user({ role: Role.IT });
  const staff = await make.user({ role: Role.TELESALES });
  const ticket = await make.ticket(
    { customer: await make.customer(), branch: await make.branch(), assignee: staff },
    { description: 'secret notes about the customer' },
  );
  const res = await t.gql<{ assignTicket: unknown }>(
    'mutation($t: ID!, $u: ID!, $v: Int!) { assignTicket(ticketId: $t, assigneeId: $u, version: $v) { id description } }',
    { t: ticket.id, u: staff.id, v: await t.ticketVersion(ticket.id) },
    as(it),
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.assignTicket).toBeNull();
});

test('a flag for an order not seen yet waits for the order instead of being dropped', async () => {
  const shop = `7${Date.now()}`;
  await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
  const push = pushes.shopee(shop, 'EARLY1', 'IN_CANCEL', 1_718_000_000);
  const res = await request(t.app.httpServer)
    .post('/webhooks/shopee')
    .set('content-type', 'application/json')
    .set(push.headers)
    .send(push.body.toString('utf8'));
  expect(res.status).toBe(200);
  let inbound: InboundEvent | null = null;
  for (let i = 0; i < 100; i += 1) {
    inbound = await t.orm.em.fork().findOne(InboundEvent, { shopId: shop });
    if (inbound && inbound.status !== InboundEventStatus.RECEIVED) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(inbound).toMatchObject({ status: InboundEventStatus.FAILED });
  expect(inbound!.lastError).toMatch(/not known yet/);
});

test('a failing subscription stream ends with a masked error and frees its listeners', async () => {
  const prod = await startTestApp({ env: 'production' });
  try {
    const baseline = prod.bus.activeSubscriptions;
    const ws = subscriber(prod.wsUrl, { authorization: `Bearer ${prod.adminToken}` });
    const sub = ws.subscribe('subscription { ticketChanged { ticket { id } } }');
    await waitFor(() => prod.bus.activeSubscriptions >= baseline + 2);
    prod.bus.publish(TOPICS.ticketChanged, {
      ticketId: 'not-a-uuid',
      action: 'UPDATED',
      changedFields: [],
    });
    await waitFor(() => sub.error !== undefined || sub.completed);
    expect(JSON.stringify(sub.error)).not.toMatch(/select|uuid|syntax/i);
    await waitFor(() => prod.bus.activeSubscriptions === baseline);
    await ws.client.dispose();
  } finally {
    await prod.close();
  }
});

test('tickets the system creates carry their history', async () => {
  const staff = await make.user({ role: Role.TELESALES });
  const ticket = await make.ticket({
    customer: await make.customer(),
    branch: await make.branch(),
    assignee: staff,
  });
  await t.gql(
    'mutation($id: ID!, $v: Int!) { completeTicket(id: $id, resultCode: CALL_LATER, version: $v) { id } }',
    { id: ticket.id, v: await t.ticketVersion(ticket.id) },
    as(staff),
  );
  const em = t.orm.em.fork();
  const followUp = await em.findOneOrFail('Ticket', { originKey: `follow-up:${ticket.id}` });
  const history = await em.find(TicketHistory, { ticket: (followUp as { id: string }).id });
  expect(history.map((h) => [h.field, h.after]).sort()).toEqual([
    ['assignee', staff.id],
    ['status', 'ASSIGNED'],
  ]);
});

test('bulk creation keeps FORBIDDEN as FORBIDDEN', async () => {
  const staff = await make.user({ role: Role.TELESALES });
  const other = await make.user({ role: Role.TELESALES });
  const branch = await make.branch();
  const customer = await make.customer();
  const res = await t.gql(
    'mutation($b: ID!, $c: ID!, $o: ID!) { createTickets(input: { customerIds: [$c], shared: { title: "x", source: MANUAL, branchId: $b, assigneeId: $o } }) { id } }',
    { b: branch.id, c: customer.id, o: other.id },
    as(staff),
  );
  expect(code(res)).toBe('FORBIDDEN');
  const wrongTeam = await t.gql(
    'mutation($b: ID!, $c: ID!) { createTickets(input: { customerIds: [$c], shared: { title: "x", source: MANUAL, branchId: $b, target: CUSTOMER_SERVICE } }) { id } }',
    { b: branch.id, c: customer.id },
    as(staff),
  );
  expect(code(wrongTeam)).toBe('FORBIDDEN');
});

test('IT cannot recover a masked phone or e-mail by searching for it', async () => {
  const it = await make.user({ role: Role.IT });
  await make.customer({
    fullName: 'Đỗ Văn Tâm',
    phone: '+84987650001',
    email: 'tam.do@example.vn',
  });
  for (const search of ['0987650001', 'tam.do@example']) {
    const res = await t.gql<{ customers: { totalCount: number } }>(
      'query($s: String) { customers(filter: { search: $s }) { totalCount } }',
      { s: search },
      as(it),
    );
    expect(res.data!.customers.totalCount).toBe(0);
  }
  const byName = await t.gql<{ customers: { totalCount: number } }>(
    '{ customers(filter: { search: "Đỗ Văn Tâm" }) { totalCount } }',
    undefined,
    as(it),
  );
  expect(byName.data!.customers.totalCount).toBe(1);
});

test('a crafted cursor whose id is not an id is BAD_USER_INPUT', async () => {
  const cursor = Buffer.from(
    JSON.stringify({ f: 'createdAt:DESC', v: '2020-01-01T00:00:00.000Z', id: 'x' }),
  ).toString('base64url');
  const res = await t.gql('query($a: String) { tickets(after: $a) { totalCount } }', { a: cursor });
  expect(code(res)).toBe('BAD_USER_INPUT');
});
