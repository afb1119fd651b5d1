import { TicketsPageDocument, type TicketsPageQuery } from './generated/graphql';
import { factories } from './support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

async function statementsFor(first: number): Promise<number> {
  const before = t.db.sqlStatements.count;
  const res = await t.run(TicketsPageDocument, { first });
  expect(res.errors).toBeUndefined();
  expect(res.data!.tickets.edges).toHaveLength(first);
  return t.db.sqlStatements.count - before;
}

describe('a page of tickets with nested relations', () => {
  beforeAll(async () => {
    // 60 tickets, each with its own customer, assignee and branch, and two notes.
    for (let i = 0; i < 60; i += 1) {
      const branch = await make.branch();
      const assignee = await make.user();
      const customer = await make.customer();
      const ticket = await make.ticket({ customer, branch, assignee });
      await make.note(ticket, assignee, `older note ${i}`, new Date(Date.now() - 60_000));
      await make.note(ticket, assignee, `newest note ${i}`);
    }
  });

  test('costs the same number of SQL statements for 10 and for 50 tickets', async () => {
    const ten = await statementsFor(10);
    const fifty = await statementsFor(50);
    // viewer, and tickets with their customers, assignees, branches, latest notes, note authors and count
    expect(ten).toBe(fifty);
    expect(fifty).toBeLessThanOrEqual(2);
  });

  test('resolves every nested relation to the right row', async () => {
    const res = await t.run(TicketsPageDocument, { first: 50 });
    for (const { node } of res.data!.tickets.edges) {
      expect(node.customer).not.toBeNull();
      expect(node.assignee).not.toBeNull();
      expect(node.branch).not.toBeNull();
      expect(node.latestNote?.body).toMatch(/^newest note/);
      expect(node.latestNote?.author?.email).toMatch(/@test\.local$/);
    }
  });

  test('walks every ticket once with keyset cursors and reports totalCount', async () => {
    const seen: string[] = [];
    let after: string | null | undefined = null;
    let pages = 0;
    do {
      const res: GraphQLResponse<TicketsPageQuery> = await t.run(TicketsPageDocument, {
        first: 25,
        after,
      });
      const page: TicketsPageQuery['tickets'] = res.data!.tickets;
      expect(page.totalCount).toBe(60);
      seen.push(...page.edges.map((edge) => edge.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(60);
  });
});

describe('bad input', () => {
  const codeOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    res.errors?.[0]?.extensions?.code;

  test('first above 100 is BAD_USER_INPUT naming the limit', async () => {
    const res = await t.gql('{ tickets(first: 101) { totalCount } }');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(/first must be between 0 and 100/);
  });

  test('a negative first is BAD_USER_INPUT', async () => {
    const res = await t.gql('{ orders(first: -1) { totalCount } }');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  test('a malformed cursor is BAD_USER_INPUT', async () => {
    const res = await t.gql('{ customers(after: "not-a-cursor") { totalCount } }');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(/malformed cursor/);
  });

  test('a cursor from a list with another sort order is BAD_USER_INPUT', async () => {
    const page = await t.run(TicketsPageDocument, { first: 1 });
    const cursor = page.data!.tickets.pageInfo.endCursor;
    const res = await t.gql('query($after: String) { orders(after: $after) { totalCount } }', {
      after: cursor,
    });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  test('an unknown enum value, inline or as a variable, is BAD_USER_INPUT', async () => {
    const inline = await t.gql('{ tickets(filter: { status: BOGUS }) { totalCount } }');
    expect(codeOf(inline)).toBe('BAD_USER_INPUT');
    expect(inline.errors![0]!.message).toMatch(/BOGUS/);
    const variable = await t.gql('query($f: TicketFilter) { tickets(filter: $f) { totalCount } }', {
      f: { statuses: ['NOPE'] },
    });
    expect(codeOf(variable)).toBe('BAD_USER_INPUT');
  });

  test('a malformed id is BAD_USER_INPUT and an unknown one NOT_FOUND', async () => {
    const malformed = await t.gql('{ ticket(id: "42") { id } }');
    expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
    const unknown = await t.gql('{ order(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(codeOf(unknown)).toBe('NOT_FOUND');
  });

  test('a syntax error is BAD_USER_INPUT', async () => {
    const res = await t.gql('{ tickets(first: ) }');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  test('a query nested deeper than the limit is rejected', async () => {
    const res = await t.gql(
      '{ tickets { edges { node { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { rootTicket { id } } } } } } } } } } } } }',
    );
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });
});
