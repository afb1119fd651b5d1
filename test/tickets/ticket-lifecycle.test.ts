import { Customer, Ticket, TicketHistory, TicketNote } from '../../src/entities';
import { Role, TicketStatus } from '../../src/entities/enums';
import { factories } from '../support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const as = (user: { id: string }) => ({ token: t.tokenFor(user) });
const errorOf = (res: GraphQLResponse<unknown>) => res.errors?.[0];

const FIELDS = 'id status version result assignee { id } completedAt dueAt title';
type TicketOut = {
  id: string;
  status: string;
  version: number;
  result: string | null;
  assignee: { id: string } | null;
  completedAt: string | null;
  dueAt: string | null;
  title: string;
};

const M = {
  create: `mutation($input: CreateTicketInputType!) { createTicket(input: $input) { ${FIELDS} } }`,
  assign: `mutation($id: ID!, $to: ID!, $v: Int!) { assignTicket(ticketId: $id, assigneeId: $to, version: $v) { ${FIELDS} } }`,
  complete: `mutation($id: ID!, $result: TicketResult!, $note: String, $v: Int!) {
    completeTicket(id: $id, resultCode: $result, note: $note, version: $v) { ${FIELDS} } }`,
  cancel: `mutation($id: ID!, $reason: String!, $v: Int!) { cancelTicket(id: $id, reason: $reason, version: $v) { ${FIELDS} } }`,
  reopen: `mutation($id: ID!, $v: Int!) { reopenTicket(id: $id, version: $v) { ${FIELDS} } }`,
  update: `mutation($id: ID!, $v: Int!, $input: UpdateTicketInputType!) {
    updateTicket(id: $id, version: $v, input: $input) { ${FIELDS} } }`,
  note: `mutation($id: ID!, $body: String!) { addTicketNote(ticketId: $id, body: $body) { id body } }`,
};

/** Runs a mutation that must succeed and returns its ticket. */
async function ok(
  query: string,
  variables: Record<string, unknown>,
  auth?: { token: string },
): Promise<TicketOut> {
  const res = await t.gql<Record<string, TicketOut>>(query, variables, auth);
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0]!;
}

async function team() {
  const branch = await make.branch();
  const customer = await make.customer();
  const staff = await make.user({ role: Role.TELESALES });
  const leader = await make.user({ role: Role.TELESALES_LEADER });
  const input = (extra: Record<string, unknown> = {}) => ({
    customerId: customer.id,
    branchId: branch.id,
    title: 'Tư vấn gói cước',
    source: 'MANUAL',
    target: 'TELESALES',
    ...extra,
  });
  return { branch, customer, staff, leader, input };
}

type HistoryRow = { field: string; before: unknown; after: unknown; actor: string | null };
async function historyOf(ticketId: string): Promise<HistoryRow[]> {
  const rows = await t.orm.em.fork().find(TicketHistory, { ticket: ticketId });
  return rows.map((r) => ({
    field: r.field,
    before: r.before ?? null,
    after: r.after ?? null,
    actor: r.actor?.id ?? null,
  }));
}

/** Everything a refused change must leave as it was. */
async function snapshot(ticketId: string) {
  const em = t.orm.em.fork();
  const row = await em.findOneOrFail(Ticket, ticketId);
  const { status, version, result, title, dueAt, isMissed, completedAt, updatedAt } = row;
  return {
    row: { status, version, result, title, dueAt, isMissed, completedAt, updatedAt },
    owner: [row.assignee?.id, row.inCharge?.id],
    history: await em.count(TicketHistory, { ticket: ticketId }),
    notes: await em.count(TicketNote, { ticket: ticketId }),
    tickets: await em.count(Ticket, {}),
  };
}

describe('legal transitions', () => {
  test('create -> assign -> complete, each step in the history with its actor', async () => {
    const { staff, leader, input } = await team();
    const created = await ok(M.create, { input: input() });
    expect(created).toMatchObject({ status: 'NEW', version: 1, assignee: null, result: null });
    const assigned = await ok(
      M.assign,
      { id: created.id, to: staff.id, v: created.version },
      as(leader),
    );
    expect(assigned).toMatchObject({ status: 'ASSIGNED', assignee: { id: staff.id }, version: 2 });
    const done = await ok(
      M.complete,
      { id: created.id, result: 'NOT_INTERESTED', note: 'Khách chưa có nhu cầu', v: 2 },
      as(staff),
    );
    expect(done).toMatchObject({ status: 'COMPLETED', result: 'NOT_INTERESTED', version: 3 });
    expect(done.completedAt).not.toBeNull();

    const adminId = t.admin.id;
    expect(await historyOf(created.id)).toEqual(
      expect.arrayContaining([
        { field: 'status', before: null, after: 'NEW', actor: adminId },
        { field: 'assignee', before: null, after: staff.id, actor: leader.id },
        { field: 'status', before: 'NEW', after: 'ASSIGNED', actor: leader.id },
        { field: 'status', before: 'ASSIGNED', after: 'COMPLETED', actor: staff.id },
        { field: 'result', before: null, after: 'NOT_INTERESTED', actor: staff.id },
      ]),
    );
    expect(await historyOf(created.id)).toHaveLength(5);
    const notes = await t.orm.em.fork().find(TicketNote, { ticket: created.id });
    expect(notes.map((n) => [n.body, n.author?.id])).toEqual([['Khách chưa có nhu cầu', staff.id]]);
  });

  test('create -> cancel -> reopen returns to ASSIGNED with an owner, to NEW without', async () => {
    const { staff, input } = await team();
    const owned = await ok(M.create, { input: input() }, as(staff));
    const unowned = await ok(M.create, { input: input() });
    for (const [ticket, back] of [
      [owned, 'ASSIGNED'],
      [unowned, 'NEW'],
    ] as const) {
      const canceled = await ok(M.cancel, {
        id: ticket.id,
        reason: 'Khách đổi ý',
        v: ticket.version,
      });
      expect(canceled.status).toBe('CANCELED');
      const reopened = await ok(M.reopen, { id: ticket.id, v: canceled.version });
      expect(reopened.status).toBe(back);
      expect(await historyOf(ticket.id)).toEqual(
        expect.arrayContaining([
          { field: 'status', before: ticket.status, after: 'CANCELED', actor: t.admin.id },
          { field: 'cancelReason', before: null, after: 'Khách đổi ý', actor: t.admin.id },
          { field: 'status', before: 'CANCELED', after: back, actor: t.admin.id },
        ]),
      );
    }
  });
});

describe('illegal transitions are BAD_USER_INPUT naming the status, and change nothing', () => {
  type Case = [name: string, setUp: TicketStatus, attempt: string, status: string];
  test.each<Case>([
    ['complete a canceled ticket', TicketStatus.CANCELED, 'complete', 'CANCELED'],
    ['assign a completed ticket', TicketStatus.COMPLETED, 'assign', 'COMPLETED'],
    ['reopen a completed ticket', TicketStatus.COMPLETED, 'reopen', 'COMPLETED'],
    ['cancel a canceled ticket', TicketStatus.CANCELED, 'cancel', 'CANCELED'],
    ['reopen an open ticket', TicketStatus.ASSIGNED, 'reopen', 'ASSIGNED'],
  ])('%s', async (_name, setUp, attempt, status) => {
    const { staff, leader, input } = await team();
    const ticket = await ok(M.create, { input: input() }, as(staff));
    if (setUp === TicketStatus.CANCELED) {
      await ok(M.cancel, { id: ticket.id, reason: 'Trùng ticket', v: ticket.version }, as(staff));
    } else if (setUp === TicketStatus.COMPLETED) {
      await ok(M.complete, { id: ticket.id, result: 'COMPLETED', v: ticket.version }, as(staff));
    }
    const before = await snapshot(ticket.id);
    const variables = {
      id: ticket.id,
      to: staff.id,
      result: 'COMPLETED',
      reason: 'Lần nữa',
      v: await t.ticketVersion(ticket.id),
    };
    const query = M[attempt as keyof typeof M];
    const res = await t.gql(query, variables, attempt === 'assign' ? as(leader) : as(staff));
    expect(errorOf(res)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errorOf(res)?.message).toContain(status);
    expect(await snapshot(ticket.id)).toEqual(before);
  });
});

describe('optimistic version', () => {
  test('a stale version is CONFLICT and changes nothing; the current one goes through', async () => {
    const { staff, input } = await team();
    const ticket = await ok(M.create, { input: input() }, as(staff));
    const edited = await ok(
      M.update,
      { id: ticket.id, v: 1, input: { title: 'Lần 1' } },
      as(staff),
    );
    expect(edited.version).toBe(2);
    const before = await snapshot(ticket.id);
    for (const [query, vars] of [
      [M.update, { input: { title: 'Lần 2', dueAt: new Date().toISOString() } }],
      [M.complete, { result: 'COMPLETED' }],
      [M.cancel, { reason: 'Hủy' }],
    ] as const) {
      const res = await t.gql(query, { id: ticket.id, v: 1, ...vars }, as(staff));
      expect(errorOf(res)?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    }
    expect(await snapshot(ticket.id)).toEqual(before);
    const next = await ok(M.update, { id: ticket.id, v: 2, input: { title: 'Lần 2' } }, as(staff));
    expect(next).toMatchObject({ title: 'Lần 2', version: 3 });
  });

  // With the version sent, the loser is CONFLICT whether it read before or after the winner.
  test('two completions racing: one wins, the other is CONFLICT, one follow-up', async () => {
    const { staff, input } = await team();
    const ticket = await ok(M.create, { input: input() }, as(staff));
    const results = await Promise.all(
      [0, 1].map(() => t.gql(M.complete, { id: ticket.id, result: 'CALL_LATER', v: 1 }, as(staff))),
    );
    const codes = results.map((r) => errorOf(r)?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const em = t.orm.em.fork();
    expect(await em.count(Ticket, { rootTicket: ticket.id })).toBe(1);
    expect(await em.count(TicketHistory, { ticket: ticket.id, field: 'result' })).toBe(1);
  });
});

test('a due date moved into the future clears the missed mark, in the history too', async () => {
  const { staff, branch, customer } = await team();
  const missed = await make.ticket(
    { customer, branch, assignee: staff },
    { dueAt: new Date(Date.now() - 3_600_000), isMissed: true },
  );
  const due = new Date(Date.now() + 86_400_000).toISOString();
  await ok(M.update, { id: missed.id, v: missed.version, input: { dueAt: due } }, as(staff));
  expect((await t.orm.em.fork().findOneOrFail(Ticket, missed.id)).isMissed).toBe(false);
  expect(await historyOf(missed.id)).toEqual(
    expect.arrayContaining([{ field: 'isMissed', before: true, after: false, actor: staff.id }]),
  );
});

test('history through the API: actor, before and after for status, assignee, dueAt, result and title', async () => {
  const { staff, input } = await team();
  const due1 = new Date('2026-12-01T02:00:00.000Z');
  const due2 = new Date('2026-12-02T02:30:00.000Z');
  const ticket = await ok(M.create, { input: input({ dueAt: due1 }) }, as(staff));
  const updated = await ok(
    M.update,
    { id: ticket.id, v: ticket.version, input: { title: 'Gọi lại', dueAt: due2 } },
    as(staff),
  );
  await ok(M.complete, { id: ticket.id, result: 'NOT_INTERESTED', v: updated.version }, as(staff));
  const res = await t.gql<{
    ticket: {
      history: {
        totalCount: number;
        edges: {
          node: { field: string; before: unknown; after: unknown; actor: { id: string } };
        }[];
      };
    };
  }>(
    `query($id: ID!) { ticket(id: $id) { history(first: 50) { totalCount
      edges { node { field before after actor { id } } } } } }`,
    { id: ticket.id },
    as(staff),
  );
  expect(res.errors).toBeUndefined();
  const rows = res.data!.ticket.history.edges.map((e) => e.node);
  const me = { id: staff.id };
  expect(rows).toEqual(
    expect.arrayContaining([
      { field: 'status', before: null, after: 'ASSIGNED', actor: me },
      { field: 'assignee', before: null, after: staff.id, actor: me },
      { field: 'title', before: 'Tư vấn gói cước', after: 'Gọi lại', actor: me },
      { field: 'dueAt', before: due1.toISOString(), after: due2.toISOString(), actor: me },
      { field: 'status', before: 'ASSIGNED', after: 'COMPLETED', actor: me },
      { field: 'result', before: null, after: 'NOT_INTERESTED', actor: me },
    ]),
  );
  expect(res.data!.ticket.history.totalCount).toBe(6);
  expect(rows).toHaveLength(6);
});

test('notes page newest first with cursors', async () => {
  const { staff, input } = await team();
  const ticket = await ok(M.create, { input: input() }, as(staff));
  const row = await t.orm.em.fork().findOneOrFail(Ticket, ticket.id);
  const start = Date.now() - 10 * 60_000;
  for (let i = 1; i <= 4; i += 1)
    await make.note(row, staff, `note ${i}`, new Date(start + i * 60_000));
  const added = await t.gql(M.note, { id: ticket.id, body: '  note 5  ' }, as(staff));
  expect(added.errors).toBeUndefined();

  type Notes = {
    ticket: {
      latestNote: { body: string };
      notes: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { body: string; author: { id: string } } }[];
      };
    };
  };
  const query = `query($id: ID!, $after: String) { ticket(id: $id) { latestNote { body }
    notes(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { body author { id } } } } } }`;
  const pages: string[][] = [];
  let after: string | null = null;
  do {
    const res: GraphQLResponse<Notes> = await t.gql<Notes>(
      query,
      { id: ticket.id, after },
      as(staff),
    );
    expect(res.errors).toBeUndefined();
    const { notes, latestNote } = res.data!.ticket;
    expect(notes.totalCount).toBe(5);
    expect(latestNote.body).toBe('note 5');
    expect(notes.edges.every((e) => e.node.author.id === staff.id)).toBe(true);
    pages.push(notes.edges.map((e) => e.node.body));
    after = notes.pageInfo.hasNextPage ? notes.pageInfo.endCursor : null;
  } while (after);
  expect(pages).toEqual([['note 5', 'note 4'], ['note 3', 'note 2'], ['note 1']]);
});

describe('staff creating a ticket', () => {
  test('owns it: assignee is themself and the target is their team', async () => {
    const { staff, input } = await team();
    const res = await t.gql<{ createTicket: TicketOut & { target: string } }>(
      `mutation($input: CreateTicketInputType!) { createTicket(input: $input) { ${FIELDS} target } }`,
      { input: input({ target: undefined }) },
      as(staff),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createTicket).toMatchObject({
      status: 'ASSIGNED',
      assignee: { id: staff.id },
      target: 'TELESALES',
    });
  });

  test.each(['CONTACT_VERIFICATION', 'BIRTHDAY', 'FOLLOW_UP', 'AFTER_SALE_CARE'])(
    'cannot create a %s ticket: BAD_USER_INPUT and nothing written',
    async (source) => {
      const { staff, customer, input } = await team();
      const res = await t.gql(M.create, { input: input({ source }) }, as(staff));
      expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'source' });
      expect(await t.orm.em.fork().count(Ticket, { customer: customer.id })).toBe(0);
    },
  );
});

describe('bulk createTickets', () => {
  const BULK = `mutation($input: CreateTicketsInputType!) { createTickets(input: $input) { id status } }`;
  const shared = (branchId: string) => ({
    title: 'Chương trình khuyến mãi tháng 12',
    source: 'MANUAL',
    target: 'TELESALES',
    branchId,
  });

  test('1,000 customers in one call create 1,000 tickets', async () => {
    const branch = await make.branch();
    const em = t.orm.em.fork();
    const customers = Array.from({ length: 1_000 }, (_, i) =>
      em.create(Customer, {
        fullName: `Khách sỉ ${i}`,
        phone: `+8493${String(i).padStart(7, '0')}`,
      }),
    );
    await em.flush();
    const res = await t.gql<{ createTickets: { id: string; status: string }[] }>(BULK, {
      input: { shared: shared(branch.id), customerIds: customers.map((c) => c.id) },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createTickets).toHaveLength(1_000);
    const check = t.orm.em.fork();
    expect(await check.count(Ticket, { branch: branch.id })).toBe(1_000);
    const perCustomer = await check.find(Ticket, { branch: branch.id }, { fields: ['customer'] });
    expect(new Set(perCustomer.map((x) => x.customer.id)).size).toBe(1_000);
  });

  test('one bad customer id creates nothing and names the failing rows', async () => {
    const branch = await make.branch();
    const good = [await make.customer(), await make.customer(), await make.customer()];
    const missing = '00000000-0000-4000-8000-000000000000';
    const customerIds = [good[0]!.id, good[1]!.id, missing, good[2]!.id];
    const before = await t.orm.em.fork().count(Ticket, {});
    const res = await t.gql(BULK, { input: { shared: shared(branch.id), customerIds } });
    expect(res.data).toBeNull();
    expect(errorOf(res)?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      rowErrors: [{ row: 2, field: 'customerId', message: expect.stringContaining(missing) }],
    });
    expect(errorOf(res)?.extensions?.rowErrors).toHaveLength(1);
    const em = t.orm.em.fork();
    expect(await em.count(Ticket, { branch: branch.id })).toBe(0);
    expect(await em.count(Ticket, {})).toBe(before);

    const malformed = await t.gql(BULK, {
      input: { shared: shared(branch.id), customerIds: ['not-an-id', good[0]!.id] },
    });
    expect(errorOf(malformed)?.extensions?.rowErrors).toEqual([
      { row: 0, field: 'customerId', message: expect.any(String) },
    ]);
    expect(await em.count(Ticket, { branch: branch.id })).toBe(0);
  });
});
