import { Role } from '../../src/entities/enums';
import { factories } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { subscriber, waitFor, type Received } from '../support/ws';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const as = (user: { id: string }) => ({ token: t.tokenFor(user) });

const SUBSCRIPTION = `subscription($filter: TicketFilter) { ticketChanged(filter: $filter) {
  action changedFields ticket { id status } } }`;

type Change = { action: string; changedFields: string[]; ticket: { id: string; status: string } };
const changes = (events: Received[]): Change[] =>
  events.map((e) => {
    expect(e.errors).toBeUndefined();
    return e.data!.ticketChanged as Change;
  });

/** Opens one ticketChanged subscription per token and waits until the server holds them all. */
async function listen(tokens: string[], filter?: Record<string, unknown>) {
  const before = t.bus.activeSubscriptions;
  const sockets = tokens.map((token) => subscriber(t.wsUrl, { authorization: `Bearer ${token}` }));
  const subs = sockets.map((ws) => ws.subscribe(SUBSCRIPTION, filter ? { filter } : undefined));
  // Each subscription listens to its topic and to credential revocations.
  await waitFor(() => t.bus.activeSubscriptions >= before + 2 * tokens.length);
  const close = async () => {
    subs.forEach((sub) => sub.dispose());
    for (const ws of sockets) await ws.client.dispose();
  };
  return { subs, close };
}

async function mutate<T = Record<string, { id: string }>>(
  query: string,
  variables: Record<string, unknown>,
  auth?: { token: string },
): Promise<T> {
  const res = await t.gql<T>(query, variables, auth);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const CREATE = `mutation($input: CreateTicketInputType!) { createTicket(input: $input) { id } }`;
const ASSIGN = `mutation($id: ID!, $to: ID!, $v: Int!) { assignTicket(ticketId: $id, assigneeId: $to, version: $v) { id } }`;
const NOTE = `mutation($id: ID!) { addTicketNote(ticketId: $id, body: "Đã gọi, hẹn chiều") { id } }`;
const COMPLETE = `mutation($id: ID!, $v: Int!) { completeTicket(id: $id, resultCode: COMPLETED, version: $v) { id } }`;
const CANCEL = `mutation($id: ID!, $v: Int!) { cancelTicket(id: $id, reason: "Trùng", version: $v) { id } }`;

async function scene() {
  const branch = await make.branch();
  const customer = await make.customer();
  const create = async (auth?: { token: string }, extra: Record<string, unknown> = {}) => {
    const input = {
      customerId: customer.id,
      branchId: branch.id,
      title: 'Tư vấn',
      source: 'MANUAL',
    };
    const data = await mutate<{ createTicket: { id: string } }>(
      CREATE,
      { input: { target: 'TELESALES', ...input, ...extra } },
      auth,
    );
    return data.createTicket.id;
  };
  return { customer, create };
}

test('ticketChanged reaches the admin, the team leader and the owner, not another team or staff member', async () => {
  const { create } = await scene();
  const leader = await make.user({ role: Role.TELESALES_LEADER });
  const owner = await make.user({ role: Role.TELESALES });
  const otherStaff = await make.user({ role: Role.TELESALES });
  const otherLeader = await make.user({ role: Role.CUSTOMER_SERVICE_LEADER });
  const { subs, close } = await listen([
    t.adminToken,
    t.tokenFor(leader),
    t.tokenFor(owner),
    t.tokenFor(otherStaff),
    t.tokenFor(otherLeader),
  ]);
  type Sub = (typeof subs)[number];
  const [admin, lead, own, staff2, lead2] = subs as [Sub, Sub, Sub, Sub, Sub];
  try {
    // Each step waits for the admin's copy: the event's row is loaded once for all
    // subscribers, so later steps cannot change what an earlier event showed.
    const step = async (n: number, run: () => Promise<unknown>) => {
      await run();
      await waitFor(() => admin.events.length === n);
    };
    let own1 = '';
    await step(1, async () => (own1 = await create(as(owner))));
    let shared = '';
    await step(2, async () => (shared = await create()));
    await step(3, async () =>
      mutate(ASSIGN, { id: shared, to: owner.id, v: await t.ticketVersion(shared) }, as(leader)),
    );
    await step(4, () => mutate(NOTE, { id: shared }, as(owner)));
    await step(5, async () =>
      mutate(COMPLETE, { id: shared, v: await t.ticketVersion(shared) }, as(owner)),
    );
    // Sentinels for the two who must get nothing: each sees an event of its own, and
    // events arrive in order, so everything before it was already passed over.
    const staffOwn = await create(as(otherStaff));
    const csTicket = await create(undefined, { target: 'CUSTOMER_SERVICE' });
    await waitFor(() => staff2.events.length >= 1 && lead2.events.length >= 1);
    await waitFor(() => admin.events.length === 7 && lead.events.length === 6);
    await waitFor(() => own.events.length === 4);

    const c = (action: string, id: string, status: string, changedFields: string[]) => ({
      action,
      changedFields,
      ticket: { id, status },
    });
    const everything = [
      c('CREATED', own1, 'ASSIGNED', ['status']),
      c('CREATED', shared, 'NEW', ['status']),
      c('ASSIGNED', shared, 'ASSIGNED', ['assignee', 'status']),
      c('NOTE_ADDED', shared, 'ASSIGNED', ['notes']),
      c('COMPLETED', shared, 'COMPLETED', ['status', 'result']),
      c('CREATED', staffOwn, 'ASSIGNED', ['status']),
    ];
    const cs = c('CREATED', csTicket, 'NEW', ['status']);
    expect(changes(admin.events)).toEqual([...everything, cs]);
    expect(changes(lead.events)).toEqual(everything);
    // The owner did not own the shared ticket when it was created.
    expect(changes(own.events)).toEqual([everything[0], ...everything.slice(2, 5)]);
    expect(changes(staff2.events)).toEqual([everything[5]]);
    expect(changes(lead2.events)).toEqual([cs]);
  } finally {
    await close();
  }
});

test('ticketChanged(filter: { statuses: [COMPLETED] }) receives only changes of completed tickets', async () => {
  const { create } = await scene();
  // Only an assigned ticket completes (new -> assigned -> completed): the first has an owner.
  const owner = await make.user({ role: Role.TELESALES });
  const unfiltered = await listen([t.adminToken]);
  const filtered = await listen([t.adminToken], { statuses: ['COMPLETED'] });
  const all = unfiltered.subs[0]!;
  const done = filtered.subs[0]!;
  try {
    const step = async (n: number, run: () => Promise<unknown>) => {
      await run();
      await waitFor(() => all.events.length === n);
    };
    let first = '';
    let second = '';
    await step(1, async () => (first = await create(undefined, { assigneeId: owner.id })));
    await step(2, async () => (second = await create()));
    await step(3, () => mutate(NOTE, { id: first }));
    await step(4, async () => mutate(CANCEL, { id: second, v: await t.ticketVersion(second) }));
    await step(5, async () => mutate(COMPLETE, { id: first, v: await t.ticketVersion(first) }));
    await waitFor(() => done.events.length >= 1);
    // A later matching change proves nothing else was queued behind the first.
    await step(6, () => mutate(NOTE, { id: first }));
    await waitFor(() => done.events.length >= 2);
    expect(changes(done.events)).toEqual([
      {
        action: 'COMPLETED',
        changedFields: ['status', 'result'],
        ticket: { id: first, status: 'COMPLETED' },
      },
      {
        action: 'NOTE_ADDED',
        changedFields: ['notes'],
        ticket: { id: first, status: 'COMPLETED' },
      },
    ]);
  } finally {
    await unfiltered.close();
    await filtered.close();
  }
});

test('ticketChanged(filter: { timeLabel: OVERDUE }) receives tickets overdue when it started', async () => {
  const { create } = await scene();
  const filtered = await listen([t.adminToken], { timeLabel: 'OVERDUE' });
  const overdue = filtered.subs[0]!;
  try {
    const late = await create(undefined, { dueAt: new Date(Date.now() - 60_000).toISOString() });
    await create(undefined, { dueAt: new Date(Date.now() + 3_600_000).toISOString() });
    await mutate(NOTE, { id: late });
    await waitFor(() => overdue.events.length >= 2);
    expect(changes(overdue.events).map((x) => [x.action, x.ticket.id])).toEqual([
      ['CREATED', late],
      ['NOTE_ADDED', late],
    ]);
  } finally {
    await filtered.close();
  }
});

// The filter is built once when the subscription starts, with that instant as "now", so a
// ticket that falls due later never counts as OVERDUE for it (the tickets query would list it).
test('ticketChanged(filter: { timeLabel: OVERDUE }) judges "overdue" when the change happens', async () => {
  const { customer, create } = await scene();
  const filtered = await listen([t.adminToken], { timeLabel: 'OVERDUE' });
  const overdue = filtered.subs[0]!;
  try {
    const due = new Date(Date.now() + 1_000);
    const id = await create(undefined, { dueAt: due.toISOString() });
    await waitFor(() => Date.now() > due.getTime() + 100);
    const listed = await t.gql<{ tickets: { edges: { node: { id: string } }[] } }>(
      'query($c: ID) { tickets(filter: { timeLabel: OVERDUE, customerId: $c }) { edges { node { id } } } }',
      { c: customer.id },
    );
    expect(listed.data!.tickets.edges).toEqual([{ node: { id } }]);
    await mutate(NOTE, { id });
    await waitFor(() => overdue.events.length >= 1);
    expect(changes(overdue.events)).toEqual([
      { action: 'NOTE_ADDED', changedFields: ['notes'], ticket: { id, status: 'NEW' } },
    ]);
  } finally {
    await filtered.close();
  }
});
