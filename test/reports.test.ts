import { Conversation, InboundEvent, OrderStatusEvent, type User } from '../src/entities';
import {
  ConversationStatus,
  InboundEventStatus,
  OrderStatus,
  Platform,
  Role,
  TicketStatus,
  TicketTarget,
} from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every report's totals against a count over the same filter: the row-level
 * GraphQL list where it has the filter, plain SQL where it does not. Data
 * lives in March 2026 (business time), apart from anything else in the file.
 */
let t: TestApp;
let f: ReturnType<typeof factories>;
let staff: User;
const RANGE = { from: '2026-03-01', to: '2026-03-10' };
/** 2026-03-01 00:00 in Asia/Ho_Chi_Minh. */
const START = new Date('2026-02-28T17:00:00Z');
const END = new Date('2026-03-10T17:00:00Z');
const day = (n: number, hours = 1) =>
  new Date(START.getTime() + n * 86_400_000 + hours * 3_600_000);

const count = async (sql: string, params: unknown[] = []): Promise<number> => {
  const [row] = await t.orm.em.fork().execute<{ n: string }[]>(sql, params);
  return Number(row?.n ?? 0);
};

beforeAll(async () => {
  t = await startTestApp();
  f = factories(t.orm);
  const [shopee, lazada] = [
    await f.channel({ platform: Platform.SHOPEE, name: 'Shop Sài Gòn' }),
    await f.channel({ platform: Platform.LAZADA }),
  ];
  const branch = await f.branch();
  staff = await f.user({ role: Role.TELESALES });
  const other = await f.user({ role: Role.TELESALES });
  const customers = [
    await f.customer({ createdAt: day(0) }),
    await f.customer({ createdAt: day(2), phone: '+84911111111' }),
    await f.customer({ createdAt: day(3), phone: '+84911111111' }),
    await f.customer({ createdAt: day(20) }),
  ];
  const statuses = [
    OrderStatus.CONFIRMED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
    OrderStatus.RETURNED,
    OrderStatus.DELIVERED,
  ];
  for (const [i, status] of statuses.entries()) {
    const order = await f.order(
      { channel: i % 2 ? lazada : shopee, customer: customers[i % 3] },
      { status, placedAt: day(i), total: 100_000 * (i + 1), subtotal: 100_000 * (i + 1) },
    );
    const em = t.orm.em.fork();
    // Events through the ORM: the milestone trigger fills order_milestone.
    for (const [k, step] of [
      OrderStatus.CONFIRMED,
      OrderStatus.SHIPPED,
      OrderStatus.DELIVERED,
    ].entries()) {
      em.create(OrderStatusEvent, {
        order: order.id,
        rawStatus: step,
        status: step,
        eventTime: new Date(day(i).getTime() + k * 3_600_000),
      });
    }
    await em.flush();
  }
  // Outside the range: must not count.
  await f.order({ channel: shopee }, { placedAt: day(-1) });
  await f.order({ channel: shopee }, { placedAt: day(10) });

  for (let i = 0; i < 6; i += 1) {
    await f.ticket(
      { customer: customers[0]!, branch, assignee: i < 4 ? staff : other },
      {
        createdAt: day(i),
        status: i === 0 ? TicketStatus.COMPLETED : TicketStatus.ASSIGNED,
        completedAt: i === 0 ? day(i, 5) : undefined,
        dueAt: day(-5),
        isMissed: i === 1,
      },
    );
  }
  await f.ticket(
    { customer: customers[0]!, branch },
    {
      createdAt: day(1),
      target: TicketTarget.CUSTOMER_SERVICE,
      belongTo: TicketTarget.CUSTOMER_SERVICE,
    },
  );
  await f.ticket({ customer: customers[0]!, branch, assignee: staff }, { createdAt: day(11) });

  const em = t.orm.em.fork();
  for (let i = 0; i < 4; i += 1) {
    em.create(Conversation, {
      channel: shopee.id,
      externalThreadId: `report-thread-${i}`,
      customer: customers[0]!.id,
      status: i < 2 ? ConversationStatus.RESOLVED : ConversationStatus.OPEN,
      createdAt: day(i),
      firstResponseAt: new Date(day(i).getTime() + (i + 1) * 60_000),
      resolvedAt: i < 2 ? day(i, 3) : undefined,
      handedOffAt: i === 0 ? day(i, 2) : undefined,
    });
  }
  for (const [i, status] of [
    InboundEventStatus.APPLIED,
    InboundEventStatus.APPLIED,
    InboundEventStatus.FAILED,
    InboundEventStatus.DEAD,
  ].entries()) {
    em.create(InboundEvent, {
      platform: Platform.SHOPEE,
      eventKey: `report-${i}`,
      shopId: i < 3 ? 'shop-a' : 'shop-b',
      rawBody: '{}',
      status,
      attempts: i + 1,
      receivedAt: day(i),
    });
  }
  await em.flush();
});

afterAll(() => t.close());

describe('orderReport', () => {
  const QUERY = `query($from: String!, $to: String!, $groupBy: ReportPeriod) {
    orderReport(from: $from, to: $to, groupBy: $groupBy) {
      total { orders revenue cancelled returned cancellationRate returnRate
        avgConfirmedToShippedSeconds avgShippedToDeliveredSeconds }
      byPlatform { key orders revenue } byChannel { key label orders } byStatus { key orders }
      byPeriod { key orders } } }`;

  it('agrees with the orders list and SQL over the same range', async () => {
    type R = {
      orderReport: {
        total: Record<string, number>;
        byPlatform: { key: string; orders: number; revenue: number }[];
        byChannel: { key: string; label: string; orders: number }[];
        byStatus: { key: string; orders: number }[];
        byPeriod: { key: string; orders: number }[];
      };
    };
    const res = await t.gql<R>(QUERY, { ...RANGE, groupBy: 'DAY' });
    expect(res.errors).toBeUndefined();
    const report = res.data!.orderReport;
    const listed = await t.gql<{ orders: { totalCount: number } }>(
      `query($f: OrderFilter) { orders(filter: $f, first: 0) { totalCount } }`,
      { f: { placedFrom: START.toISOString(), placedTo: END.toISOString() } },
    );
    expect(report.total.orders).toBe(listed.data!.orders.totalCount);
    expect(report.total.orders).toBe(6);
    expect(report.total.revenue).toBe(
      await count(
        `select sum(total) as n from customer_order where placed_at >= ? and placed_at < ?
         and status not in ('CANCELLED', 'FAILED', 'RETURNED')`,
        [START, END],
      ),
    );
    expect(report.total.cancelled).toBe(1);
    expect(report.total.returned).toBe(1);
    expect(report.total.cancellationRate).toBeCloseTo(1 / 6);
    expect(report.total.avgConfirmedToShippedSeconds).toBe(3600);
    expect(report.total.avgShippedToDeliveredSeconds).toBe(3600);
    const sum = (rows: { orders: number }[]) => rows.reduce((n, row) => n + row.orders, 0);
    for (const slices of [report.byPlatform, report.byChannel, report.byStatus, report.byPeriod]) {
      expect(sum(slices)).toBe(report.total.orders);
    }
    expect(report.byChannel.map((row) => row.label)).toContain('Shop Sài Gòn');
    expect(report.byPeriod.map((row) => row.key)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
    const monthly = await t.gql<R>(QUERY, { ...RANGE, groupBy: 'MONTH' });
    expect(monthly.data!.orderReport.byPeriod).toEqual([{ key: '2026-03-01', orders: 6 }]);
  });

  it('rejects a malformed or reversed range', async () => {
    const bad = await t.gql(QUERY, { from: '2026-03-10', to: '2026-03-01' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const malformed = await t.gql(QUERY, { from: '2026-02-30', to: '2026-03-01' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('ticketReport', () => {
  const QUERY = `query($from: String!, $to: String!) { ticketReport(from: $from, to: $to) {
    total { tickets completed canceled missed overdue completionRate missedRate medianTimeToCompleteSeconds }
    byAssignee { key label tickets medianTimeToCompleteSeconds } byTarget { key tickets } bySource { key tickets }
    byPeriod { key tickets } } }`;
  type R = {
    ticketReport: {
      total: Record<string, number>;
      byAssignee: {
        key: string | null;
        tickets: number;
        medianTimeToCompleteSeconds: number | null;
      }[];
      byTarget: { key: string; tickets: number }[];
      bySource: { tickets: number }[];
      byPeriod: { tickets: number }[];
    };
  };

  it('counts every ticket created in the range for an admin', async () => {
    const res = await t.gql<R>(QUERY, RANGE);
    expect(res.errors).toBeUndefined();
    const report = res.data!.ticketReport;
    const expected = await count(
      `select count(*) as n from ticket where created_at >= ? and created_at < ?`,
      [START, END],
    );
    expect(report.total.tickets).toBe(expected);
    expect(report.total.completed).toBe(1);
    expect(report.total.missed).toBe(1);
    expect(report.total.overdue).toBe(
      await count(
        `select count(*) as n from ticket where created_at >= ? and created_at < ?
         and status in ('NEW', 'ASSIGNED') and due_at < now()`,
        [START, END],
      ),
    );
    expect(report.total.medianTimeToCompleteSeconds).toBe(4 * 3600);
    // Medians per breakdown too: only the staff member completed a ticket.
    const medianOf = (key: string | null) =>
      report.byAssignee.find((row) => row.key === key)?.medianTimeToCompleteSeconds;
    expect(medianOf(staff.id)).toBe(4 * 3600);
    expect(
      report.byAssignee
        .filter((row) => row.key !== staff.id)
        .map((row) => row.medianTimeToCompleteSeconds),
    ).toEqual(report.byAssignee.filter((row) => row.key !== staff.id).map(() => null));
    const sum = (rows: { tickets: number }[]) => rows.reduce((n, row) => n + row.tickets, 0);
    expect(sum(report.byAssignee)).toBe(expected);
    expect(sum(report.bySource)).toBe(expected);
    expect(sum(report.byPeriod)).toBe(expected);
  });

  it('gives a staff member only their own tickets, as the tickets list does', async () => {
    const auth = { token: t.tokenFor(staff) };
    const res = await t.gql<R>(QUERY, RANGE, auth);
    expect(res.errors).toBeUndefined();
    const report = res.data!.ticketReport;
    expect(report.total.tickets).toBe(
      await count(
        `select count(*) as n from ticket where created_at >= ? and created_at < ?
         and belong_to = 'TELESALES' and target = 'TELESALES' and (assignee_id = ? or in_charge_id = ?)`,
        [START, END, staff.id, staff.id],
      ),
    );
    expect(report.total.tickets).toBe(4);
    expect(report.byAssignee).toEqual([
      { key: staff.id, label: staff.fullName, tickets: 4, medianTimeToCompleteSeconds: 4 * 3600 },
    ]);
    expect(report.byTarget).toEqual([{ key: 'TELESALES', tickets: 4 }]);
  });
});

describe('conversationReport', () => {
  it('agrees with a count of the conversations started in the range', async () => {
    const res = await t.gql<{
      conversationReport: { total: Record<string, number>; byChannel: { conversations: number }[] };
    }>(
      `query($from: String!, $to: String!) { conversationReport(from: $from, to: $to) {
        total { conversations responded resolved handedOff handoffRate firstResponseMedianSeconds resolutionMedianSeconds }
        byChannel { key conversations } botAnswers { step answers } } }`,
      RANGE,
    );
    expect(res.errors).toBeUndefined();
    const report = res.data!.conversationReport;
    expect(report.total.conversations).toBe(
      await count(
        `select count(*) as n from conversation where created_at >= ? and created_at < ?`,
        [START, END],
      ),
    );
    expect(report.total.resolved).toBe(2);
    expect(report.total.handedOff).toBe(1);
    expect(report.total.handoffRate).toBe(0.25);
    expect(report.total.firstResponseMedianSeconds).toBe(150);
    expect(report.byChannel.reduce((n, row) => n + row.conversations, 0)).toBe(4);
  });

  it('is empty for a role that sees no conversation', async () => {
    const res = await t.gql<{ conversationReport: { total: { conversations: number } } }>(
      `{ conversationReport(from: "2026-03-01", to: "2026-03-10") { total { conversations } } }`,
      {},
      { token: t.tokenFor(staff) },
    );
    expect(res.data!.conversationReport.total.conversations).toBe(0);
  });
});

describe('integrationReport', () => {
  it('counts pushes per shop, failures first', async () => {
    const res = await t.gql<{
      integrationReport: {
        total: Record<string, number>;
        byShop: { shopId: string; received: number; failed: number; deadLetters: number }[];
      };
    }>(
      `query($from: String!, $to: String!) { integrationReport(from: $from, to: $to) {
        total { received applied failed deadLetters retried staleOrRepeatedDropped }
        byPlatform { platform received } byShop { platform shopId received failed deadLetters } } }`,
      RANGE,
    );
    expect(res.errors).toBeUndefined();
    const report = res.data!.integrationReport;
    expect(report.total).toEqual({
      received: await count(
        `select count(*) as n from inbound_event where received_at >= ? and received_at < ?`,
        [START, END],
      ),
      applied: 2,
      failed: 1,
      deadLetters: 1,
      retried: 3,
      staleOrRepeatedDropped: 0,
    });
    expect(report.byShop.map((row) => row.shopId)).toEqual(['shop-a', 'shop-b']);
  });
});

describe('customerReport', () => {
  it('agrees with counts of customers and of revenue per label', async () => {
    const res = await t.gql<{
      customerReport: {
        newCustomers: number;
        possibleDuplicates: number;
        newByChannel: { channelId: string | null; customers: number }[];
        revenueBySegment: { labelId: string | null; orders: number; revenue: number }[];
      };
    }>(
      `query($from: String!, $to: String!) { customerReport(from: $from, to: $to) {
        newCustomers possibleDuplicates newByChannel { channelId platform customers }
        newByPeriod { key customers } revenueBySegment { labelId orders revenue } } }`,
      RANGE,
    );
    expect(res.errors).toBeUndefined();
    const report = res.data!.customerReport;
    expect(report.newCustomers).toBe(
      await count(`select count(*) as n from customer where created_at >= ? and created_at < ?`, [
        START,
        END,
      ]),
    );
    expect(report.possibleDuplicates).toBe(2);
    expect(report.newByChannel.reduce((n, row) => n + row.customers, 0)).toBe(report.newCustomers);
    // No labels in this file: one unlabeled segment with every order of a known customer.
    expect(report.revenueBySegment).toEqual([
      {
        labelId: null,
        orders: await count(
          `select count(*) as n from customer_order where placed_at >= ? and placed_at < ? and customer_id is not null`,
          [START, END],
        ),
        revenue: await count(
          `select sum(total) as n from customer_order where placed_at >= ? and placed_at < ?
           and customer_id is not null and status not in ('CANCELLED', 'FAILED', 'RETURNED')`,
          [START, END],
        ),
      },
    ]);
  });
});
