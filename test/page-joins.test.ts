/**
 * List pages read the to-one relations a client asks for in the page's own
 * statement (services/shared/rows.ts RowJoin) and hand them to the loaders:
 * the answer must be what the loaders alone give, however the client spells
 * the selection, and a relation under a row scope is never read that way.
 */
import { Platform, Role } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

type TicketNode = {
  id: string;
  title: string;
  customer: { id: string; fullName: string } | null;
  assignee: { id: string; email: string } | null;
  branch: { id: string; code: string } | null;
};

test('a tickets page answers its customers, assignees and branches as the per-ticket lookup does, at no statement per relation', async () => {
  const branch = await make.branch();
  const agent = await make.user({ role: Role.TELESALES });
  for (let i = 0; i < 6; i += 1) {
    const customer = await make.customer();
    await make.ticket(
      { customer, branch, ...(i % 2 === 0 ? { assignee: agent } : {}) },
      { titleNamesCustomer: i % 3 === 0 },
    );
  }
  // Aliases, a named fragment and an inline fragment: the joins follow all of them.
  const page = `query { list: tickets(first: 6) { edges { node { ...Row } } } }
    fragment Row on Ticket { id title who: customer { id fullName }
      ... on Ticket { assignee { id email } branch { id code } } }`;
  const before = t.db.sqlStatements.count;
  const res = await t.gql<{ list: { edges: { node: TicketNode }[] } }>(page);
  const withRelations = t.db.sqlStatements.count - before;
  expect(res.errors).toBeUndefined();
  const nodes = res.data!.list.edges.map(({ node }) => node);
  expect(nodes).toHaveLength(6);

  const idsOnly = t.db.sqlStatements.count;
  await t.gql(`query { tickets(first: 6) { edges { node { id } } } }`);
  expect(withRelations).toBe(t.db.sqlStatements.count - idsOnly);

  for (const node of nodes) {
    const one = await t.gql<{
      ticket: Omit<TicketNode, 'customer'> & { who: TicketNode['customer'] };
    }>(
      `query($id: ID!) { ticket(id: $id) { id title who: customer { id fullName }
        assignee { id email } branch { id code } } }`,
      { id: node.id },
    );
    expect(node).toEqual(one.data!.ticket);
  }
  expect(nodes.some((node) => node.assignee === null)).toBe(true);
  expect(nodes.filter((node) => node.assignee?.id === agent.id)).toHaveLength(3);
});

test("a partner key's orders page still answers no customer: the customer's scope keeps it out of the join", async () => {
  const shop = await make.channel({ platform: Platform.SHOPEE });
  const customer = await make.customer();
  await make.order({ channel: shop, customer });
  const key = await t.gql<{ createApiKey: { secret: string } }>(
    'mutation($ids: [ID!]!) { createApiKey(name: "ERP", channelIds: $ids) { secret } }',
    { ids: [shop.id] },
  );
  const asPartner = await t.gql<{
    orders: { edges: { node: { customer: unknown; channel: { id: string } } }[] };
  }>(
    `query { orders(first: 5) { edges { node { customer { id fullName } channel { id } } } } }`,
    {},
    { apiKey: key.data!.createApiKey.secret },
  );
  expect(asPartner.errors).toBeUndefined();
  expect(asPartner.data!.orders.edges).toEqual([
    { node: { customer: null, channel: { id: shop.id } } },
  ]);
  const asAdmin = await t.gql<{
    orders: { edges: { node: { customer: { id: string } | null } }[] };
  }>(
    `query($shop: [ID!]) { orders(first: 5, filter: { channelIds: $shop }) { edges { node { customer { id } } } } }`,
    {
      shop: [shop.id],
    },
  );
  expect(asAdmin.errors).toBeUndefined();
  expect(asAdmin.data!.orders.edges.map(({ node }) => node.customer)).toEqual([
    { id: customer.id },
  ]);
});
