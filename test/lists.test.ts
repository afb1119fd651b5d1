import { ConversationStatus, OrderStatus, Platform } from '../src/entities/enums';
import { Conversation, Message } from '../src/entities';
import { MessageDirection, MessageSender } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

test('customers with their orders, tickets and labels cost the same statements for 5 and 20 customers', async () => {
  const shop = await make.channel({ platform: Platform.LAZADA });
  const branch = await make.branch();
  for (let i = 0; i < 20; i += 1) {
    const customer = await make.customer();
    await make.order({ channel: shop, customer });
    await make.order({ channel: shop, customer });
    await make.ticket({ customer, branch });
  }
  const query = `query($first: Int) { customers(first: $first) { edges { node {
    id labels { code } branch { code }
    orders(first: 5) { id channel { name } items { sku } history { status } }
    tickets(first: 5) { id branch { code } }
    conversations(first: 5) { id }
  } } } }`;
  const statements = async (first: number) => {
    const before = t.db.sqlStatements.count;
    const res = await t.gql<{
      customers: { edges: { node: { orders: unknown[]; tickets: unknown[] } }[] };
    }>(query, { first });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers.edges).toHaveLength(first);
    for (const { node } of res.data!.customers.edges) {
      expect(node.orders).toHaveLength(2);
      expect(node.tickets).toHaveLength(1);
    }
    return t.db.sqlStatements.count - before;
  };
  expect(await statements(5)).toBe(await statements(20));
});

test('orders filter by platform and status, newest placed first', async () => {
  const shopee = await make.channel({ platform: Platform.SHOPEE });
  const tiki = await make.channel({ platform: Platform.TIKI });
  const old = await make.order(
    { channel: shopee },
    { status: OrderStatus.SHIPPED, placedAt: new Date('2026-01-01T00:00:00Z') },
  );
  const recent = await make.order(
    { channel: shopee },
    { status: OrderStatus.SHIPPED, placedAt: new Date('2026-02-01T00:00:00Z') },
  );
  await make.order({ channel: tiki }, { status: OrderStatus.SHIPPED });
  await make.order({ channel: shopee }, { status: OrderStatus.CANCELLED });
  const res = await t.gql<{
    orders: { totalCount: number; edges: { node: { id: string; platform: string } }[] };
  }>(
    `query($channelIds: [ID!]) { orders(filter: { platforms: [SHOPEE], statuses: [SHIPPED], channelIds: $channelIds }) {
      totalCount edges { node { id platform } } } }`,
    { channelIds: [shopee.id] },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.orders.totalCount).toBe(2);
  expect(res.data!.orders.edges.map((e) => e.node.id)).toEqual([recent.id, old.id]);
});

test('a conversation pages its messages newest first', async () => {
  const page = await make.channel({ platform: Platform.FACEBOOK });
  const customer = await make.customer();
  const em = t.orm.em.fork();
  const conversation = em.create(Conversation, {
    channel: page.id,
    externalThreadId: 'thread-1',
    customer: customer.id,
    status: ConversationStatus.OPEN,
  });
  for (let i = 0; i < 5; i += 1) {
    em.create(Message, {
      conversation,
      channel: page.id,
      externalMessageId: `mid-${i}`,
      direction: MessageDirection.INBOUND,
      sender: MessageSender.CUSTOMER,
      body: `Tin nhắn ${i}`,
      sentAt: new Date(Date.UTC(2026, 10, 1, 0, i)),
    });
  }
  await em.flush();
  const query = `query($id: ID!, $after: String) { conversation(id: $id) {
    customer { id } channel { platform }
    messages(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { body } } }
  } }`;
  type Result = {
    conversation: {
      customer: { id: string };
      messages: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { body: string } }[];
      };
    };
  };
  const first = await t.gql<Result>(query, { id: conversation.id });
  expect(first.errors).toBeUndefined();
  expect(first.data!.conversation.customer.id).toBe(customer.id);
  expect(first.data!.conversation.messages.totalCount).toBe(5);
  expect(first.data!.conversation.messages.edges.map((e) => e.node.body)).toEqual([
    'Tin nhắn 4',
    'Tin nhắn 3',
    'Tin nhắn 2',
  ]);
  const second = await t.gql<Result>(query, {
    id: conversation.id,
    after: first.data!.conversation.messages.pageInfo.endCursor,
  });
  expect(second.data!.conversation.messages.edges.map((e) => e.node.body)).toEqual([
    'Tin nhắn 1',
    'Tin nhắn 0',
  ]);
  expect(second.data!.conversation.messages.pageInfo.hasNextPage).toBe(false);

  const list = await t.gql<{ conversations: { totalCount: number } }>(
    `query($c: ID) { conversations(filter: { customerId: $c, statuses: [OPEN] }) { totalCount } }`,
    { c: customer.id },
  );
  expect(list.data!.conversations.totalCount).toBe(1);
});

test('tickets filter by status, assignee, branch and customer', async () => {
  const branch = await make.branch();
  const otherBranch = await make.branch();
  const staff = await make.user();
  const customer = await make.customer();
  const mine = await make.ticket({ customer, branch, assignee: staff });
  await make.ticket({ customer, branch: otherBranch, assignee: staff });
  await make.ticket({ customer, branch });
  const res = await t.gql<{ tickets: { totalCount: number; edges: { node: { id: string } }[] } }>(
    `query($a: [ID!], $b: [ID!], $c: ID) { tickets(filter: { statuses: [ASSIGNED], assignees: $a, branchIds: $b, customerId: $c }) {
      totalCount edges { node { id } } } }`,
    { a: [staff.id], b: [branch.id], c: customer.id },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.tickets.totalCount).toBe(1);
  expect(res.data!.tickets.edges[0]!.node.id).toBe(mine.id);
});
