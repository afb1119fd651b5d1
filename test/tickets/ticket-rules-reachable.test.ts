import { Order, Payment, Ticket } from '../../src/entities';
import { OrderStatus, Platform, Role, TicketSource, TicketStatus } from '../../src/entities/enums';
import { factories } from '../support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { pushes, postPush } from '../support/webhooks';
import { subscriber, waitFor } from '../support/ws';

/**
 * Issue 20 points 4-6, over real HTTP and graphql-ws: the optimistic lock is
 * not optional, the lifecycle cannot be skipped, every automatic ticket has a
 * way in (payments, a dated rule run by hand), and the smaller rules hold.
 */
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const as = (user: { id: string }) => ({ token: t.tokenFor(user) });
const errorOf = (res: GraphQLResponse<unknown>) => res.errors?.[0];
const codeOf = (res: GraphQLResponse<unknown>) => errorOf(res)?.extensions?.code;

async function team() {
  const branch = await make.branch();
  const customer = await make.customer();
  const staff = await make.user({ role: Role.TELESALES });
  const leader = await make.user({ role: Role.TELESALES_LEADER });
  return { branch, customer, staff, leader };
}

async function row(id: string) {
  const ticket = await t.orm.em.fork().findOneOrFail(Ticket, id);
  return { status: ticket.status, version: ticket.version, title: ticket.title };
}

describe('point 4: version is required and the lifecycle cannot be skipped', () => {
  test('an update without version is refused over HTTP and WebSocket, and nothing changes', async () => {
    const { branch, customer, staff } = await team();
    const ticket = await make.ticket({ customer, branch, assignee: staff }, { title: 'Trước' });
    const before = await row(ticket.id);
    const res = await t.gql(
      'mutation($id: ID!) { updateTicket(id: $id, input: { title: "Ghi đè" }) { id } }',
      { id: ticket.id },
      as(staff),
    );
    expect(errorOf(res)?.message).toMatch(/argument "version" of type "Int!" is required/);
    for (const mutation of [
      `completeTicket(id: $id, resultCode: COMPLETED)`,
      `cancelTicket(id: $id, reason: "r")`,
      `reopenTicket(id: $id)`,
      `assignTicket(ticketId: $id, assigneeId: $id)`,
    ]) {
      const refused = await t.gql(`mutation($id: ID!) { ${mutation} { id } }`, { id: ticket.id });
      expect(errorOf(refused)?.message).toMatch(/"version" of type "Int!" is required/);
    }

    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(staff)}` });
    try {
      const op = ws.subscribe(
        'mutation($id: ID!) { updateTicket(id: $id, input: { title: "Ghi đè" }) { id } }',
        { id: ticket.id },
      );
      await waitFor(() => op.completed || op.error !== undefined);
      const [refusal] = op.error as { message: string; extensions?: { code?: string } }[];
      expect(refusal).toMatchObject({
        message: expect.stringMatching(/"version" of type "Int!" is required/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    } finally {
      await ws.client.dispose();
    }
    expect(await row(ticket.id)).toEqual(before);
  });

  test('a stale version is CONFLICT with the current one in extensions, assignTicket included', async () => {
    const { branch, customer, staff, leader } = await team();
    const ticket = await make.ticket({ customer, branch });
    const edited = await t.gql<{ updateTicket: { version: number } }>(
      'mutation($id: ID!) { updateTicket(id: $id, version: 1, input: { title: "Lần 1" }) { version } }',
      { id: ticket.id },
      as(leader),
    );
    expect(edited.data?.updateTicket.version).toBe(2);
    const stale = await t.gql(
      'mutation($id: ID!, $to: ID!) { assignTicket(ticketId: $id, assigneeId: $to, version: 1) { id } }',
      { id: ticket.id, to: staff.id },
      as(leader),
    );
    expect(errorOf(stale)?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(await row(ticket.id)).toMatchObject({ status: 'NEW', version: 2 });
  });

  test('a leader cannot complete a NEW ticket: it must be assigned first', async () => {
    const { branch, customer, staff, leader } = await team();
    const ticket = await make.ticket({ customer, branch });
    const before = await row(ticket.id);
    const skipped = await t.gql(
      'mutation($id: ID!) { completeTicket(id: $id, resultCode: COMPLETED, version: 1) { id } }',
      { id: ticket.id },
      as(leader),
    );
    expect(codeOf(skipped)).toBe('BAD_USER_INPUT');
    expect(errorOf(skipped)?.message).toMatch(/NEW ticket cannot be completed.*ASSIGNED/);
    expect(await row(ticket.id)).toEqual(before);
    expect(await t.orm.em.fork().count(Ticket, { rootTicket: ticket.id })).toBe(0);

    const assigned = await t.gql<{ assignTicket: { version: number } }>(
      'mutation($id: ID!, $to: ID!) { assignTicket(ticketId: $id, assigneeId: $to, version: 1) { version } }',
      { id: ticket.id, to: staff.id },
      as(leader),
    );
    expect(assigned.errors).toBeUndefined();
    const done = await t.gql<{ completeTicket: { status: string } }>(
      'mutation($id: ID!, $v: Int!) { completeTicket(id: $id, resultCode: COMPLETED, version: $v) { status } }',
      { id: ticket.id, v: assigned.data!.assignTicket.version },
      as(leader),
    );
    expect(done.data?.completeTicket.status).toBe('COMPLETED');
  });

  test('the schema says which roles may do what on each ticket mutation', async () => {
    const res = await t.gql<{
      __type: { fields: { name: string; description: string | null }[] };
    }>('{ __type(name: "Mutation") { fields { name description } } }');
    const said = new Map(res.data!.__type.fields.map((f) => [f.name, f.description ?? '']));
    expect(said.get('completeTicket')).toMatch(/ASSIGNED -> COMPLETED.*owner or curator.*leader/);
    expect(said.get('cancelTicket')).toMatch(/NEW or ASSIGNED -> CANCELED.*leader.*Admin/);
    expect(said.get('reopenTicket')).toMatch(/CANCELED -> ASSIGNED/);
    expect(said.get('assignTicket')).toMatch(/NEW -> ASSIGNED.*leaders.*IT/);
    expect(said.get('updateTicket')).toMatch(/only leaders, Admin and BOD change the curator/);
  });
});

describe('point 5: payments and dated rules reach their automatic tickets', () => {
  const RECORD = `mutation($input: RecordPaymentInputType!) {
    recordPayment(input: $input) { created payment { id amount status source externalId } afterSaleTicket { id source status } } }`;
  type Recorded = {
    recordPayment: {
      created: boolean;
      payment: { id: string; amount: number; status: string; source: string; externalId: string };
      afterSaleTicket: { id: string; source: string; status: string } | null;
    };
  };

  test('recordPayment opens the after-sale ticket once, and is idempotent on its external id', async () => {
    const branch = await make.branch();
    const customer = await make.customer({ branch: branch.id as never });
    const staff = await make.user({ role: Role.CUSTOMER_SERVICE });
    const input = {
      externalId: `vnpay-${customer.id}`,
      customerId: customer.id,
      amount: 450_000,
      method: 'bank_transfer',
    };
    const first = await t.gql<Recorded>(RECORD, { input }, as(staff));
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordPayment).toMatchObject({
      created: true,
      payment: { amount: 450_000, status: 'PAID', source: 'API', externalId: input.externalId },
      afterSaleTicket: { source: 'AFTER_SALE_CARE', status: 'NEW' },
    });
    const again = await t.gql<Recorded>(RECORD, { input }, as(staff));
    expect(again.data!.recordPayment).toEqual({ ...first.data!.recordPayment, created: false });

    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(staff)}` });
    try {
      const op = ws.subscribe(RECORD, { input });
      await waitFor(() => op.completed || op.error !== undefined);
      expect(op.events[0]?.data).toEqual({ ...again.data });
    } finally {
      await ws.client.dispose();
    }
    const other = await t.gql(RECORD, { input: { ...input, amount: 1 } }, as(staff));
    expect(errorOf(other)?.extensions).toMatchObject({
      code: 'CONFLICT',
      paymentId: first.data!.recordPayment.payment.id,
    });

    const em = t.orm.em.fork();
    expect(await em.count(Payment, { customer: customer.id })).toBe(1);
    expect(
      await em.count(Ticket, { customer: customer.id, source: TicketSource.AFTER_SALE_CARE }),
    ).toBe(1);
  });

  test('two recordings of one payment at the same moment: one payment, one care ticket', async () => {
    const branch = await make.branch();
    const customer = await make.customer({ branch: branch.id as never });
    const input = {
      externalId: `race-${customer.id}`,
      customerId: customer.id,
      amount: 99_000,
      method: 'CASH',
    };
    const both = await Promise.all([0, 1].map(() => t.gql<Recorded>(RECORD, { input })));
    expect(both.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(both.map((r) => r.data!.recordPayment.created).sort()).toEqual([false, true]);
    const [a, b] = both.map((r) => r.data!.recordPayment);
    expect(a!.payment.id).toBe(b!.payment.id);
    expect(a!.afterSaleTicket?.id).toBe(b!.afterSaleTicket?.id);
    const em = t.orm.em.fork();
    expect(await em.count(Payment, { customer: customer.id })).toBe(1);
    expect(
      await em.count(Ticket, { customer: customer.id, source: TicketSource.AFTER_SALE_CARE }),
    ).toBe(1);
  });

  test('a Shopee order paid (UNPAID -> READY_TO_SHIP) records its payment and one care ticket, shared with delivery', async () => {
    const branch = await make.branch();
    const shop = `9${Date.now()}`;
    await make.channel({
      platform: Platform.SHOPEE,
      externalShopId: shop,
      branch: branch.id as never,
    });
    const customer = await make.customer();
    const orderSn = `PAID${Date.now()}`;
    const push = async (status: string, time: number, expected: OrderStatus) => {
      const res = await postPush(t.app.httpServer, pushes.shopee(shop, orderSn, status, time));
      expect(res.status).toBe(200);
      for (let i = 0; i < 150; i += 1) {
        const order = await t.orm.em.fork().findOne(Order, { externalId: orderSn });
        if (order?.status === expected) return order;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`order ${orderSn} never reached ${expected}`);
    };
    const order = await push('UNPAID', 1_718_000_000, OrderStatus.PENDING_PAYMENT);
    // What the order's detail brings (the enrichment is not under test here).
    await t.orm.em
      .fork()
      .nativeUpdate(Order, { id: order.id }, { customer: customer.id, total: 320_000 });
    const em = t.orm.em.fork();
    expect(await em.count(Payment, { order: order.id })).toBe(0);

    await push('READY_TO_SHIP', 1_718_000_100, OrderStatus.CONFIRMED);
    const payments = await t.orm.em.fork().find(Payment, { order: order.id });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      source: 'MARKETPLACE',
      externalId: `SHOPEE:${shop}:${orderSn}`,
      amount: 320_000,
      status: 'PAID',
    });
    expect(payments[0]!.customer?.id).toBe(customer.id);
    const care = () =>
      t.orm.em.fork().find(Ticket, { customer: customer.id, source: TicketSource.AFTER_SALE_CARE });
    expect(await care()).toHaveLength(1);
    expect((await care())[0]!.originKey).toBe(`after-sale:${order.id}`);

    await push('SHIPPED', 1_718_000_200, OrderStatus.SHIPPED);
    await push('TO_CONFIRM_RECEIVE', 1_718_000_300, OrderStatus.DELIVERED);
    expect(await t.orm.em.fork().count(Payment, { order: order.id })).toBe(1);
    expect(await care()).toHaveLength(1);
  });

  test('a COD order (never UNPAID) records no payment when it is confirmed', async () => {
    const shop = `8${Date.now()}`;
    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const orderSn = `COD${Date.now()}`;
    const res = await postPush(
      t.app.httpServer,
      pushes.shopee(shop, orderSn, 'READY_TO_SHIP', 1_718_000_000),
    );
    expect(res.status).toBe(200);
    let order: Order | null = null;
    for (let i = 0; i < 150 && !order; i += 1) {
      order = await t.orm.em.fork().findOne(Order, { externalId: orderSn });
      if (!order) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(order?.status).toBe(OrderStatus.CONFIRMED);
    expect(await t.orm.em.fork().count(Payment, { order: order!.id })).toBe(0);
  });

  test('runTicketAutomation(BIRTHDAY, date) runs the 07:00 rule for that day now, once; Admin only', async () => {
    const branch = await make.branch();
    const shop = await make.channel();
    const born = await make.customer({ birthday: '1990-11-23', branch: branch.id as never });
    await make.order(
      { channel: shop, customer: born },
      { status: OrderStatus.COMPLETED, total: 1_200_000, subtotal: 1_200_000 },
    );
    const RUN = `mutation($date: String!) {
      runTicketAutomation(rule: BIRTHDAY, date: $date) { rule date created { id source status customer { id } } } }`;
    type Run = {
      runTicketAutomation: {
        rule: string;
        date: string;
        created: { id: string; source: string; status: string; customer: { id: string } }[];
      };
    };
    const first = await t.gql<Run>(RUN, { date: '2025-11-23' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.runTicketAutomation).toMatchObject({ rule: 'BIRTHDAY', date: '2025-11-23' });
    expect(first.data!.runTicketAutomation.created).toEqual([
      expect.objectContaining({ source: 'BIRTHDAY', status: 'NEW', customer: { id: born.id } }),
    ]);
    const second = await t.gql<Run>(RUN, { date: '2025-11-23' });
    expect(second.data!.runTicketAutomation.created).toEqual([]);
    const stored = await t.orm.em
      .fork()
      .find(Ticket, { customer: born.id, source: TicketSource.BIRTHDAY });
    expect(stored.map((x) => x.originKey)).toEqual([`birthday:${born.id}:2025`]);

    expect(codeOf(await t.gql(RUN, { date: '2999-01-01' }))).toBe('BAD_USER_INPUT');
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    expect(codeOf(await t.gql(RUN, { date: '2025-11-23' }, as(leader)))).toBe('FORBIDDEN');
  });
});

describe('point 6: the smaller rules', () => {
  test('status and statuses are ANDed', async () => {
    const { branch, customer, staff } = await team();
    const fresh = await make.ticket({ customer, branch });
    const owned = await make.ticket({ customer, branch, assignee: staff });
    const ids = async (filter: Record<string, unknown>) => {
      const res = await t.gql<{ tickets: { edges: { node: { id: string } }[] } }>(
        'query($f: TicketFilter) { tickets(filter: $f, first: 50) { edges { node { id } } } }',
        { f: { customerId: customer.id, ...filter } },
      );
      expect(res.errors).toBeUndefined();
      return res.data!.tickets.edges.map((e) => e.node.id).sort();
    };
    expect(await ids({ status: 'NEW', statuses: ['ASSIGNED'] })).toEqual([]);
    expect(await ids({ status: 'NEW', statuses: ['NEW', 'ASSIGNED'] })).toEqual([fresh.id]);
    expect(await ids({ statuses: ['NEW', 'ASSIGNED'] })).toEqual([fresh.id, owned.id].sort());
  });

  test('an unsaved assignment setting has one id on every read, and keeps it when saved', async () => {
    const branch = await make.branch();
    const staff = await make.user({ role: Role.TELESALES });
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const read = async () => {
      const res = await t.gql<{ assignment: { id: string; active: boolean } }>(
        'query($b: ID!, $u: ID!) { assignment(branchId: $b, userId: $u) { id active } }',
        { b: branch.id, u: staff.id },
        as(leader),
      );
      expect(res.errors).toBeUndefined();
      return res.data!.assignment;
    };
    const first = await read();
    expect(await read()).toEqual(first);
    const saved = await t.gql<{ updateAssignment: { id: string } }>(
      'mutation($b: ID!, $u: ID!) { updateAssignment(branchId: $b, userId: $u, input: { active: false }) { id } }',
      { b: branch.id, u: staff.id },
      as(leader),
    );
    expect(saved.data?.updateAssignment.id).toBe(first.id);
    expect(await read()).toEqual({ id: first.id, active: false });
  });

  test('createTickets refuses a customer named twice, naming the row, and creates nothing', async () => {
    const { branch, customer } = await team();
    const other = await make.customer();
    const before = await t.orm.em.fork().count(Ticket, {});
    const res = await t.gql(
      `mutation($input: CreateTicketsInputType!) { createTickets(input: $input) { id } }`,
      {
        input: {
          customerIds: [customer.id, other.id, customer.id],
          shared: {
            title: 'Chiến dịch',
            source: 'MANUAL',
            target: 'TELESALES',
            branchId: branch.id,
          },
        },
      },
    );
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const rowErrors = errorOf(res)?.extensions?.rowErrors as { row: number; message: string }[];
    expect(rowErrors).toEqual([
      expect.objectContaining({
        row: 2,
        field: 'customerIds',
        message: expect.stringMatching(/row 0/),
      }),
    ]);
    expect(await t.orm.em.fork().count(Ticket, {})).toBe(before);
    expect(
      await t.orm.em.fork().count(Ticket, { status: TicketStatus.NEW, customer: other.id }),
    ).toBe(0);
  });

  test('landline and foreign phones are accepted with their type recorded', async () => {
    const create = async (phone: string) => {
      const res = await t.gql<{ createCustomer: { phone: string; phoneType: string } }>(
        'mutation($p: String!) { createCustomer(input: { fullName: "Khách", phone: $p }) { phone phoneType } }',
        { p: phone },
      );
      expect(res.errors).toBeUndefined();
      return res.data!.createCustomer;
    };
    expect(await create('0912 000 111')).toEqual({ phone: '+84912000111', phoneType: 'MOBILE' });
    expect(await create('024 3825 7863')).toEqual({
      phone: '+842438257863',
      phoneType: 'LANDLINE',
    });
    expect(await create('+1 650 253 0000')).toEqual({
      phone: '+16502530000',
      phoneType: 'FOREIGN',
    });
  });
});
