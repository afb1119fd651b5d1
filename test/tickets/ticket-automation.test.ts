import { Order, Payment, Ticket, TicketHistory, type Customer } from '../../src/entities';
import {
  OrderStatus,
  PaymentStatus,
  Role,
  TicketSource,
  TicketStatus,
  TicketTarget,
} from '../../src/entities/enums';
import { markMissedTickets } from '../../src/jobs/mark-missed-tickets.job';
import { remindDueTickets } from '../../src/jobs/remind-due-tickets.job';
import { TOPICS, type TicketChangedEvent } from '../../src/kernel/topics';
import {
  afterCompletion,
  afterOrderMilestone,
  afterPayment,
  createBirthdayTickets,
} from '../../src/services/tickets/ticket-automation';
import { factories } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { subscriber, waitFor } from '../support/ws';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const as = (user: { id: string }) => ({ token: t.tokenFor(user) });

// Business time is UTC+7 all year; computed here independently of src.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const VN = 7 * HOUR;
/** 00:00 Vietnam time on the Vietnamese day of `at` plus `days`, plus `plusMs`. */
const vnMidnight = (at: Date, days: number, plusMs = 0): Date =>
  new Date((Math.floor((at.getTime() + VN) / DAY) + days) * DAY - VN + plusMs);

const CREATE = `mutation($input: CreateTicketInputType!) { createTicket(input: $input) { id } }`;
const COMPLETE = `mutation($id: ID!, $result: TicketResult!, $v: Int!) {
  completeTicket(id: $id, resultCode: $result, version: $v) { id status completedAt } }`;

/** A telesales ticket owned by a staff member, completed by them with `result`. */
async function completedWith(result: string) {
  const branch = await make.branch();
  const customer = await make.customer({ fullName: 'Đỗ Thị Mai' });
  const staff = await make.user({ role: Role.TELESALES });
  const created = await t.gql<{ createTicket: { id: string } }>(
    CREATE,
    {
      input: { customerId: customer.id, branchId: branch.id, title: 'Tư vấn', source: 'MANUAL' },
    },
    as(staff),
  );
  expect(created.errors).toBeUndefined();
  const id = created.data!.createTicket.id;
  const done = await t.gql<{ completeTicket: { completedAt: string } }>(
    COMPLETE,
    { id, result, v: await t.ticketVersion(id) },
    as(staff),
  );
  expect(done.errors).toBeUndefined();
  return {
    branch,
    customer,
    staff,
    id,
    completedAt: new Date(done.data!.completeTicket.completedAt),
  };
}

const spawned = (rootId: string, source: TicketSource) =>
  t.orm.em.fork().find(Ticket, { rootTicket: rootId, source });

/** Runs the completion rules again for an already completed ticket. */
async function rerunCompletion(id: string): Promise<Ticket[]> {
  const em = t.orm.em.fork();
  return em.transactional(async (tx) => afterCompletion(tx, await tx.findOneOrFail(Ticket, id)));
}

describe('completion rules', () => {
  test('CALL_LATER: one FOLLOW_UP ticket for the same owner, due 09:00 VN the next day; runs twice, creates once', async () => {
    const { staff, branch, customer, id, completedAt } = await completedWith('CALL_LATER');
    const [follow, ...more] = await spawned(id, TicketSource.FOLLOW_UP);
    expect(more).toEqual([]);
    expect(follow).toMatchObject({
      status: TicketStatus.ASSIGNED,
      target: TicketTarget.TELESALES,
      dueAt: vnMidnight(completedAt, 1, 9 * HOUR),
    });
    expect(follow!.assignee?.id).toBe(staff.id);
    expect([follow!.branch.id, follow!.customer.id]).toEqual([branch.id, customer.id]);

    expect(await rerunCompletion(id)).toEqual([]);
    expect(await spawned(id, TicketSource.FOLLOW_UP)).toHaveLength(1);

    // Completing the follow-up again with a retry result keeps the chain on the first root.
    const again = await t.gql(
      COMPLETE,
      { id: follow!.id, result: 'MISSED_CALL', v: await t.ticketVersion(follow!.id) },
      as(staff),
    );
    expect(again.errors).toBeUndefined();
    const chain = await spawned(id, TicketSource.FOLLOW_UP);
    expect(chain).toHaveLength(2);
  });

  test('a result that needs no retry creates nothing', async () => {
    const { id } = await completedWith('NOT_INTERESTED');
    expect(await t.orm.em.fork().count(Ticket, { rootTicket: id })).toBe(0);
  });

  test('WRONG_NUMBER: the customer is labelled WRONG_CONTACT and one CONTACT_VERIFICATION ticket is created; runs twice, creates once', async () => {
    const { customer, branch, id } = await completedWith('WRONG_NUMBER');
    const [verify, ...more] = await spawned(id, TicketSource.CONTACT_VERIFICATION);
    expect(more).toEqual([]);
    expect(verify).toMatchObject({
      status: TicketStatus.NEW,
      target: TicketTarget.CUSTOMER_SERVICE,
      belongTo: TicketTarget.CUSTOMER_SERVICE,
    });
    expect([verify!.branch.id, verify!.customer.id]).toEqual([branch.id, customer.id]);
    expect(await spawned(id, TicketSource.FOLLOW_UP)).toEqual([]);

    expect(await rerunCompletion(id)).toEqual([]);
    expect(await spawned(id, TicketSource.CONTACT_VERIFICATION)).toHaveLength(1);
    const res = await t.gql<{ customer: { labels: { code: string }[] } }>(
      'query($id: ID!) { customer(id: $id) { labels { code } } }',
      { id: customer.id },
    );
    expect(res.data!.customer.labels).toEqual([{ code: 'WRONG_CONTACT' }]);
  });
});

describe('after-sale care', () => {
  async function delivered(status = OrderStatus.DELIVERED) {
    const branch = await make.branch();
    const customer = await make.customer({ branch: branch.id as never });
    const shop = await make.channel();
    const order = await make.order({ channel: shop, customer }, { status });
    return { branch, customer, order };
  }
  const careTickets = (customer: Customer) =>
    t.orm.em.fork().find(Ticket, { customer: customer.id, source: TicketSource.AFTER_SALE_CARE });
  const pay = async (customer: Customer, order?: Order) => {
    const em = t.orm.em.fork();
    const payment = em.create(Payment, {
      order: order?.id,
      customer: customer.id,
      method: 'BANK_TRANSFER',
      amount: 100_000,
      status: PaymentStatus.PAID,
      paidAt: new Date(),
    });
    await em.flush();
    return payment;
  };

  test('a DELIVERED order twice and then its payment create one AFTER_SALE_CARE ticket', async () => {
    const { branch, customer, order } = await delivered();
    const em = t.orm.em.fork();
    const loaded = await em.findOneOrFail(Order, order.id);
    const first = await afterOrderMilestone(em, loaded);
    expect(first).not.toBeNull();
    expect(await afterOrderMilestone(em, loaded)).toBeNull();
    expect(await afterPayment(em, await pay(customer, order))).toBeNull();
    loaded.status = OrderStatus.COMPLETED;
    expect(await afterOrderMilestone(em, loaded)).toBeNull();

    const tickets = await careTickets(customer);
    expect(tickets.map((x) => x.id)).toEqual([first!.id]);
    expect(tickets[0]).toMatchObject({
      status: TicketStatus.NEW,
      target: TicketTarget.CUSTOMER_SERVICE,
    });
    expect(tickets[0]!.branch.id).toBe(branch.id);
  });

  test('the payment first, then the delivery: still one ticket', async () => {
    const { customer, order } = await delivered();
    const em = t.orm.em.fork();
    expect(await afterPayment(em, await pay(customer, order))).not.toBeNull();
    expect(await afterOrderMilestone(em, await em.findOneOrFail(Order, order.id))).toBeNull();
    expect(await careTickets(customer)).toHaveLength(1);
  });

  test('a paid payment without an order gets one ticket; an order not yet delivered none', async () => {
    const { customer, order } = await delivered(OrderStatus.SHIPPED);
    const em = t.orm.em.fork();
    expect(await afterOrderMilestone(em, await em.findOneOrFail(Order, order.id))).toBeNull();
    expect(await careTickets(customer)).toEqual([]);
    const payment = await pay(customer);
    expect(await afterPayment(em, payment)).not.toBeNull();
    expect(await afterPayment(em, payment)).toBeNull();
    expect(await careTickets(customer)).toHaveLength(1);
  });
});

describe('birthday tickets', () => {
  test('twice on the same day: one ticket per customer with 1,000,000 VND of revenue and a birthday that day', async () => {
    // 00:30 on 15 July in Vietnam, still 14 July in UTC.
    const now = new Date('2026-07-14T17:30:00.000Z');
    const branch = await make.branch();
    const shop = await make.channel();
    const person = (birthday: string) => make.customer({ birthday, branch: branch.id as never });
    const completed = (customer: Customer, total: number) =>
      make.order(
        { channel: shop, customer },
        { status: OrderStatus.COMPLETED, total, subtotal: total },
      );
    const paid = async (customer: Customer, amount: number, order?: Order) => {
      const em = t.orm.em.fork();
      em.create(Payment, {
        customer: customer.id,
        order: order?.id,
        method: 'COD',
        amount,
        status: PaymentStatus.PAID,
      });
      await em.flush();
    };

    const byOrders = await person('1990-07-15');
    await completed(byOrders, 600_000);
    await completed(byOrders, 400_000); // exactly the threshold
    const byPayment = await person('1985-07-15');
    await paid(byPayment, 1_000_000);
    const under = await person('1992-07-15');
    await completed(under, 999_999);
    const countedOnce = await person('1995-07-15'); // a payment of a completed order is not extra
    await paid(countedOnce, 600_000, await completed(countedOnce, 600_000));
    const otherDay = await person('1990-07-14');
    await completed(otherDay, 5_000_000);
    const cancelled = await person('1991-07-15');
    await make.order(
      { channel: shop, customer: cancelled },
      { status: OrderStatus.CANCELLED, total: 2_000_000 },
    );

    const first = await createBirthdayTickets(t.orm.em.fork(), now);
    const second = await createBirthdayTickets(t.orm.em.fork(), new Date(now.getTime() + 8 * HOUR));
    expect(second).toEqual([]);
    const tickets = await t.orm.em.fork().find(Ticket, { source: TicketSource.BIRTHDAY });
    expect(tickets.map((x) => x.id).sort()).toEqual([...first].sort());
    expect(tickets.map((x) => x.customer.id).sort()).toEqual([byOrders.id, byPayment.id].sort());
    for (const ticket of tickets) {
      expect(ticket).toMatchObject({
        status: TicketStatus.NEW,
        target: TicketTarget.TELESALES,
        dueAt: new Date('2026-07-15T02:00:00.000Z'), // 09:00 VN on the birthday
      });
    }
  });
});

test('a 29 February birthday is celebrated on 28 February in other years, on the day in leap years', async () => {
  const branch = await make.branch();
  const shop = await make.channel();
  const leapling = await make.customer({ birthday: '2000-02-29', branch: branch.id as never });
  await make.order(
    { channel: shop, customer: leapling },
    { status: OrderStatus.COMPLETED, total: 1_500_000 },
  );
  const ticketsOn = async (vnDay: string) => {
    const now = new Date(`${vnDay}T08:00:00.000+07:00`);
    const ids = await createBirthdayTickets(t.orm.em.fork(), now);
    const rows = await t.orm.em.fork().find(Ticket, { id: { $in: ids } });
    return rows.map((x) => x.customer.id);
  };
  expect(await ticketsOn('2027-02-27')).toEqual([]);
  expect(await ticketsOn('2027-02-28')).toEqual([leapling.id]);
  expect(await ticketsOn('2028-02-28')).toEqual([]);
  expect(await ticketsOn('2028-02-29')).toEqual([leapling.id]);
});

describe('jobs', () => {
  test('markMissedTickets writes a history row and publishes a MISSED change, once', async () => {
    // A fixed instant long ago keeps other tests' tickets out of this run.
    const now = new Date('2001-01-01T00:00:00.000Z');
    const branch = await make.branch();
    const customer = await make.customer();
    const overdue = await make.ticket({ customer, branch }, { dueAt: new Date(now.getTime() - 1) });
    await make.ticket({ customer, branch }, { dueAt: new Date(now.getTime() + HOUR) });
    await make.ticket(
      { customer, branch },
      { dueAt: new Date(now.getTime() - HOUR), status: TicketStatus.COMPLETED },
    );
    const events: TicketChangedEvent[] = [];
    const iterator = t.bus.subscribe(TOPICS.ticketChanged)[Symbol.asyncIterator]();
    const pump = (async () => {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        events.push(r.value as TicketChangedEvent);
      }
    })();
    try {
      expect(await markMissedTickets(t.orm, t.bus, now)).toEqual([overdue.id]);
      await waitFor(() => events.length >= 1);
      expect(await markMissedTickets(t.orm, t.bus, now)).toEqual([]);
    } finally {
      await iterator.return?.();
      await pump;
    }
    expect(events).toEqual([
      { ticketId: overdue.id, action: 'MISSED', changedFields: ['isMissed'] },
    ]);
    const em = t.orm.em.fork();
    const history = await em.find(TicketHistory, { ticket: overdue.id });
    expect(history.map((h) => [h.field, h.before, h.after, h.actor ?? null])).toEqual([
      ['isMissed', false, true, null],
    ]);
    expect(await em.findOneOrFail(Ticket, overdue.id)).toMatchObject({
      isMissed: true,
      version: 2,
    });
  });

  test("remindDueTickets reminds once per due time, on the owner's ticketReminder only", async () => {
    const now = new Date('2002-02-02T02:00:00.000Z');
    const branch = await make.branch();
    const customer = await make.customer();
    const owner = await make.user({ role: Role.TELESALES });
    const other = await make.user({ role: Role.TELESALES });
    const due = new Date(now.getTime() + 10 * 60_000);
    // The other staff member curates the ticket, so sees it, but is not its owner.
    const mine = await make.ticket(
      { customer, branch, assignee: owner },
      { dueAt: due, inCharge: other.id as never },
    );
    await make.ticket(
      { customer, branch, assignee: owner },
      { dueAt: new Date(now.getTime() + HOUR) },
    );

    const query = 'subscription { ticketReminder { dueAt ticket { id } } }';
    const wsOwner = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(owner)}` });
    const wsOther = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(other)}` });
    const before = t.bus.activeSubscriptions;
    const subOwner = wsOwner.subscribe(query);
    const subOther = wsOther.subscribe(query);
    // Each subscription listens to its topic and to revocations.
    await waitFor(() => t.bus.activeSubscriptions >= before + 4);
    try {
      expect(await remindDueTickets(t.orm, t.bus, now)).toBe(1);
      expect(await remindDueTickets(t.orm, t.bus, now)).toBe(0);
      await waitFor(() => subOwner.events.length === 1);

      // The other staff member's own ticket: once it arrives, the earlier event was passed over.
      const theirs = await make.ticket({ customer, branch, assignee: other }, { dueAt: due });
      expect(await remindDueTickets(t.orm, t.bus, now)).toBe(1);
      await waitFor(() => subOther.events.length === 1);

      // Moving the due time re-arms the reminder.
      const moved = new Date(now.getTime() + 20 * 60_000);
      const res = await t.gql(
        'mutation($id: ID!, $v: Int!, $due: DateTimeISO) { updateTicket(id: $id, version: $v, input: { dueAt: $due }) { id } }',
        { id: mine.id, v: await t.ticketVersion(mine.id), due: moved.toISOString() },
        as(owner),
      );
      expect(res.errors).toBeUndefined();
      expect(await remindDueTickets(t.orm, t.bus, now)).toBe(1);
      await waitFor(() => subOwner.events.length === 2);

      expect(subOwner.events.map((e) => e.data)).toEqual([
        { ticketReminder: { dueAt: due.toISOString(), ticket: { id: mine.id } } },
        { ticketReminder: { dueAt: moved.toISOString(), ticket: { id: mine.id } } },
      ]);
      expect(subOther.events.map((e) => e.data)).toEqual([
        { ticketReminder: { dueAt: due.toISOString(), ticket: { id: theirs.id } } },
      ]);
    } finally {
      subOwner.dispose();
      subOther.dispose();
      await wsOwner.client.dispose();
      await wsOther.client.dispose();
    }
  });
});
