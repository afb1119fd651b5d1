import request from 'supertest';
import { hashPassword } from '../src/auth/password';
import { ACCESS } from '../src/auth/permissions';
import { AuditLog, Conversation, KnowledgeBaseArticle, Ticket } from '../src/entities';
import { KnowledgeBaseType, Platform, Role, TicketTarget } from '../src/entities/enums';
import { TOPICS } from '../src/kernel/topics';
import { factories } from './support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app';
import { subscriber, waitFor, waitForSubscriptions } from './support/ws';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const code = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const as = (user: { id: string }) => ({ token: t.tokenFor(user) });

describe('login', () => {
  let passwordHash: string;
  beforeAll(async () => {
    passwordHash = await hashPassword('correct horse');
  });

  const login = (email: string, password: string) =>
    request(t.app.httpServer)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({
        query:
          'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { email role } } }',
        variables: { e: email, p: password },
      });

  test('returns a token that signs the next requests in', async () => {
    const user = await make.user({
      email: 'ngoc.tran@test.local',
      passwordHash,
      role: Role.TELESALES_LEADER,
    });
    const res = await login('Ngoc.Tran@test.local ', 'correct horse');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.login.user).toEqual({ email: user.email, role: 'TELESALES_LEADER' });
    const me = await t.gql<{ me: { id: string } }>('{ me { id } }', undefined, {
      token: res.body.data.login.token,
    });
    expect(me.data!.me.id).toBe(user.id);
  });

  test('wrong password, unknown e-mail and inactive user answer byte for byte the same', async () => {
    await make.user({ email: 'active@test.local', passwordHash });
    await make.user({ email: 'inactive@test.local', passwordHash, active: false });
    const wrong = await login('active@test.local', 'wrong password');
    const unknown = await login('nobody@test.local', 'correct horse');
    const inactive = await login('inactive@test.local', 'correct horse');
    expect(wrong.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const other of [unknown, inactive]) {
      expect(other.status).toBe(wrong.status);
      expect(other.text).toBe(wrong.text);
    }
  });

  test('repeated failures for one e-mail are rate-limited, even with the right password after', async () => {
    await make.user({ email: 'target@test.local', passwordHash });
    for (let i = 0; i < 5; i += 1) {
      const res = await login('target@test.local', `guess ${i}`);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const limited = await login('target@test.local', 'correct horse');
    expect(limited.body.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
  });

  test('logins and failed logins are audited', async () => {
    const em = t.orm.em.fork();
    expect(await em.count(AuditLog, { action: 'login' })).toBeGreaterThan(0);
    expect(await em.count(AuditLog, { action: 'login_failed' })).toBeGreaterThan(0);
  });
});

describe('tokens', () => {
  test("a deactivated user's token stops working on the next request", async () => {
    const user = await make.user({ role: Role.TELESALES });
    const auth = as(user);
    expect((await t.gql('{ me { id } }', undefined, auth)).errors).toBeUndefined();
    const off = await t.gql(
      'mutation($id: ID!) { setUserActive(userId: $id, active: false) { active } }',
      { id: user.id },
    );
    expect(off.errors).toBeUndefined();
    const after = await t.gql('{ me { id } }', undefined, auth);
    expect(code(after)).toBe('UNAUTHENTICATED');
  });

  test('a forged or malformed token is UNAUTHENTICATED, not anonymous', async () => {
    for (const token of ['not-a-jwt', `${t.adminToken.slice(0, -3)}abc`]) {
      const res = await t.gql('{ referenceData { roles { code } } }', undefined, { token });
      expect(code(res)).toBe('UNAUTHENTICATED');
    }
  });

  test.each([
    ['a bad token', { authorization: 'Bearer nope' }],
    ['a revoked-looking API key', { apiKey: 'crm_not-a-key' }],
    ['no credentials', {}],
  ])(
    'a graphql-ws connection with %s is closed with 4403 at connection_init',
    async (_name, params) => {
      const ws = subscriber(t.wsUrl, params);
      const sub = ws.subscribe('subscription { ticketChanged { ticket { id } } }');
      await waitFor(() => ws.closeCode !== undefined);
      expect(ws.closeCode).toBe(4403);
      expect(sub.events).toEqual([]);
      await ws.client.dispose();
    },
  );
});

describe('ticket scopes', () => {
  async function team() {
    const branch = await make.branch();
    const customer = await make.customer();
    const staffA = await make.user({ role: Role.TELESALES });
    const staffB = await make.user({ role: Role.TELESALES });
    const tsLeader = await make.user({ role: Role.TELESALES_LEADER });
    const csLeader = await make.user({ role: Role.CUSTOMER_SERVICE_LEADER });
    const csStaff = await make.user({ role: Role.CUSTOMER_SERVICE });
    const ticketA = await make.ticket({ customer, branch, assignee: staffA });
    const ticketB = await make.ticket({ customer, branch, assignee: staffB });
    const csTicket = await make.ticket(
      { customer, branch, assignee: csStaff },
      { target: TicketTarget.CUSTOMER_SERVICE, belongTo: TicketTarget.CUSTOMER_SERVICE },
    );
    return {
      branch,
      customer,
      staffA,
      staffB,
      tsLeader,
      csLeader,
      csStaff,
      ticketA,
      ticketB,
      csTicket,
    };
  }

  test("staff see only tickets they own or curate: another's ticket is NOT_FOUND and filters cannot reach it", async () => {
    const { staffA, staffB, ticketA, ticketB, customer } = await team();
    const byId = await t.gql(
      'query($id: ID!) { ticket(id: $id) { id } }',
      { id: ticketB.id },
      as(staffA),
    );
    expect(code(byId)).toBe('NOT_FOUND');
    const filtered = await t.gql<{ tickets: { totalCount: number } }>(
      'query($a: [ID!]) { tickets(filter: { assignees: $a }) { totalCount } }',
      { a: [staffB.id] },
      as(staffA),
    );
    expect(filtered.data!.tickets.totalCount).toBe(0);
    const mine = await t.gql<{ tickets: { edges: { node: { id: string } }[] } }>(
      'query($c: ID) { tickets(filter: { customerId: $c }) { edges { node { id } } } }',
      { c: customer.id },
      as(staffA),
    );
    expect(mine.data!.tickets.edges.map((e) => e.node.id)).toEqual([ticketA.id]);
  });

  test('a curator sees the tickets they are in charge of', async () => {
    const { staffA, staffB, branch, customer } = await team();
    const curated = await make.ticket(
      { customer, branch, assignee: staffB },
      { inCharge: staffA.id as never },
    );
    const res = await t.gql<{ ticket: { id: string } }>(
      'query($id: ID!) { ticket(id: $id) { id } }',
      { id: curated.id },
      as(staffA),
    );
    expect(res.data?.ticket.id).toBe(curated.id);
  });

  test('two aliases asking for two rows are each checked', async () => {
    const { staffA, ticketA, ticketB } = await team();
    const res = await t.gql<{ a: { id: string } | null; b: { id: string } | null }>(
      'query($mine: ID!, $other: ID!) { a: ticket(id: $mine) { id } b: ticket(id: $other) { id } }',
      { mine: ticketA.id, other: ticketB.id },
      as(staffA),
    );
    expect(res.data).toEqual({ a: { id: ticketA.id }, b: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['b'], extensions: { code: 'NOT_FOUND' } });
    // The refusal reads exactly as for an id that does not exist.
    const missing = '00000000-0000-4000-8000-000000000000';
    const nothing = await t.gql(
      'query($id: ID!) { b: ticket(id: $id) { id } }',
      { id: missing },
      as(staffA),
    );
    const withoutLocation = (errors: unknown[] | undefined) =>
      JSON.stringify(errors?.map((e) => ({ ...(e as object), locations: undefined })));
    expect(withoutLocation(res.errors).replaceAll(ticketB.id, missing)).toBe(
      withoutLocation(nothing.errors),
    );
  });

  test('a telesales leader never sees a customer-service ticket: not by list, id or customer', async () => {
    const { tsLeader, csTicket, customer, ticketA, ticketB } = await team();
    const list = await t.gql<{ tickets: { totalCount: number } }>(
      'query($c: ID) { tickets(filter: { customerId: $c, targets: [CUSTOMER_SERVICE] }) { totalCount } }',
      { c: customer.id },
      as(tsLeader),
    );
    expect(list.data!.tickets.totalCount).toBe(0);
    expect(
      code(
        await t.gql(
          'query($id: ID!) { ticket(id: $id) { id } }',
          { id: csTicket.id },
          as(tsLeader),
        ),
      ),
    ).toBe('NOT_FOUND');
    const viaCustomer = await t.gql<{ customer: { tickets: { id: string }[] } }>(
      'query($id: ID!) { customer(id: $id) { tickets(first: 100) { id } } }',
      { id: customer.id },
      as(tsLeader),
    );
    expect(viaCustomer.data!.customer.tickets.map((x) => x.id).sort()).toEqual(
      [ticketA.id, ticketB.id].sort(),
    );
  });

  test('IT sees no tickets, and customers with phone and e-mail masked, also through orders', async () => {
    const it = await make.user({ role: Role.IT });
    const customer = await make.customer({ phone: '+84912345678', email: 'lan.nguyen@example.vn' });
    const shop = await make.channel({ platform: Platform.TIKI });
    const order = await make.order({ channel: shop, customer }, { buyerPhone: '+84912345678' });
    const res = await t.gql<{
      tickets: { totalCount: number };
      customer: { phone: string; email: string };
      order: { buyerPhone: string; customer: { phone: string } };
    }>(
      'query($c: ID!, $o: ID!) { tickets { totalCount } customer(id: $c) { phone email } order(id: $o) { buyerPhone customer { phone } } }',
      { c: customer.id, o: order.id },
      as(it),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      tickets: { totalCount: 0 },
      customer: { phone: '+849*****78', email: 'l***@example.vn' },
      order: { buyerPhone: '+849*****78', customer: { phone: '+849*****78' } },
    });
    const admin = await t.gql<{ customer: { phone: string } }>(
      'query($c: ID!) { customer(id: $c) { phone } }',
      { c: customer.id },
    );
    expect(admin.data!.customer.phone).toBe('+84912345678');
  });
});

describe('live ticket events', () => {
  test('a staff subscription gets only visible tickets, stops on reassignment away, and ends on deactivation', async () => {
    const branch = await make.branch();
    const customer = await make.customer();
    const staffA = await make.user({ role: Role.TELESALES });
    const staffB = await make.user({ role: Role.TELESALES });
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const mine = await make.ticket({ customer, branch, assignee: staffA });
    const theirs = await make.ticket({ customer, branch, assignee: staffB });
    const csTicket = await make.ticket(
      { customer, branch },
      { target: TicketTarget.CUSTOMER_SERVICE, belongTo: TicketTarget.CUSTOMER_SERVICE },
    );

    const baseline = t.bus.activeSubscriptions;
    const wsA = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(staffA)}` });
    const wsLeader = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(leader)}` });
    const subA = wsA.subscribe(
      'subscription { ticketChanged { action ticket { id assignee { id } customer { fullName } } } }',
    );
    const subLeader = wsLeader.subscribe('subscription { ticketChanged { ticket { id } } }');
    await waitForSubscriptions(t.bus, baseline, 2);

    t.bus.publish(TOPICS.ticketChanged, {
      ticketId: theirs.id,
      action: 'UPDATED',
      changedFields: [],
    });
    t.bus.publish(TOPICS.ticketChanged, {
      ticketId: csTicket.id,
      action: 'UPDATED',
      changedFields: [],
    });
    t.bus.publish(TOPICS.ticketChanged, {
      ticketId: mine.id,
      action: 'UPDATED',
      changedFields: [],
    });
    await waitFor(() => subA.events.length === 1 && subLeader.events.length === 2);
    expect(subA.events[0]!.data).toEqual({
      ticketChanged: {
        action: 'UPDATED',
        ticket: {
          id: mine.id,
          assignee: { id: staffA.id },
          customer: { fullName: customer.fullName },
        },
      },
    });
    // The telesales leader saw both telesales tickets, never the customer-service one.
    expect(
      subLeader.events.map((e) => (e.data!.ticketChanged as { ticket: { id: string } }).ticket.id),
    ).toEqual([theirs.id, mine.id]);

    // Reassigned away: the assignment's own event and later ones no longer reach staff A.
    const moved = await t.gql(
      'mutation($t: ID!, $u: ID!, $v: Int!) { assignTicket(ticketId: $t, assigneeId: $u, version: $v) { id status } }',
      { t: mine.id, u: staffB.id, v: await t.ticketVersion(mine.id) },
      as(leader),
    );
    expect(moved.errors).toBeUndefined();
    t.bus.publish(TOPICS.ticketChanged, {
      ticketId: mine.id,
      action: 'UPDATED',
      changedFields: [],
    });
    await waitFor(() => subLeader.events.length === 4);
    expect(subA.events).toHaveLength(1);

    // Deactivated: the stream ends at once with an error; the leader's stream goes on.
    await t.gql('mutation($id: ID!) { setUserActive(userId: $id, active: false) { id } }', {
      id: staffA.id,
    });
    await waitFor(() => subA.error !== undefined || subA.completed);
    expect(subA.events).toHaveLength(1);
    t.bus.publish(TOPICS.ticketChanged, {
      ticketId: theirs.id,
      action: 'UPDATED',
      changedFields: [],
    });
    await waitFor(() => subLeader.events.length === 5);
    expect(subLeader.error).toBeUndefined();
    subLeader.dispose();
    await wsA.client.dispose();
    await wsLeader.client.dispose();
  });
});

describe('partner API keys', () => {
  test("a key reads only its channels' orders, and stops working at once when revoked, open subscriptions included", async () => {
    const own = await make.channel({ platform: Platform.SHOPEE });
    const other = await make.channel({ platform: Platform.LAZADA });
    const ownOrder = await make.order({ channel: own });
    const otherOrder = await make.order({ channel: other });
    const created = await t.gql<{
      createApiKey: {
        secret: string;
        apiKey: { id: string; prefix: string; channelIds: string[] };
      };
    }>(
      'mutation($ids: [ID!]!) { createApiKey(name: "Kho ERP", channelIds: $ids) { secret apiKey { id prefix channelIds } } }',
      { ids: [own.id] },
    );
    expect(created.errors).toBeUndefined();
    const { secret, apiKey } = created.data!.createApiKey;
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const stored = await t.orm.em
      .fork()
      .execute<{ secret_hash: string }[]>('select secret_hash from api_key where id = ?', [
        apiKey.id,
      ]);
    expect(stored[0]!.secret_hash).not.toContain(secret);

    const partner = { apiKey: secret };
    const list = await t.gql<{ orders: { edges: { node: { id: string } }[] } }>(
      '{ orders(first: 100) { edges { node { id } } } }',
      undefined,
      partner,
    );
    const ids = list.data!.orders.edges.map((e) => e.node.id);
    expect(ids).toContain(ownOrder.id);
    expect(ids).not.toContain(otherOrder.id);
    expect(
      code(
        await t.gql('query($id: ID!) { order(id: $id) { id } }', { id: otherOrder.id }, partner),
      ),
    ).toBe('NOT_FOUND');
    expect(code(await t.gql('{ customers { totalCount } }', undefined, partner))).toBe('FORBIDDEN');
    expect(
      code(
        await t.gql(
          'query($id: ID!) { order(id: $id) { customer { id } } }',
          { id: ownOrder.id },
          partner,
        ),
      ),
    ).toBeUndefined();

    const baseline = t.bus.activeSubscriptions;
    const ws = subscriber(t.wsUrl, { apiKey: secret });
    const sub = ws.subscribe('subscription { orderChanged { id } }');
    await waitForSubscriptions(t.bus, baseline, 1);
    t.bus.publish(TOPICS.orderChanged, { orderId: otherOrder.id });
    t.bus.publish(TOPICS.orderChanged, { orderId: ownOrder.id });
    await waitFor(() => sub.events.length === 1);
    expect(sub.events[0]!.data).toEqual({ orderChanged: { id: ownOrder.id } });

    const revoked = await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', {
      id: apiKey.id,
    });
    expect(revoked.errors).toBeUndefined();
    // The open subscription ends at once, without waiting for another order event.
    await waitFor(() => sub.error !== undefined || sub.completed);
    expect(code(await t.gql('{ orders { totalCount } }', undefined, partner))).toBe(
      'UNAUTHENTICATED',
    );
    expect(sub.events).toHaveLength(1);
    await ws.client.dispose();

    const em = t.orm.em.fork();
    expect(await em.count(AuditLog, { action: 'api_key_created', entityId: apiKey.id })).toBe(1);
    expect(await em.count(AuditLog, { action: 'api_key_revoked', entityId: apiKey.id })).toBe(1);
  });
  test('a key without the ORDERS_READ scope (an export-only key) reads no orders over GraphQL', async () => {
    const own = await make.channel({ platform: Platform.SHOPEE });
    const order = await make.order({ channel: own });
    const created = await t.gql<{ createApiKey: { secret: string } }>(
      'mutation($ids: [ID!]!) { createApiKey(name: "BI only", channelIds: $ids, scopes: [EXPORT]) { secret } }',
      { ids: [own.id] },
    );
    const exportOnly = { apiKey: created.data!.createApiKey.secret };
    expect(code(await t.gql('{ orders { totalCount } }', undefined, exportOnly))).toBe('FORBIDDEN');
    expect(
      code(await t.gql('query($id: ID!) { order(id: $id) { id } }', { id: order.id }, exportOnly)),
    ).toBe('FORBIDDEN');
    expect(code(await t.gql('{ recentOrderEvents { id } }', undefined, exportOnly))).toBe(
      'FORBIDDEN',
    );

    const ws = subscriber(t.wsUrl, exportOnly);
    const sub = ws.subscribe('subscription { orderEvents { cursor } }');
    // graphql-ws reports a refused subscribe as a result with errors, then completes.
    await waitFor(() => sub.error !== undefined || sub.events.length > 0);
    expect(JSON.stringify(sub.error ?? sub.events[0]?.errors)).toContain('FORBIDDEN');
    await ws.client.dispose();
  });
});

describe('assignment (BR-CRM-003/008)', () => {
  test('a leader manages only their team, keyed by branch + user; an inactive setting blocks assignment', async () => {
    const branch = await make.branch();
    const customer = await make.customer();
    const tsLeader = await make.user({ role: Role.TELESALES_LEADER });
    const staff = await make.user({ role: Role.TELESALES });
    const csStaff = await make.user({ role: Role.CUSTOMER_SERVICE });
    const it = await make.user({ role: Role.IT });
    const update = (userId: string, active: boolean, auth: { token: string }) =>
      t.gql<{
        updateAssignment: { active: boolean; user: { id: string }; branch: { id: string } };
      }>(
        'mutation($b: ID!, $u: ID!, $a: Boolean) { updateAssignment(branchId: $b, userId: $u, input: { active: $a }) { active user { id } branch { id } } }',
        { b: branch.id, u: userId, a: active },
        auth,
      );
    expect(code(await update(csStaff.id, false, as(tsLeader)))).toBe('FORBIDDEN');
    expect((await update(csStaff.id, true, as(it))).errors).toBeUndefined();
    const off = await update(staff.id, false, as(tsLeader));
    expect(off.data!.updateAssignment).toEqual({
      active: false,
      user: { id: staff.id },
      branch: { id: branch.id },
    });

    const ticket = await make.ticket({ customer, branch });
    const blocked = await t.gql(
      'mutation($t: ID!, $u: ID!, $v: Int!) { assignTicket(ticketId: $t, assigneeId: $u, version: $v) { id } }',
      { t: ticket.id, u: staff.id, v: await t.ticketVersion(ticket.id) },
      as(tsLeader),
    );
    expect(code(blocked)).toBe('BAD_USER_INPUT');
    const wrongTeam = await t.gql(
      'mutation($t: ID!, $u: ID!, $v: Int!) { assignTicket(ticketId: $t, assigneeId: $u, version: $v) { id } }',
      { t: ticket.id, u: csStaff.id, v: await t.ticketVersion(ticket.id) },
      as(tsLeader),
    );
    expect(code(wrongTeam)).toBe('BAD_USER_INPUT');
    const unchanged = await t.orm.em.fork().findOneOrFail(Ticket, ticket.id);
    expect(unchanged.status).toBe('NEW');
    expect(unchanged.assignee ?? null).toBeNull();

    await update(staff.id, true, as(tsLeader));
    const ok = await t.gql<{ assignTicket: { status: string; assignee: { id: string } } }>(
      'mutation($t: ID!, $u: ID!, $v: Int!) { assignTicket(ticketId: $t, assigneeId: $u, version: $v) { status assignee { id } } }',
      { t: ticket.id, u: staff.id, v: await t.ticketVersion(ticket.id) },
      as(tsLeader),
    );
    expect(ok.data!.assignTicket).toEqual({ status: 'ASSIGNED', assignee: { id: staff.id } });
    const history = await t.orm.em
      .fork()
      .execute<{ field: string }[]>(
        'select field from ticket_history where ticket_id = ? order by field',
        [ticket.id],
      );
    expect(history.map((h) => h.field)).toEqual(['assignee', 'status']);
  });

  test('a customer-service leader cannot assign a telesales ticket (NOT_FOUND: outside their target)', async () => {
    const csLeader = await make.user({ role: Role.CUSTOMER_SERVICE_LEADER });
    const staff = await make.user({ role: Role.TELESALES });
    const ticket = await make.ticket({
      customer: await make.customer(),
      branch: await make.branch(),
    });
    const res = await t.gql(
      'mutation($t: ID!, $u: ID!, $v: Int!) { assignTicket(ticketId: $t, assigneeId: $u, version: $v) { id } }',
      { t: ticket.id, u: staff.id, v: await t.ticketVersion(ticket.id) },
      as(csLeader),
    );
    expect(code(res)).toBe('NOT_FOUND');
  });

  test('a forbidden mutation is audited with its actor', async () => {
    const staff = await make.user({ role: Role.TELESALES });
    const res = await t.gql(
      'mutation($t: ID!) { assignTicket(ticketId: $t, assigneeId: $t, version: 1) { id } }',
      { t: staff.id },
      as(staff),
    );
    expect(code(res)).toBe('FORBIDDEN');
    const rows = await t.orm.em
      .fork()
      .find(AuditLog, { action: 'permission_denied', actor: staff.id });
    expect(rows.map((r) => r.entityId)).toEqual(['assignTicket']);
  });
});

describe('knowledge base (BR-CRM-007)', () => {
  test("a team leader reads their team's articles whatever type the filter sends", async () => {
    const em = t.orm.em.fork();
    em.create(KnowledgeBaseArticle, {
      type: KnowledgeBaseType.TELESALES,
      title: 'Kịch bản chào',
      body: 'b',
      keywords: 'chào',
    });
    em.create(KnowledgeBaseArticle, {
      type: KnowledgeBaseType.CUSTOMER_SERVICE,
      title: 'Đổi trả',
      body: 'b',
      keywords: 'đổi trả',
    });
    await em.flush();
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const query =
      '{ knowledgeBaseArticles(filter: { type: CUSTOMER_SERVICE }) { edges { node { type title } } } }';
    const locked = await t.gql<{ knowledgeBaseArticles: { edges: { node: { type: string } }[] } }>(
      query,
      undefined,
      as(leader),
    );
    expect(locked.data!.knowledgeBaseArticles.edges.map((e) => e.node.type)).toEqual(['TELESALES']);
    const admin = await t.gql<{ knowledgeBaseArticles: { edges: { node: { type: string } }[] } }>(
      query,
    );
    expect(admin.data!.knowledgeBaseArticles.edges.map((e) => e.node.type)).toEqual([
      'CUSTOMER_SERVICE',
    ]);
  });
});

describe('conversations', () => {
  test('customer-service staff see theirs and the unassigned queue; telesales none', async () => {
    const channel = await make.channel({ platform: Platform.ZALO });
    const cs = await make.user({ role: Role.CUSTOMER_SERVICE });
    const otherCs = await make.user({ role: Role.CUSTOMER_SERVICE });
    const ts = await make.user({ role: Role.TELESALES });
    const em = t.orm.em.fork();
    const mine = em.create(Conversation, {
      channel: channel.id,
      externalThreadId: 'a',
      assignee: cs.id,
    });
    const queue = em.create(Conversation, { channel: channel.id, externalThreadId: 'b' });
    em.create(Conversation, { channel: channel.id, externalThreadId: 'c', assignee: otherCs.id });
    await em.flush();
    const query =
      'query($ids: [ID!]) { conversations(filter: { channelIds: $ids }) { edges { node { id } } } }';
    const seen = await t.gql<{ conversations: { edges: { node: { id: string } }[] } }>(
      query,
      { ids: [channel.id] },
      as(cs),
    );
    expect(seen.data!.conversations.edges.map((e) => e.node.id).sort()).toEqual(
      [mine.id, queue.id].sort(),
    );
    const none = await t.gql<{ conversations: { edges: unknown[] } }>(
      query,
      { ids: [channel.id] },
      as(ts),
    );
    expect(none.data!.conversations.edges).toEqual([]);
  });
});

describe('shield traps', () => {
  test('anonymous callers are told to sign in; only public fields answer', async () => {
    const res = await t.gql('{ tickets { totalCount } }', undefined, 'anonymous');
    expect(res.errors![0]).toMatchObject({
      message: 'Sign in first',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  test('a database outage is an internal error, not a permission failure', async () => {
    const broken = await startTestApp();
    try {
      const token = broken.adminToken;
      await broken.db.orm.close(true);
      const res = await broken.gql('{ tickets { totalCount } }', undefined, { token });
      expect(res.errors![0]!.message).not.toMatch(/Not Authorised|may not/);
      expect(res.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await broken.app.stop();
      await broken.bus.close();
    }
  });

  test('queries over the socket obey the same rules as over HTTP', async () => {
    const staff = await make.user({ role: Role.TELESALES });
    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(staff)}` });
    const sub = ws.subscribe('{ apiKeys { id } }');
    await waitFor(() => sub.events.length > 0 || sub.error !== undefined);
    expect(sub.events[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await ws.client.dispose();
  });

  test('the permission map is reviewed as a snapshot', () => {
    const table = Object.fromEntries(
      Object.entries(ACCESS).flatMap(([type, fields]) =>
        Object.entries(fields).map(([field, access]) => [
          `${type}.${field}`,
          access.kind === 'roles' ? access.roles.join(', ') : access.kind,
        ]),
      ),
    );
    expect(table).toMatchSnapshot();
  });
});
