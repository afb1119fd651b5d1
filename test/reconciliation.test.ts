import { ReconciliationRun, type Order } from '../src/entities';
import { OrderStatus, PaymentStatus, Role } from '../src/entities/enums';
import { reconcilePayments } from '../src/jobs/reconcile-payments.job';
import { previousBusinessDate } from '../src/services/orders/reconciliation.service';
import { factories } from './support/factories';
import { startTestApp, type Auth, type GraphQLResponse, type TestApp } from './support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

/** A wall-clock time in Vietnam (UTC+7). */
const vn = (date: string, time = '12:00'): Date => new Date(`${date}T${time}:00+07:00`);

type Mismatch = {
  id: string;
  kind: string;
  orderId: string | null;
  paymentIds: string[];
  expected: number;
  actual: number;
  difference: number;
  currency: string;
  detail: string;
  occurredAt: string;
};
type Report = {
  reconciliationReport: {
    run: {
      date: string;
      ordersChecked: number;
      paymentsChecked: number;
      mismatches: number;
    } | null;
    mismatches: {
      totalCount: number;
      edges: { cursor: string; node: Mismatch }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

const RUN = `mutation($date: String!) {
  runReconciliation(date: $date) { id date ordersChecked paymentsChecked mismatches startedAt finishedAt }
}`;
const REPORT = `query($date: String!, $first: Int, $after: String, $kinds: [ReconciliationMismatchKind!]) {
  reconciliationReport(date: $date, first: $first, after: $after, kinds: $kinds) {
    run { date ordersChecked paymentsChecked mismatches }
    mismatches {
      totalCount
      edges { cursor node { id kind orderId paymentIds expected actual difference currency detail occurredAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const run = async (date: string, auth?: Auth) => {
  const res = await t.gql<{
    runReconciliation: {
      date: string;
      ordersChecked: number;
      paymentsChecked: number;
      mismatches: number;
    };
  }>(RUN, { date }, auth);
  expect(res.errors).toBeUndefined();
  return res.data!.runReconciliation;
};
const report = async (date: string, variables: Record<string, unknown> = {}) => {
  const res = await t.gql<Report>(REPORT, { date, first: 100, ...variables });
  expect(res.errors).toBeUndefined();
  return res.data!.reconciliationReport;
};
const byOrder = (nodes: Mismatch[]) => new Map(nodes.map((node) => [node.orderId, node]));
const code = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;

test('amounts: exact and within 1% pass; above 1%, short payments and unrefunded cancellations do not', async () => {
  const date = '2026-03-02';
  const channel = await make.channel();
  const placed = vn(date, '09:00');
  const order = (status: OrderStatus, total = 100_000) =>
    make.order({ channel }, { status, total, subtotal: total, placedAt: placed });
  const paid = (o: Order, amount: number, status = PaymentStatus.PAID) =>
    make.payment({ order: o }, { amount, status, paidAt: vn(date, '10:00') });

  const exact = await order(OrderStatus.COMPLETED);
  await paid(exact, 100_000);
  await paid(exact, 100_000, PaymentStatus.FAILED);
  await paid(exact, 100_000, PaymentStatus.PENDING);
  const justBelowOver = await order(OrderStatus.COMPLETED);
  await paid(justBelowOver, 100_999);
  const exactlyOnePercentShort = await order(OrderStatus.DELIVERED);
  await paid(exactlyOnePercentShort, 99_000);
  const justAboveOver = await order(OrderStatus.DELIVERED);
  const over = await paid(justAboveOver, 101_001);
  const split = await order(OrderStatus.COMPLETED);
  const part1 = await paid(split, 50_000);
  const part2 = await paid(split, 48_999);
  const refundedCancel = await order(OrderStatus.CANCELLED);
  await paid(refundedCancel, 100_000, PaymentStatus.REFUNDED);
  const unrefundedReturn = await order(OrderStatus.RETURNED, 200_000);
  const kept = await paid(unrefundedReturn, 200_000);
  const pendingCod = await order(OrderStatus.SHIPPED);
  const returnInProgress = await order(OrderStatus.RETURN_REQUESTED);
  await paid(returnInProgress, 100_000, PaymentStatus.REFUNDED);
  const prepaidShort = await order(OrderStatus.CONFIRMED);
  const short = await paid(prepaidShort, 50_000);

  const summary = await run(date);
  expect(summary).toMatchObject({ date, ordersChecked: 10, paymentsChecked: 10, mismatches: 4 });

  const result = await report(date);
  expect(result.run).toEqual({ date, ordersChecked: 10, paymentsChecked: 10, mismatches: 4 });
  const found = byOrder(result.mismatches.edges.map((edge) => edge.node));
  expect([...found.keys()].sort()).toEqual(
    [justAboveOver.id, split.id, unrefundedReturn.id, prepaidShort.id].sort(),
  );
  expect(found.get(justAboveOver.id)).toMatchObject({
    kind: 'AMOUNT_MISMATCH',
    paymentIds: [over.id],
    expected: 100_000,
    actual: 101_001,
    difference: 1_001,
    currency: 'VND',
  });
  expect(found.get(split.id)).toMatchObject({
    kind: 'AMOUNT_MISMATCH',
    paymentIds: [part1.id, part2.id].sort(),
    expected: 100_000,
    actual: 98_999,
    difference: -1_001,
  });
  expect(found.get(unrefundedReturn.id)).toMatchObject({
    kind: 'AMOUNT_MISMATCH',
    paymentIds: [kept.id],
    expected: 0,
    actual: 200_000,
    difference: 200_000,
  });
  expect(found.get(prepaidShort.id)).toMatchObject({
    kind: 'AMOUNT_MISMATCH',
    paymentIds: [short.id],
    expected: 100_000,
    actual: 50_000,
  });
  expect(found.get(justAboveOver.id)!.detail).toContain('1.00%');
  for (const quiet of [exact, justBelowOver, exactlyOnePercentShort, refundedCancel, pendingCod]) {
    expect(found.has(quiet.id)).toBe(false);
  }
  expect(found.has(returnInProgress.id)).toBe(false);
});

test('each missing side: a delivered order without payment, a paid payment without an order', async () => {
  const date = '2026-03-13';
  const channel = await make.channel();
  const delivered = await make.order(
    { channel },
    { status: OrderStatus.COMPLETED, total: 150_000, subtotal: 150_000, placedAt: vn(date) },
  );
  const freeGift = await make.order(
    { channel },
    { status: OrderStatus.DELIVERED, total: 0, subtotal: 0, placedAt: vn(date) },
  );
  const orphan = await make.payment({}, { amount: 75_000, paidAt: vn(date, '08:00') });
  const orphanRefunded = await make.payment(
    {},
    { amount: 75_000, status: PaymentStatus.REFUNDED, paidAt: vn(date) },
  );
  // Paid on the day, its order since deleted: the foreign key leaves it without one.
  const gone = await make.order({ channel }, { placedAt: vn('2026-02-20') });
  const ofDeleted = await make.payment({ order: gone }, { paidAt: vn(date, '20:00') });
  await t.orm.em.fork().execute('delete from "customer_order" where "id" = ?', [gone.id]);
  // An order-less payment of the day before belongs to that day.
  await make.payment({}, { paidAt: vn('2026-03-12', '23:59') });

  const summary = await run(date);
  expect(summary).toMatchObject({ ordersChecked: 2, paymentsChecked: 2, mismatches: 3 });
  const nodes = (await report(date)).mismatches.edges.map((edge) => edge.node);
  expect(nodes.map((node) => [node.kind, node.orderId, node.paymentIds])).toEqual([
    // Oldest first: the orphan at 08:00, the order at 12:00, the payment at 20:00.
    ['MISSING_ORDER', null, [orphan.id]],
    ['MISSING_PAYMENT', delivered.id, []],
    ['MISSING_ORDER', null, [ofDeleted.id]],
  ]);
  expect(nodes[0]).toMatchObject({ expected: 0, actual: 75_000, difference: 75_000 });
  expect(nodes[1]).toMatchObject({ expected: 150_000, actual: 0, difference: -150_000 });
  expect(nodes.some((node) => node.paymentIds.includes(orphanRefunded.id))).toBe(false);
  expect(nodes.some((node) => node.orderId === freeGift.id)).toBe(false);
});

test('a payment in another currency than its order is a currency mismatch', async () => {
  const date = '2026-03-04';
  const channel = await make.channel();
  const order = await make.order({ channel }, { placedAt: vn(date) });
  const vnd = await make.payment({ order }, { amount: 60_000, paidAt: vn(date) });
  const usd = await make.payment({ order }, { amount: 160, currency: 'USD', paidAt: vn(date) });
  await run(date);
  const nodes = (await report(date)).mismatches.edges.map((edge) => edge.node);
  expect(nodes).toHaveLength(1);
  expect(nodes[0]).toMatchObject({
    kind: 'CURRENCY_MISMATCH',
    orderId: order.id,
    paymentIds: [vnd.id, usd.id].sort(),
    currency: 'VND',
    expected: 100_000,
    actual: 60_000,
  });
  expect(nodes[0]!.detail).toContain('USD');
});

test('a COD order placed earlier is checked on the day it was delivered, and on the day money arrived', async () => {
  const channel = await make.channel();
  const cod = await make.order(
    { channel },
    {
      status: OrderStatus.DELIVERED,
      placedAt: vn('2026-03-05'),
      statusSourceTime: vn('2026-03-08', '15:00'),
    },
  );
  const latePaid = await make.order(
    { channel },
    { status: OrderStatus.COMPLETED, placedAt: vn('2026-03-01') },
  );
  await make.payment({ order: latePaid }, { amount: 80_000, paidAt: vn('2026-03-08', '16:00') });
  await run('2026-03-08');
  const kinds = (await report('2026-03-08')).mismatches.edges.map((edge) => [
    edge.node.kind,
    edge.node.orderId,
  ]);
  expect(kinds).toEqual([
    ['AMOUNT_MISMATCH', latePaid.id],
    ['MISSING_PAYMENT', cod.id],
  ]);
});

test('rerunning a date replaces its results in place: same report, no duplicates', async () => {
  const date = '2026-03-06';
  const channel = await make.channel();
  const placedAt = vn(date);
  const unpaid = await make.order({ channel }, { status: OrderStatus.COMPLETED, placedAt });
  const overpaid = await make.order({ channel }, { status: OrderStatus.COMPLETED, placedAt });
  await make.payment({ order: overpaid }, { amount: 120_000, paidAt: placedAt });
  await make.payment({}, { paidAt: placedAt });

  await run(date);
  const first = await report(date);
  await run(date);
  const second = await report(date);
  expect(second).toEqual(first);
  expect(first.mismatches.totalCount).toBe(3);
  const em = t.orm.em.fork();
  expect(await em.count(ReconciliationRun, { date })).toBe(1);
  const [rows] = await em.execute<{ n: string }[]>(
    `select count(*) n from reconciliation_mismatch m join reconciliation_run r on r.id = m.run_id where r.date = ?`,
    [date],
  );
  expect(Number(rows!.n)).toBe(3);

  // The missing payment arrives; the next run of the date no longer reports it.
  await make.payment({ order: unpaid }, { amount: 100_000, paidAt: vn('2026-03-16') });
  const after = await run(date);
  expect(after.mismatches).toBe(2);
  const nodes = (await report(date)).mismatches.edges.map((edge) => edge.node);
  expect(nodes.map((node) => node.orderId)).not.toContain(unpaid.id);
});

test('mismatches page by cursor and filter by kind', async () => {
  const date = '2026-03-07';
  const channel = await make.channel();
  for (let hour = 10; hour < 15; hour += 1) {
    await make.order(
      { channel },
      { status: OrderStatus.DELIVERED, placedAt: vn(date, `${hour}:00`) },
    );
  }
  await make.payment({}, { paidAt: vn(date, '09:00') });
  await run(date);
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Report['reconciliationReport']['mismatches'] = (
      await report(date, { first: 2, after })
    ).mismatches;
    seen.push(...page.edges.map((edge) => edge.node.occurredAt));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(seen).toHaveLength(6);
  expect([...seen].sort()).toEqual(seen);
  const onlyOrders = await report(date, { kinds: ['MISSING_ORDER'] });
  expect(onlyOrders.mismatches.totalCount).toBe(1);
  expect(onlyOrders.run!.mismatches).toBe(6);
});

test('a date never reconciled has a null run and no mismatches', async () => {
  const result = await report('2025-01-15');
  expect(result.run).toBeNull();
  expect(result.mismatches).toMatchObject({ totalCount: 0, edges: [] });
});

test.each(['2026-13-01', '2026-02-30', '20260301', '2026-3-1', 'yesterday', '', '2999-01-01'])(
  'the date "%s" is bad input and writes nothing',
  async (date) => {
    const em = t.orm.em.fork();
    const before = await em.count(ReconciliationRun, {});
    const mutation = await t.gql(RUN, { date });
    expect(code(mutation)).toBe('BAD_USER_INPUT');
    expect(mutation.errors![0]!.extensions!.field).toBe('date');
    expect(code(await t.gql(REPORT, { date }))).toBe('BAD_USER_INPUT');
    expect(await em.count(ReconciliationRun, {})).toBe(before);
  },
);

test.each([
  [Role.ADMIN, true],
  [Role.BOD, true],
  [Role.IT, true],
  [Role.TELESALES_LEADER, false],
  [Role.CUSTOMER_SERVICE_LEADER, false],
  [Role.TELESALES, false],
  [Role.CUSTOMER_SERVICE, false],
])('as %s, running and reading a report allowed: %s', async (role, allowed) => {
  const user = await make.user({ role });
  const auth = { token: t.tokenFor(user) };
  const ran = await t.gql(RUN, { date: '2026-02-01' }, auth);
  const read = await t.gql(REPORT, { date: '2026-02-01' }, auth);
  for (const res of [ran, read]) {
    expect(code(res)).toBe(allowed ? undefined : 'FORBIDDEN');
  }
});

test('anonymous callers are asked to sign in', async () => {
  expect(code(await t.gql(RUN, { date: '2026-02-01' }, 'anonymous'))).toBe('UNAUTHENTICATED');
  expect(code(await t.gql(REPORT, { date: '2026-02-01' }, 'anonymous'))).toBe('UNAUTHENTICATED');
});

describe('the nightly job', () => {
  test('the previous business day is the day before in Vietnam, not in UTC', () => {
    expect(previousBusinessDate(new Date('2026-03-11T02:30:00+07:00'))).toBe('2026-03-10');
    // 00:30 in Vietnam is still the previous day in UTC.
    expect(previousBusinessDate(new Date('2026-03-10T17:30:00Z'))).toBe('2026-03-10');
    // 23:30 in Vietnam: the previous business day is the day before it.
    expect(previousBusinessDate(new Date('2026-03-10T16:30:00Z'))).toBe('2026-03-09');
    expect(previousBusinessDate(new Date('2026-01-01T01:00:00+07:00'))).toBe('2025-12-31');
  });

  test('reconciles the previous business day, its edges in Vietnamese time', async () => {
    const channel = await make.channel();
    const delivered = (placedAt: Date) =>
      make.order({ channel }, { status: OrderStatus.DELIVERED, placedAt });
    const lateEvening = await delivered(vn('2026-03-10', '23:30'));
    const justAfterMidnight = await delivered(vn('2026-03-10', '00:05'));
    const dayBefore = await delivered(vn('2026-03-09', '23:59'));
    const dayAfter = await delivered(vn('2026-03-11', '00:10'));
    const orphan = await make.payment({}, { paidAt: vn('2026-03-10', '23:45') });

    const summary = await reconcilePayments(t.orm, vn('2026-03-11', '02:30'));
    expect(summary).toMatchObject({ date: '2026-03-10', ordersChecked: 2, mismatches: 3 });
    const nodes = (await report('2026-03-10')).mismatches.edges.map((edge) => edge.node);
    expect(nodes.map((node) => [node.kind, node.orderId ?? node.paymentIds[0]])).toEqual([
      ['MISSING_PAYMENT', justAfterMidnight.id],
      ['MISSING_PAYMENT', lateEvening.id],
      ['MISSING_ORDER', orphan.id],
    ]);
    for (const other of [dayBefore, dayAfter]) {
      expect(nodes.some((node) => node.orderId === other.id)).toBe(false);
    }
  });
});
