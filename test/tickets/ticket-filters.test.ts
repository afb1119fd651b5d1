import { CustomerLabel, CustomerLabelLink } from '../../src/entities';
import type { Customer, Ticket, User } from '../../src/entities';
import { TicketResult, TicketSource, TicketStatus, TicketTarget } from '../../src/entities/enums';
import { phoneDigits, ticketKeywords } from '../../src/services/tickets/ticket-filter';
import { factories } from '../support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

type Page = {
  tickets: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string } }[];
  };
};
const LIST = `query($filter: TicketFilter, $sort: TicketSortInput, $first: Int, $after: String) {
  tickets(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;

/** The ids a filter finds (sorted), checking that totalCount agrees and no row repeats. */
async function found(filter: Record<string, unknown>): Promise<string[]> {
  const res = await t.gql<Page>(LIST, { filter, first: 100 });
  expect(res.errors).toBeUndefined();
  const ids = res.data!.tickets.edges.map((e) => e.node.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(res.data!.tickets.totalCount).toBe(ids.length);
  return ids.sort();
}
const idsOf = (...tickets: { id: string }[]): string[] => tickets.map((x) => x.id).sort();

/** One branch of one's own per test, so a filter combined with it sees only this test's rows. */
async function scene() {
  const branch = await make.branch();
  const customer = await make.customer();
  const ticket = (
    overrides: Parameters<typeof make.ticket>[1] = {},
    refs: { customer?: Customer; assignee?: User } = {},
  ): Promise<Ticket> => make.ticket({ branch, customer, ...refs }, overrides);
  return { branch, customer, ticket, mine: { branchIds: [branch.id] } };
}

/** A customer label held by the given customers. */
async function labelOf(code: string, ...customers: Customer[]): Promise<CustomerLabel> {
  const em = t.orm.em.fork();
  const label = em.create(CustomerLabel, { code, name: code });
  for (const c of customers) em.create(CustomerLabelLink, { customer: c.id, customerLabel: label });
  await em.flush();
  return label;
}

const CREATE = `mutation($input: CreateTicketInputType!) { createTicket(input: $input) { id } }`;
async function createViaApi(branchId: string, customer: Customer, title: string): Promise<string> {
  const res = await t.gql<{ createTicket: { id: string } }>(CREATE, {
    input: { branchId, customerId: customer.id, title, source: 'MANUAL', target: 'TELESALES' },
  });
  expect(res.errors).toBeUndefined();
  return res.data!.createTicket.id;
}

// Business time is UTC+7 all year; computed here independently of src.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const VN = 7 * HOUR;
const vnDayNumber = (at: Date): number => Math.floor((at.getTime() + VN) / DAY);
/** 00:00 Vietnam time, `days` days from today, plus `plusMs`. */
const vnMidnight = (now: Date, days: number, plusMs = 0): Date =>
  new Date((vnDayNumber(now) + days) * DAY - VN + plusMs);
/** Day 0 (1970-01-01) was a Thursday; weeks numbered from Monday. */
const vnWeekNumber = (at: Date): number => Math.floor((vnDayNumber(at) + 3) / 7);

describe('one filter at a time', () => {
  /** One ticket in each status, by status. */
  async function oneOfEach(s: Awaited<ReturnType<typeof scene>>) {
    const ids: Partial<Record<TicketStatus, string>> = {};
    for (const status of Object.values(TicketStatus)) ids[status] = (await s.ticket({ status })).id;
    return ids;
  }

  test('status', async () => {
    const s = await scene();
    const ids = await oneOfEach(s);
    expect(await found({ ...s.mine, status: 'COMPLETED' })).toEqual([ids.COMPLETED]);
  });

  test('statuses', async () => {
    const s = await scene();
    const ids = await oneOfEach(s);
    const expected = [ids.NEW!, ids.CANCELED!].sort();
    expect(await found({ ...s.mine, statuses: ['NEW', 'CANCELED'] })).toEqual(expected);
  });

  test('missed', async () => {
    const s = await scene();
    const missed = await s.ticket({ isMissed: true });
    const onTime = await s.ticket({ isMissed: false });
    expect(await found({ ...s.mine, missed: true })).toEqual(idsOf(missed));
    expect(await found({ ...s.mine, missed: false })).toEqual(idsOf(onTime));
  });

  test('keywords TEXT: words of name or title, accents and case ignored', async () => {
    const s = await scene();
    const an = await make.customer({ fullName: 'Nguyễn Văn An' });
    const binh = await make.customer({ fullName: 'Trần Văn Bình' });
    const hoa = await make.customer({ fullName: 'Nguyễn Thị Hoa' });
    const anTicket = await createViaApi(s.branch.id, an, 'Tư vấn gói cước');
    await createViaApi(s.branch.id, binh, 'Tư vấn gói cước');
    const hoaTicket = await createViaApi(s.branch.id, hoa, 'Bảo hành máy lọc nước');
    // Written without diacritics in the CRM, typed with them: still found.
    const plain = await make.customer({ fullName: 'Dang Thi Lan' });
    const plainTicket = await createViaApi(s.branch.id, plain, 'Tu van');
    expect(await found({ ...s.mine, keywords: 'nguyen van' })).toEqual([anTicket]);
    expect(await found({ ...s.mine, keywords: '  NGUYỄN   văn ', mode: 'TEXT' })).toEqual([
      anTicket,
    ]);
    expect(await found({ ...s.mine, keywords: 'bao hanh' })).toEqual([hoaTicket]);
    expect(await found({ ...s.mine, keywords: 'nguyen van hoa' })).toEqual([]);
    expect(await found({ ...s.mine, keywords: 'Đặng THỊ' })).toEqual([plainTicket]);
  });

  test('keywords NUMBER_SEQUENCE: the digits typed, inside the phone whatever the formatting', async () => {
    const s = await scene();
    const target = await make.customer({ fullName: 'Lê Minh', phone: '+84912345678' });
    const other = await make.customer({ fullName: 'Phạm Thu', phone: '+84987654321' });
    const hit = await createViaApi(s.branch.id, target, 'Gọi lại');
    await createViaApi(s.branch.id, other, 'Gọi lại');
    for (const typed of ['0912 345', '+84 912-345', '(091) 234.5678', '45678']) {
      expect(await found({ ...s.mine, keywords: typed, mode: 'NUMBER_SEQUENCE' })).toEqual([hit]);
    }
    const tooShort = await t.gql(LIST, { filter: { keywords: '0 9', mode: 'NUMBER_SEQUENCE' } });
    expect(tooShort.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  // The mode's contract (schema and src/services/tickets/ticket-filter.ts) is "inside a phone number":
  // digits in a title, such as an order number, are not a phone number.
  test('keywords NUMBER_SEQUENCE does not match digits written in the title', async () => {
    const s = await scene();
    const phoneHolder = await make.customer({ phone: '+84912345678' });
    const titleOnly = await make.customer({ phone: '+84987654321' });
    const hit = await createViaApi(s.branch.id, phoneHolder, 'Gọi lại');
    await createViaApi(s.branch.id, titleOnly, 'Đơn 0912345 giao chậm');
    expect(await found({ ...s.mine, keywords: '0912 345', mode: 'NUMBER_SEQUENCE' })).toEqual([
      hit,
    ]);
  });

  test('assignees', async () => {
    const s = await scene();
    const [a, b] = [await make.user(), await make.user()];
    const ofA = await s.ticket({}, { assignee: a });
    await s.ticket({}, { assignee: b });
    await s.ticket();
    expect(await found({ ...s.mine, assignees: [a.id] })).toEqual(idsOf(ofA));
  });

  test('curators', async () => {
    const s = await scene();
    const [a, b] = [await make.user(), await make.user()];
    const byA = await s.ticket({ inCharge: a.id as never });
    await s.ticket({ inCharge: b.id as never });
    await s.ticket({}, { assignee: a });
    expect(await found({ ...s.mine, curators: [a.id] })).toEqual(idsOf(byA));
  });

  test('branchIds', async () => {
    const one = await scene();
    const two = await scene();
    const three = await scene();
    const inOne = await one.ticket();
    const inTwo = await two.ticket();
    await three.ticket();
    expect(await found({ branchIds: [one.branch.id] })).toEqual(idsOf(inOne));
    expect(await found({ branchIds: [one.branch.id, two.branch.id] })).toEqual(idsOf(inOne, inTwo));
  });

  test('customerId', async () => {
    const s = await scene();
    const other = await make.customer();
    const theirs = await s.ticket({}, { customer: other });
    await s.ticket();
    expect(await found({ ...s.mine, customerId: other.id })).toEqual(idsOf(theirs));
  });

  test('customerLabels: any of the labels, each ticket once', async () => {
    const s = await scene();
    const both = await make.customer();
    const loyalOnly = await make.customer();
    const vip = await labelOf(`VIP-${s.branch.code}`, both);
    const loyal = await labelOf(`LOYAL-${s.branch.code}`, both, loyalOnly);
    const ofBoth = await s.ticket({}, { customer: both });
    const ofLoyal = await s.ticket({}, { customer: loyalOnly });
    await s.ticket(); // its customer has no label
    expect(await found({ ...s.mine, customerLabels: [vip.id] })).toEqual(idsOf(ofBoth));
    // A customer holding both labels must not make its ticket appear twice.
    expect(await found({ ...s.mine, customerLabels: [vip.id, loyal.id] })).toEqual(
      idsOf(ofBoth, ofLoyal),
    );
  });

  test('targets', async () => {
    const s = await scene();
    const cs = await s.ticket({
      target: TicketTarget.CUSTOMER_SERVICE,
      belongTo: TicketTarget.CUSTOMER_SERVICE,
    });
    await s.ticket({ target: TicketTarget.TELESALES });
    expect(await found({ ...s.mine, targets: ['CUSTOMER_SERVICE'] })).toEqual(idsOf(cs));
  });

  test('ticketSources', async () => {
    const s = await scene();
    const complaint = await s.ticket({ source: TicketSource.COMPLAINT });
    const birthday = await s.ticket({ source: TicketSource.BIRTHDAY });
    await s.ticket({ source: TicketSource.MANUAL });
    expect(await found({ ...s.mine, ticketSources: ['COMPLAINT', 'BIRTHDAY'] })).toEqual(
      idsOf(complaint, birthday),
    );
  });

  test('ticketResults', async () => {
    const s = await scene();
    const later = await s.ticket({
      status: TicketStatus.COMPLETED,
      result: TicketResult.CALL_LATER,
    });
    await s.ticket({ status: TicketStatus.COMPLETED, result: TicketResult.WRONG_NUMBER });
    await s.ticket();
    expect(await found({ ...s.mine, ticketResults: ['CALL_LATER'] })).toEqual(idsOf(later));
  });

  test('dueFrom is inclusive, dueTo exclusive', async () => {
    const s = await scene();
    const from = new Date('2026-03-02T03:00:00.000Z');
    const to = new Date('2026-03-05T03:00:00.000Z');
    const atFrom = await s.ticket({ dueAt: from });
    const inside = await s.ticket({ dueAt: new Date(to.getTime() - 1) });
    await s.ticket({ dueAt: new Date(from.getTime() - 1) });
    await s.ticket({ dueAt: to });
    await s.ticket();
    const range = { dueFrom: from.toISOString(), dueTo: to.toISOString() };
    expect(await found({ ...s.mine, ...range })).toEqual(idsOf(atFrom, inside));
    expect(await found({ ...s.mine, dueFrom: to.toISOString() })).toHaveLength(1);
    const reversed = await t.gql(LIST, { filter: { dueFrom: to, dueTo: from } });
    expect(reversed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('timeLabel, in Vietnam business days relative to the real time', () => {
    const OPEN = [TicketStatus.NEW, TicketStatus.ASSIGNED];
    /** The bucket rules, reckoned here from Vietnamese day and week numbers. */
    const rules: Record<string, (due: Date, status: TicketStatus, now: Date) => boolean> = {
      OVERDUE: (due, status, now) => due < now && OPEN.includes(status),
      TODAY: (due, _, now) => vnDayNumber(due) === vnDayNumber(now),
      TOMORROW: (due, _, now) => vnDayNumber(due) === vnDayNumber(now) + 1,
      THIS_WEEK: (due, _, now) => vnWeekNumber(due) === vnWeekNumber(now),
      NEXT_WEEK: (due, _, now) => vnWeekNumber(due) === vnWeekNumber(now) + 1,
    };

    test.each(['OVERDUE', 'TODAY', 'TOMORROW', 'THIS_WEEK', 'NEXT_WEEK', 'NO_DUE_DATE'])(
      '%s',
      async (label) => {
        const s = await scene();
        const now = new Date();
        const monday = (vnDayNumber(now) + 3) % 7; // days since this week's Monday
        const dues: [Date | undefined, TicketStatus][] = [
          [vnMidnight(now, -1, DAY - 60_000), TicketStatus.ASSIGNED], // yesterday 23:59
          [vnMidnight(now, -1, 12 * HOUR), TicketStatus.COMPLETED], // past, but closed
          [vnMidnight(now, -1, 12 * HOUR), TicketStatus.CANCELED],
          [vnMidnight(now, 0), TicketStatus.NEW], // today 00:00
          [new Date(now.getTime() - 60_000), TicketStatus.ASSIGNED],
          [new Date(now.getTime() + 60_000), TicketStatus.ASSIGNED],
          [vnMidnight(now, 0, 23 * HOUR), TicketStatus.ASSIGNED], // today 23:00
          [vnMidnight(now, 1, 30 * 60_000), TicketStatus.ASSIGNED], // tomorrow 00:30
          [vnMidnight(now, 2, 30 * 60_000), TicketStatus.ASSIGNED],
          [vnMidnight(now, -monday - 1, DAY - 60_000), TicketStatus.NEW], // last Sunday 23:59
          [vnMidnight(now, -monday), TicketStatus.NEW], // this Monday 00:00
          [vnMidnight(now, 6 - monday, DAY - 60_000), TicketStatus.NEW], // this Sunday 23:59
          [vnMidnight(now, 7 - monday), TicketStatus.NEW], // next Monday 00:00
          [vnMidnight(now, 13 - monday, DAY - 60_000), TicketStatus.NEW], // next Sunday 23:59
          [vnMidnight(now, 14 - monday), TicketStatus.NEW], // the Monday after
          [undefined, TicketStatus.NEW],
          [undefined, TicketStatus.COMPLETED],
        ];
        const expected: string[] = [];
        for (const [dueAt, status] of dues) {
          const ticket = await s.ticket({ dueAt, status });
          const hit = dueAt ? (rules[label]?.(dueAt, status, now) ?? false) : !rules[label];
          if (hit) expected.push(ticket.id);
        }
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(dues.length);
        expect(await found({ ...s.mine, timeLabel: label })).toEqual(expected.sort());
      },
    );
  });
});

test('all filters at once find exactly the ticket that meets every one', async () => {
  const now = new Date();
  const [branch, otherBranch] = [await make.branch(), await make.branch()];
  const [staff, otherStaff] = [await make.user(), await make.user()];
  const [curator, otherCurator] = [await make.user(), await make.user()];
  const an = () => make.customer({ fullName: 'Nguyễn Văn An' });
  const [customer, otherCustomer, unlabeled] = [await an(), await an(), await an()];
  const label = await labelOf(`VIP-${branch.code}`, customer, otherCustomer);

  const match = {
    title: 'Bảo hành máy lọc nước',
    status: TicketStatus.COMPLETED,
    isMissed: true,
    inCharge: curator.id as never,
    target: TicketTarget.TELESALES,
    belongTo: TicketTarget.TELESALES,
    source: TicketSource.COMPLAINT,
    result: TicketResult.CALL_LATER,
    dueAt: vnMidnight(now, 0, 10 * HOUR),
  };
  const make1 = (
    overrides: Partial<typeof match> = {},
    refs: { customer?: Customer; branch?: typeof branch; assignee?: typeof staff } = {},
  ) => {
    const c = refs.customer ?? customer;
    const fields = { ...match, ...overrides };
    return make.ticket(
      { customer: c, branch: refs.branch ?? branch, assignee: refs.assignee ?? staff },
      { ...fields, keywords: ticketKeywords(fields.title, c), phoneDigits: phoneDigits(c.phone) },
    );
  };
  const hit = await make1();
  // Each variant differs from the match in one field. Where two filters read the same
  // field (customer for customerId and labels, dueAt for the range and the label),
  // the variant fails both.
  await make1({ status: TicketStatus.ASSIGNED });
  await make1({ isMissed: false });
  await make1({ title: 'Đổi trả hàng' });
  await make1({}, { assignee: otherStaff });
  await make1({ inCharge: otherCurator.id as never });
  await make1({}, { branch: otherBranch });
  await make1({}, { customer: otherCustomer });
  await make1({}, { customer: unlabeled });
  await make1({ target: TicketTarget.CUSTOMER_SERVICE, belongTo: TicketTarget.CUSTOMER_SERVICE });
  await make1({ source: TicketSource.MANUAL });
  await make1({ result: TicketResult.WRONG_NUMBER });
  await make1({ dueAt: vnMidnight(now, 0, 8 * HOUR) }); // before dueFrom, still today
  await make1({ dueAt: vnMidnight(now, 1, 8 * HOUR) }); // inside the range, but tomorrow
  await make1({ dueAt: vnMidnight(now, 1, 9 * HOUR) }); // at dueTo (and tomorrow)

  const filter = {
    status: 'COMPLETED',
    statuses: ['COMPLETED'],
    missed: true,
    keywords: 'bao hanh',
    mode: 'TEXT',
    assignees: [staff.id],
    curators: [curator.id],
    branchIds: [branch.id],
    customerId: customer.id,
    customerLabels: [label.id],
    targets: ['TELESALES'],
    ticketSources: ['COMPLAINT'],
    ticketResults: ['CALL_LATER'],
    dueFrom: vnMidnight(now, 0, 9 * HOUR).toISOString(),
    dueTo: vnMidnight(now, 1, 9 * HOUR).toISOString(),
    timeLabel: 'TODAY',
  };
  expect(await found(filter)).toEqual(idsOf(hit));
  // Sanity: without the narrowing filters the variants are there to be excluded.
  expect(await found({ branchIds: [branch.id, otherBranch.id] })).toHaveLength(15);
});

describe('sort by DUE_AT with cursors', () => {
  async function dataset() {
    const s = await scene();
    const base = Date.UTC(2026, 5, 1, 2);
    const dated: Ticket[] = [];
    const undated: Ticket[] = [];
    // Three tickets share 2h: the id breaks the tie, across a page boundary.
    for (const h of [5, 1, 2, 3, 0, 2, 4, 2]) {
      dated.push(await s.ticket({ dueAt: new Date(base + h * HOUR) }));
    }
    for (let i = 0; i < 4; i += 1) undated.push(await s.ticket());
    const byDueThenId = (dir: 1 | -1) => (a: Ticket, b: Ticket) =>
      dir * (a.dueAt!.getTime() - b.dueAt!.getTime()) || dir * (a.id < b.id ? -1 : 1);
    const byId = (dir: 1 | -1) => (a: Ticket, b: Ticket) => dir * (a.id < b.id ? -1 : 1);
    return { s, dated, undated, byDueThenId, byId };
  }

  async function walk(filter: Record<string, unknown>, sort: Record<string, unknown>) {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: GraphQLResponse<Page> = await t.gql(LIST, { filter, sort, first: 3, after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.tickets.edges.map((e) => e.node.id));
      after = res.data!.tickets.pageInfo.hasNextPage ? res.data!.tickets.pageInfo.endCursor : null;
      pages += 1;
      expect(pages).toBeLessThan(10);
    } while (after);
    return { seen, pages };
  }

  test('ASC walks every page once, earliest first, tickets without a due date last', async () => {
    const { s, dated, undated, byDueThenId, byId } = await dataset();
    const expected = [...dated.sort(byDueThenId(1)), ...undated.sort(byId(1))].map((x) => x.id);
    const { seen, pages } = await walk(s.mine, { field: 'DUE_AT', direction: 'ASC' });
    expect(seen).toEqual(expected);
    expect(pages).toBe(4);
    // ASC is the default direction for DUE_AT.
    expect((await walk(s.mine, { field: 'DUE_AT' })).seen).toEqual(expected);
  });

  test('DESC walks every page once, latest first, tickets without a due date still last', async () => {
    const { s, dated, undated, byDueThenId, byId } = await dataset();
    const expected = [...dated.sort(byDueThenId(-1)), ...undated.sort(byId(-1))].map((x) => x.id);
    const { seen } = await walk(s.mine, { field: 'DUE_AT', direction: 'DESC' });
    expect(seen).toEqual(expected);
  });
});
