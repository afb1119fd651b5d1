/**
 * List pages read the to-one relations a client asks for in the page's own
 * statement (services/shared/rows.ts RowJoin) and hand them to the loaders:
 * the answer must be what the loaders alone give, however the client spells
 * the selection, and a relation under a row scope is never read that way.
 */
import { Channel, Conversation, Message, User, type Customer, type Ticket } from '../src/entities';
import { findRows, rowsByIds } from '../src/services/shared/rows';
import {
  ConversationStatus,
  MessageDirection,
  MessageSender,
  Platform,
  Role,
} from '../src/entities/enums';
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

test("a tickets page's latest notes, their authors and the count come in the page's statement and answer as the per-ticket lookup does", async () => {
  const branch = await make.branch();
  const authors = [await make.user(), await make.user()];
  const tickets: Ticket[] = [];
  for (let i = 0; i < 5; i += 1)
    tickets.push(await make.ticket({ branch, customer: await make.customer() }));
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
  // No note; one note; three notes, the newest not the last written; two notes at the same instant.
  await make.note(tickets[1]!, authors[0]!, 'only', at(5));
  await make.note(tickets[2]!, authors[0]!, 'older', at(30));
  await make.note(tickets[2]!, authors[1]!, 'newest', at(1));
  await make.note(tickets[2]!, authors[0]!, 'middle', at(10));
  await make.note(tickets[3]!, authors[0]!, 'same instant a', at(2));
  await make.note(tickets[3]!, authors[1]!, 'same instant b', at(2));
  await make.note(tickets[4]!, authors[1]!, 'one more', at(3));
  const filter = { branchIds: [branch.id] };
  type Node = {
    id: string;
    latestNote: { id: string; body: string; author: { id: string; email: string } | null } | null;
  };
  const page = `query($filter: TicketFilter) { tickets(first: 5, filter: $filter) { total: totalCount
    edges { node { id latestNote { id body ... on TicketNote { author { id email } } } } } } }`;
  const before = t.db.sqlStatements.count;
  const res = await t.gql<{ tickets: { total: number; edges: { node: Node }[] } }>(page, {
    filter,
  });
  const statements = t.db.sqlStatements.count - before;
  expect(res.errors).toBeUndefined();
  const idsOnly = t.db.sqlStatements.count;
  await t.gql(
    'query($filter: TicketFilter) { tickets(first: 5, filter: $filter) { edges { node { id } } } }',
    { filter },
  );
  expect(statements).toBe(t.db.sqlStatements.count - idsOnly);

  const nodes = res.data!.tickets.edges.map(({ node }) => node);
  expect(nodes.map((node) => node.id).sort()).toEqual(tickets.map((ticket) => ticket.id).sort());
  for (const node of nodes) {
    const one = await t.gql<{ ticket: Node }>(
      'query($id: ID!) { ticket(id: $id) { id latestNote { id body author { id email } } } }',
      { id: node.id },
    );
    expect(node).toEqual(one.data!.ticket);
  }
  expect(nodes.find((node) => node.id === tickets[0]!.id)!.latestNote).toBeNull();
  expect(nodes.find((node) => node.id === tickets[2]!.id)!.latestNote!.body).toBe('newest');
  // An empty page reads no row to carry the count: the count is then its own statement, alike.
  const empty = await t.gql<{ tickets: { totalCount: number } }>(
    'query($filter: TicketFilter) { tickets(first: 0, filter: $filter) { totalCount } }',
    { filter },
  );
  expect(res.data!.tickets.total).toBe(5);
  expect(empty.data!.tickets.totalCount).toBe(5);
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

test("a customers page's newest orders come in the page's statement when asked with first: 1, and answer as the per-customer lookup does", async () => {
  const branch = await make.branch();
  const shop = await make.channel({ platform: Platform.SHOPEE });
  const customers: Customer[] = [];
  for (let i = 0; i < 4; i += 1)
    customers.push(await make.customer({ branch: branch.id as never }));
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
  // No order; one; three, the newest not the last written; two placed at the same instant.
  await make.order({ channel: shop, customer: customers[1]! }, { placedAt: at(5) });
  await make.order({ channel: shop, customer: customers[2]! }, { placedAt: at(30) });
  await make.order({ channel: shop, customer: customers[2]! }, { placedAt: at(1) });
  await make.order({ channel: shop, customer: customers[2]! }, { placedAt: at(10) });
  await make.order({ channel: shop, customer: customers[3]! }, { placedAt: at(2) });
  await make.order({ channel: shop, customer: customers[3]! }, { placedAt: at(2) });
  const filter = { branchIds: [branch.id] };
  type Node = { id: string; orders: { id: string; status: string; total: number }[] };
  const pageOf = async (orders: string) => {
    const before = t.db.sqlStatements.count;
    const res = await t.gql<{ customers: { edges: { node: Node }[] } }>(
      `query($filter: CustomerFilter) { customers(first: 10, filter: $filter) { edges { node { id ${orders} } } } }`,
      { filter },
    );
    expect(res.errors).toBeUndefined();
    return {
      nodes: res.data!.customers.edges.map(({ node }) => node),
      statements: t.db.sqlStatements.count - before,
    };
  };
  const ids = await pageOf('');
  const newest = await pageOf('orders(first: 1) { id status total }');
  expect(newest.statements).toBe(ids.statements);
  expect(newest.nodes).toHaveLength(4);
  for (const node of newest.nodes) {
    const one = await t.gql<{ customer: Node }>(
      'query($id: ID!) { customer(id: $id) { id orders(first: 1) { id status total } } }',
      { id: node.id },
    );
    expect(node).toEqual(one.data!.customer);
  }
  expect(newest.nodes.find((node) => node.id === customers[0]!.id)!.orders).toEqual([]);
  // Asked for more than one, or with two values under aliases: the loader answers, the same way.
  const three = await pageOf('orders(first: 3) { id }');
  expect(three.nodes.find((node) => node.id === customers[2]!.id)!.orders).toHaveLength(3);
  const mixed = await pageOf('orders(first: 1) { id } more: orders(first: 2) { id }');
  const mixedNode = mixed.nodes.find((node) => node.id === customers[2]!.id) as Node & {
    more: { id: string }[];
  };
  expect(mixedNode.orders).toEqual(
    newest.nodes.find((node) => node.id === customers[2]!.id)!.orders.map(({ id }) => ({ id })),
  );
  expect(mixedNode.more).toHaveLength(2);
});

test("an inbox page's newest messages come in the page's statement when asked with first: 1, with hasNextPage, as the per-conversation lookup answers", async () => {
  const page = await make.channel({ platform: Platform.FACEBOOK });
  const em = t.orm.em.fork();
  const base = Date.UTC(2026, 10, 1);
  // No message; one; three; two sent at the same instant.
  const counts = [0, 1, 3, 2];
  const conversations = counts.map((count, n) => {
    const conversation = em.create(Conversation, {
      channel: page.id,
      externalThreadId: `inbox-thread-${n}`,
      status: ConversationStatus.OPEN,
    });
    for (let i = 0; i < count; i += 1) {
      em.create(Message, {
        conversation,
        channel: page.id,
        externalMessageId: `inbox-${n}-${i}`,
        direction: MessageDirection.INBOUND,
        sender: MessageSender.CUSTOMER,
        body: `tin ${n}-${i}`,
        sentAt: new Date(n === 3 ? base : base + i * 60_000),
      });
    }
    return conversation;
  });
  await em.flush();
  const messages =
    'messages(first: 1) { pageInfo { hasNextPage endCursor } edges { cursor node { id body sentAt } } }';
  type Node = { id: string; messages: unknown };
  const list = async (selection: string) => {
    const before = t.db.sqlStatements.count;
    const res = await t.gql<{ conversations: { edges: { node: Node }[] } }>(
      `query($ids: [ID!]) { conversations(first: 10, filter: { channelIds: $ids }) { edges { node { id ${selection} } } } }`,
      { ids: [page.id] },
    );
    expect(res.errors).toBeUndefined();
    return {
      nodes: res.data!.conversations.edges.map(({ node }) => node),
      statements: t.db.sqlStatements.count - before,
    };
  };
  const ids = await list('');
  const inbox = await list(messages);
  expect(inbox.statements).toBe(ids.statements);
  expect(inbox.nodes.map((node) => node.id).sort()).toEqual(conversations.map((c) => c.id).sort());
  for (const node of inbox.nodes) {
    const one = await t.gql<{ conversation: Node }>(
      `query($id: ID!) { conversation(id: $id) { id ${messages} } }`,
      { id: node.id },
    );
    expect(node).toEqual(one.data!.conversation);
  }
  const more = (index: number) =>
    (
      inbox.nodes.find((node) => node.id === conversations[index]!.id)!.messages as {
        pageInfo: { hasNextPage: boolean };
      }
    ).pageInfo.hasNextPage;
  expect(counts.map((_, index) => more(index))).toEqual([false, false, true, true]);
});

test('rows read for a page leave out lazy properties: no password hash, no sealed channel credential', async () => {
  const user = await make.user();
  const channel = await make.channel({ accessToken: 'seller-token', refreshToken: 'refresh' });
  const em = t.orm.em.fork();
  const [userRow] = await rowsByIds(em, User, [user.id]);
  const [channelRow] = await rowsByIds(em, Channel, [channel.id]);
  expect(userRow).toMatchObject({ id: user.id, email: user.email });
  expect(userRow).not.toHaveProperty('passwordHash');
  expect(channelRow).toMatchObject({ id: channel.id, platform: channel.platform });
  for (const sealed of ['accessToken', 'refreshToken', 'shopSecret'])
    expect(channelRow).not.toHaveProperty(sealed);
  const [found] = await findRows(em, Channel, { id: channel.id });
  expect(found).not.toHaveProperty('accessToken');
  // The ORM still loads them where asked for, as the order API does.
  const sealed = await em.fork().findOneOrFail(Channel, channel.id, { populate: ['accessToken'] });
  expect(sealed.accessToken).toBe('seller-token');
});
