import { randomInt, randomUUID } from 'node:crypto';
import { SETTLE_MS } from '../src/services/exports/export.service';
import {
  AuditLog,
  Channel,
  Conversation,
  CustomerIdentity,
  CustomerLabel,
  CustomerNote,
  Message,
  InboundEvent,
  Order,
} from '../src/entities';
import {
  InboundEventStatus,
  MessageDirection,
  MessageSender,
  OrderStatus,
  Platform,
  Role,
} from '../src/entities/enums';
import type { OrderDetail } from '../src/integrations/order-api/types';
import { applyDetail } from '../src/services/orders/order-enrichment.service';
import { TOPICS } from '../src/kernel/topics';
import { linkCustomer } from '../src/services/customers/customer-linking';
import { factories } from './support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const code = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const ext = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions ?? {};
const as = (user: { id: string }) => ({ token: t.tokenFor(user) });
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(query, params);

/** A fresh, valid Vietnamese mobile number: 091 and seven random digits. */
const mobile = (): { national: string; e164: string } => {
  const rest = String(randomInt(0, 10_000_000)).padStart(7, '0');
  return { national: `091${rest}`, e164: `+8491${rest}` };
};

const CREATE = `mutation($input: CustomerInput!, $allow: Boolean) {
  createCustomer(input: $input, allowDuplicate: $allow) { id fullName phone email birthday }
}`;
type Created = {
  createCustomer: { id: string; fullName: string; phone: string | null; email: string | null };
};
const create = (input: Record<string, unknown>, allow = false, auth?: { token: string }) =>
  t.gql<Created>(CREATE, { input, allow }, auth);

describe('validation and normalization', () => {
  test.each([
    ['spaced national', (n: string) => `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`],
    ['+84 with dashes', (n: string) => `+84 ${n.slice(1, 4)}-${n.slice(4, 7)}-${n.slice(7)}`],
    ['84 without plus', (n: string) => `84${n.slice(1)}`],
  ])('a phone written %s is stored in E.164', async (_label, write) => {
    const phone = mobile();
    const res = await create({ fullName: '  Nguyễn   Văn An ', phone: write(phone.national) });
    expect(res.errors).toBeUndefined();
    expect(res.data?.createCustomer).toMatchObject({
      fullName: 'Nguyễn Văn An',
      phone: phone.e164,
    });
  });

  test.each([
    [{ fullName: 'A', phone: '12345' }, 'phone'],
    [{ fullName: 'A', phone: '******78' }, 'phone'],
    [{ fullName: 'A', email: 'not-an-email' }, 'email'],
    [{ fullName: '   ' }, 'fullName'],
    [{ fullName: 'A', birthday: '2999-01-01' }, 'birthday'],
    [{ fullName: 'A', birthday: '2001-02-30' }, 'birthday'],
  ])('%j is rejected naming %s, and nothing is stored', async (input, field) => {
    const before = await sql<{ n: string }>('select count(*) n from customer');
    const res = await create(input);
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(ext(res).field).toBe(field);
    expect(await sql('select count(*) n from customer')).toEqual(before);
  });

  test('e-mails are lower-cased and updates are normalized too', async () => {
    const created = await create({ fullName: 'B', email: ' Mixed.Case@Example.COM ' });
    const id = created.data!.createCustomer.id;
    expect(created.data?.createCustomer.email).toBe('mixed.case@example.com');
    const phone = mobile();
    const updated = await t.gql<{ updateCustomer: { phone: string } }>(
      'mutation($id: ID!, $phone: String) { updateCustomer(id: $id, input: { phone: $phone }) { phone } }',
      { id, phone: phone.national },
    );
    expect(updated.data?.updateCustomer.phone).toBe(phone.e164);
    const bad = await t.gql(
      'mutation($id: ID!) { updateCustomer(id: $id, input: { birthday: "2999-12-31" }) { id } }',
      { id },
    );
    expect(ext(bad)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'birthday' });
  });
});

describe('duplicates', () => {
  test('the same phone in another form is a CONFLICT carrying the existing id, unless allowDuplicate', async () => {
    const phone = mobile();
    const first = await create({ fullName: 'Chị Lan', phone: phone.national });
    const existingId = first.data!.createCustomer.id;
    const again = await create({ fullName: 'Lan', phone: `+84 ${phone.national.slice(1)}` });
    expect(ext(again)).toMatchObject({
      code: 'CONFLICT',
      existingCustomerId: existingId,
      field: 'phone',
    });
    const anyway = await create({ fullName: 'Lan', phone: phone.national }, true);
    expect(anyway.errors).toBeUndefined();
    expect(anyway.data?.createCustomer.id).not.toBe(existingId);
  });

  test('the same e-mail in another case is a CONFLICT', async () => {
    const email = `dup-${randomUUID().slice(0, 8)}@example.com`;
    const first = await create({ fullName: 'E', email });
    const again = await create({ fullName: 'E2', email: email.toUpperCase() });
    expect(ext(again)).toMatchObject({
      code: 'CONFLICT',
      existingCustomerId: first.data!.createCustomer.id,
      field: 'email',
    });
  });

  test("an update onto another customer's phone is a CONFLICT", async () => {
    const a = await make.customer();
    const b = await make.customer();
    const res = await t.gql(
      'mutation($id: ID!, $p: String) { updateCustomer(id: $id, input: { phone: $p }) { id } }',
      {
        id: b.id,
        p: a.phone,
      },
    );
    expect(ext(res)).toMatchObject({ code: 'CONFLICT', existingCustomerId: a.id });
  });
});

/** Everything a merge touches, as rows, to compare before and after an un-merge. */
async function snapshot(ids: string[]) {
  const list = `(${ids.map(() => '?').join(', ')})`;
  const rows = async (table: string, where: string) =>
    sql(`select * from "${table}" where ${where} order by 1, 2`, ids);
  return {
    customers: await rows('customer', `"id" in ${list}`),
    tickets: await rows('ticket', `"customer_id" in ${list}`),
    orders: await rows('customer_order', `"customer_id" in ${list}`),
    conversations: await rows('conversation', `"customer_id" in ${list}`),
    payments: await rows('payment', `"customer_id" in ${list}`),
    notes: await rows('customer_note', `"customer_id" in ${list}`),
    labels: await rows('customer_label_link', `"customer_id" in ${list}`),
    identities: await rows('customer_identity', `"customer_id" in ${list}`),
  };
}

async function customerWithEverything(branchId: string, channelId: string) {
  const channel = await t.orm.em.fork().findOneOrFail('Channel', { id: channelId });
  const customer = await make.customer({ email: `m-${randomUUID().slice(0, 8)}@example.com` });
  const branch = { id: branchId } as never;
  const ticket = await make.ticket({ customer, branch });
  const order = await make.order({ channel: channel as never, customer });
  const payment = await make.payment({ order, customer });
  const em = t.orm.em.fork();
  const label = em.create(CustomerLabel, { code: `L-${randomUUID().slice(0, 8)}`, name: 'VIP' });
  const conversation = em.create(Conversation, {
    channel: channelId,
    externalThreadId: `thread-${randomUUID()}`,
    customer: customer.id,
    externalUserId: `psid-${randomUUID().slice(0, 8)}`,
  });
  const note = em.create(CustomerNote, { customer: customer.id, body: 'prefers evening calls' });
  const identity = em.create(CustomerIdentity, {
    customer: customer.id,
    kind: Platform.SHOPEE,
    value: `buyer-${randomUUID().slice(0, 8)}`,
  });
  await em.flush();
  await em.execute(
    'insert into customer_label_link (customer_id, customer_label_id) values (?, ?)',
    [customer.id, label.id],
  );
  return { customer, ticket, order, payment, conversation, note, identity, label };
}

const MERGE = `mutation($s: ID!, $m: [ID!]!, $c: MergeFieldChoicesInput) {
  mergeCustomers(survivorId: $s, mergedIds: $m, fieldChoices: $c) { id mergedIds survivor { id email } }
}`;
type Merged = {
  mergeCustomers: { id: string; mergedIds: string[]; survivor: { id: string; email: string } };
};

describe('merge and un-merge', () => {
  let branchId: string;
  let channelId: string;
  beforeAll(async () => {
    branchId = (await make.branch()).id;
    channelId = (await make.channel()).id;
  });

  test('moves every relation to the survivor, keeps a tombstone, and the old id resolves to the survivor', async () => {
    const survivor = await customerWithEverything(branchId, channelId);
    const merged = await customerWithEverything(branchId, channelId);
    const res = await t.gql<Merged>(MERGE, {
      s: survivor.customer.id,
      m: [merged.customer.id],
      c: { email: merged.customer.id },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.mergeCustomers.survivor).toEqual({
      id: survivor.customer.id,
      email: merged.customer.email,
    });
    for (const [table, id] of [
      ['ticket', merged.ticket.id],
      ['customer_order', merged.order.id],
      ['payment', merged.payment.id],
      ['conversation', merged.conversation.id],
      ['customer_note', merged.note.id],
      ['customer_identity', merged.identity.id],
    ] as const) {
      const [row] = await sql<{ customer_id: string }>(
        `select customer_id from "${table}" where id = ?`,
        [id],
      );
      expect([table, row?.customer_id]).toEqual([table, survivor.customer.id]);
    }
    const labels = await sql<{ customer_id: string }>(
      'select customer_id from customer_label_link where customer_label_id = ?',
      [merged.label.id],
    );
    expect(labels).toEqual([{ customer_id: survivor.customer.id }]);
    const [tomb] = await sql<{ merged_into_id: string }>(
      'select merged_into_id from customer where id = ?',
      [merged.customer.id],
    );
    expect(tomb?.merged_into_id).toBe(survivor.customer.id);

    const byOldId = await t.gql<{ customer: { id: string } }>(
      'query($id: ID!) { customer(id: $id) { id } }',
      { id: merged.customer.id },
    );
    expect(byOldId.data?.customer.id).toBe(survivor.customer.id);
    // A later order of the merged buyer links to the survivor.
    const em = t.orm.em.fork();
    const linked = await em.transactional((tx) =>
      linkCustomer(
        tx,
        Platform.SHOPEE,
        {
          platformId: merged.identity.value,
          name: null,
          phone: merged.customer.phone ?? null,
          email: null,
        },
        null,
      ),
    );
    expect(linked?.customerId).toBe(survivor.customer.id);
  });

  test('un-merge restores every record and link exactly, field by field', async () => {
    const survivor = await customerWithEverything(branchId, channelId);
    const a = await customerWithEverything(branchId, channelId);
    const b = await customerWithEverything(branchId, channelId);
    const ids = [survivor.customer.id, a.customer.id, b.customer.id];
    const before = await snapshot(ids);
    const merged = await t.gql<Merged>(MERGE, {
      s: survivor.customer.id,
      m: [a.customer.id, b.customer.id],
      c: { fullName: a.customer.id, phone: b.customer.id, email: a.customer.id },
    });
    expect(merged.errors).toBeUndefined();
    expect(await snapshot(ids)).not.toEqual(before);
    const undone = await t.gql<{ unmergeCustomer: { undoneAt: string } }>(
      'mutation($id: ID!) { unmergeCustomer(mergeId: $id) { undoneAt } }',
      { id: merged.data!.mergeCustomers.id },
    );
    expect(undone.errors).toBeUndefined();
    expect(await snapshot(ids)).toEqual(before);
  });

  test('merging again is idempotent; cycles, already-merged records and staff are refused', async () => {
    const s = await make.customer();
    const m = await make.customer();
    const other = await make.customer();
    const first = await t.gql<Merged>(MERGE, { s: s.id, m: [m.id] });
    const second = await t.gql<Merged>(MERGE, { s: s.id, m: [m.id] });
    expect(second.errors).toBeUndefined();
    expect(second.data?.mergeCustomers.id).toBe(first.data?.mergeCustomers.id);
    expect(ext(await t.gql(MERGE, { s: m.id, m: [s.id] }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'MERGE_CYCLE',
    });
    expect(ext(await t.gql(MERGE, { s: s.id, m: [s.id] }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'MERGE_CYCLE',
    });
    expect(ext(await t.gql(MERGE, { s: other.id, m: [m.id] }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'CUSTOMER_ALREADY_MERGED',
    });
    const staff = await make.user({ role: Role.TELESALES });
    expect(code(await t.gql(MERGE, { s: other.id, m: [s.id] }, as(staff)))).toBe('FORBIDDEN');
    const leader = await make.user({ role: Role.CUSTOMER_SERVICE_LEADER });
    expect((await t.gql(MERGE, { s: other.id, m: [s.id] }, as(leader))).errors).toBeUndefined();
    // The first merge's tombstone now points straight at the new survivor (one hop).
    const [tomb] = await sql<{ merged_into_id: string }>(
      'select merged_into_id from customer where id = ?',
      [m.id],
    );
    expect(tomb?.merged_into_id).toBe(other.id);
    // ...and the first merge cannot be undone before the later one.
    expect(
      ext(
        await t.gql('mutation($id: ID!) { unmergeCustomer(mergeId: $id) { id } }', {
          id: first.data!.mergeCustomers.id,
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT', reason: 'LATER_MERGE' });
  });

  test('customers lists the survivor, not the tombstone', async () => {
    const name = `Tomb ${randomUUID().slice(0, 8)}`;
    const s = await make.customer({ fullName: `${name} S` });
    const m = await make.customer({ fullName: `${name} M` });
    await t.gql<Merged>(MERGE, { s: s.id, m: [m.id] });
    const list = await t.gql<{ customers: { nodes?: unknown; edges: { node: { id: string } }[] } }>(
      'query($q: String) { customers(filter: { search: $q }) { edges { node { id } } } }',
      { q: name },
    );
    expect(list.data?.customers.edges.map((e) => e.node.id)).toEqual([s.id]);
  });
});

describe('erasure', () => {
  test('personal data leaves the customer, messages, notes, orders and search; orders and payments stay; a later webhook does not bring it back', async () => {
    const channel = await make.channel();
    const branch = await make.branch();
    const phone = mobile();
    const name = `Erasable ${randomUUID().slice(0, 8)}`;
    const customer = await make.customer({
      fullName: name,
      phone: phone.e164,
      email: `${randomUUID().slice(0, 8)}@example.com`,
    });
    const buyerId = `buyer-${randomUUID().slice(0, 8)}`;
    const order = await make.order(
      { channel, customer },
      { buyerName: name, buyerPhone: phone.e164, buyerPlatformId: buyerId },
    );
    const payment = await make.payment({ order, customer });
    const ticket = await make.ticket(
      { customer, branch },
      { keywords: `${name.toLowerCase()} ${phone.national}` },
    );
    const em = t.orm.em.fork();
    const conversation = em.create(Conversation, {
      channel: channel.id,
      externalThreadId: `thread-${buyerId}`,
      customer: customer.id,
      externalUserId: buyerId,
    });
    em.create(Message, {
      conversation,
      channel: channel.id,
      direction: MessageDirection.INBOUND,
      sender: MessageSender.CUSTOMER,
      body: `Tôi là ${name}, số ${phone.national}`,
      sentAt: new Date(),
    });
    em.create(CustomerNote, { customer: customer.id, body: `${name} lives at 1 Lê Lợi` });
    em.create(CustomerIdentity, { customer: customer.id, kind: Platform.SHOPEE, value: buyerId });
    const pushed = em.create(InboundEvent, {
      platform: Platform.SHOPEE,
      eventKey: `erase-${randomUUID()}`,
      rawBody: JSON.stringify({ buyer_user_id: buyerId, buyer_name: name, phone: phone.national }),
      status: InboundEventStatus.APPLIED,
    });
    const unrelated = em.create(InboundEvent, {
      platform: Platform.SHOPEE,
      eventKey: `keep-${randomUUID()}`,
      rawBody: JSON.stringify({ buyer_user_id: `${buyerId}0`, amount: 1 }),
    });
    await em.flush();

    const staff = await make.user({ role: Role.CUSTOMER_SERVICE_LEADER });
    const forbidden = await t.gql(
      'mutation($id: ID!) { eraseCustomer(id: $id, reason: "x") { id } }',
      { id: customer.id },
      as(staff),
    );
    expect(code(forbidden)).toBe('FORBIDDEN');
    const res = await t.gql<{
      eraseCustomer: { id: string; fullName: string; phone: string | null; erasedAt: string };
    }>(
      'mutation($id: ID!) { eraseCustomer(id: $id, reason: "Request #42") { id fullName phone erasedAt } }',
      { id: customer.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.eraseCustomer).toMatchObject({ id: customer.id, phone: null });
    expect(res.data?.eraseCustomer.fullName).not.toContain(name);

    // Nothing readable is left anywhere in the database.
    const digits = phone.e164.slice(3);
    for (const table of [
      'inbound_event',
      'customer',
      'customer_order',
      'message',
      'customer_note',
      'ticket',
      'conversation',
      'customer_identity',
      'audit_log',
      'customer_merge',
    ]) {
      // The unrelated event's buyer id only starts like this one's: it must stay as it was.
      const hits = await sql(
        `select 1 from "${table}" x where (x::text ilike ? or x::text like ? or x::text like ?)
           and x::text not like ?`,
        [`%${name}%`, `%${digits}%`, `%${buyerId}%`, `%${unrelated.id}%`],
      );
      expect([table, hits.length]).toEqual([table, 0]);
    }
    const events = await sql<{ id: string; status: string }>(
      'select id, status from inbound_event where id in (?, ?) order by event_key',
      [pushed.id, unrelated.id],
    );
    expect(events).toEqual([
      { id: pushed.id, status: 'APPLIED' },
      { id: unrelated.id, status: 'RECEIVED' },
    ]);
    const [kept0] = await sql<{ raw_body: string }>(
      'select raw_body from inbound_event where id = ?',
      [unrelated.id],
    );
    expect(kept0?.raw_body).toContain(`${buyerId}0`);
    // Orders and payments are kept under the pseudonym.
    const [kept] = await sql<{ customer_id: string; total: string }>(
      'select customer_id, total from customer_order where id = ?',
      [order.id],
    );
    expect(kept?.customer_id).toBe(customer.id);
    expect(await sql('select 1 from payment where id = ?', [payment.id])).toHaveLength(1);
    expect(await sql('select 1 from ticket where id = ?', [ticket.id])).toHaveLength(1);
    // Search finds nothing by the old name.
    const search = await t.gql<{ customers: { totalCount: number } }>(
      'query($q: String) { customers(filter: { search: $q }) { totalCount } }',
      { q: name },
    );
    expect(search.data?.customers.totalCount).toBe(0);
    // Exports (which hold back the last SETTLE_MS of changes) carry the pseudonym only.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 500));
    for (const entity of ['customers', 'orders']) {
      const exported = await fetch(`${t.httpUrl}/exports/${entity}?format=ndjson`, {
        headers: { authorization: `Bearer ${t.adminToken}` },
      });
      const body = await exported.text();
      expect(exported.status).toBe(200);
      expect(body).toContain(customer.id);
      expect([entity, body.includes(name), body.includes(digits)]).toEqual([entity, false, false]);
    }
    // The audit entry says who and why, without the person.
    const audits = await t.orm.em
      .fork()
      .find(AuditLog, { action: 'customer.erased', entityId: customer.id });
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0]?.data)).not.toContain(name);

    // A later order or message of the same buyer links to no one and creates no one.
    const countBefore = await sql('select count(*) n from customer');
    const linked = await t.orm.em
      .fork()
      .transactional((tx) =>
        linkCustomer(
          tx,
          Platform.SHOPEE,
          { platformId: buyerId, name, phone: phone.national, email: null },
          null,
        ),
      );
    expect(linked).toBeNull();
    expect(await sql('select count(*) n from customer')).toEqual(countBefore);

    // The order detail is fetched again (and a new order of the buyer arrives): the buyer fields stay out.
    const detail = (externalId: string): OrderDetail => ({
      platform: Platform.SHOPEE,
      externalId,
      shopId: channel.externalShopId,
      rawStatus: 'COMPLETED',
      status: OrderStatus.COMPLETED,
      flags: {},
      statusTime: new Date(),
      placedAt: new Date(),
      currency: 'VND',
      subtotal: 100_000,
      shippingFee: 0,
      discount: 0,
      total: 100_000,
      buyer: { platformId: buyerId, name, phone: phone.national, email: null },
      items: [],
    });
    const fresh = await make.order({ channel }, { externalId: `NEW-${randomUUID().slice(0, 8)}` });
    await t.orm.em.fork().transactional(async (tx) => {
      for (const id of [order.id, fresh.id]) {
        const row = await tx.findOneOrFail(Order, { id });
        await applyDetail(
          tx,
          row,
          detail(row.externalId),
          await tx.findOneOrFail(Channel, { id: channel.id }),
        );
      }
    });
    const buyers = await sql<{
      id: string;
      buyer_name: string | null;
      buyer_phone: string | null;
      customer_id: string | null;
    }>('select id, buyer_name, buyer_phone, customer_id from customer_order where id in (?, ?)', [
      order.id,
      fresh.id,
    ]);
    expect(buyers).toEqual(
      expect.arrayContaining([
        { id: order.id, buyer_name: null, buyer_phone: null, customer_id: customer.id },
        { id: fresh.id, buyer_name: null, buyer_phone: null, customer_id: null },
      ]),
    );
    expect(await sql('select count(*) n from customer')).toEqual(countBefore);
  });
});

describe('workspace', () => {
  const WORKSPACE = `query($id: ID!) { customer(id: $id) {
    realRevenue lastOrderAt labels { id }
    workspace {
      tickets(first: 10) { totalCount edges { node { id } } }
      orders(first: 10) { totalCount }
      payments(first: 10) { totalCount }
      conversations(first: 10) { totalCount }
      notes(first: 10) { edges { node { body author { id } } } }
      activity(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { kind summary at } } }
    }
  } }`;
  type Workspace = {
    customer: {
      realRevenue: number;
      lastOrderAt: string | null;
      labels: { id: string }[];
      workspace: {
        tickets: { totalCount: number; edges: { node: { id: string } }[] };
        orders: { totalCount: number };
        payments: { totalCount: number };
        conversations: { totalCount: number };
        notes: { edges: { node: { body: string; author: { id: string } | null } }[] };
        activity: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: { node: { kind: string; summary: string; at: string } }[];
        };
      };
    };
  };

  test("every tab obeys the viewer's scope: a staff user sees only their own tickets", async () => {
    const branch = await make.branch();
    const channel = await make.channel();
    const customer = await make.customer();
    const staff = await make.user({ role: Role.TELESALES });
    const colleague = await make.user({ role: Role.TELESALES });
    const mine = await make.ticket({ customer, branch, assignee: staff });
    await make.ticket({ customer, branch, assignee: colleague });
    const completed = await make.order(
      { channel, customer },
      { status: 'COMPLETED' as never, total: 250_000, placedAt: new Date('2026-01-02T00:00:00Z') },
    );
    await make.order(
      { channel, customer },
      { status: 'CANCELLED' as never, total: 999_000, placedAt: new Date('2026-01-01T00:00:00Z') },
    );
    await make.payment({ order: completed, customer });
    await make.payment({ customer }, { amount: 50_000 });

    const asAdmin = await t.gql<Workspace>(WORKSPACE, { id: customer.id });
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data?.customer.workspace.tickets.totalCount).toBe(2);
    expect(asAdmin.data?.customer.workspace.orders.totalCount).toBe(2);
    expect(asAdmin.data?.customer.workspace.payments.totalCount).toBe(2);
    // Completed orders plus the payment outside any order; the cancelled order does not count.
    expect(asAdmin.data?.customer.realRevenue).toBe(300_000);
    expect(asAdmin.data?.customer.lastOrderAt).toBe('2026-01-02T00:00:00.000Z');

    const asStaff = await t.gql<Workspace>(WORKSPACE, { id: customer.id }, as(staff));
    expect(asStaff.errors).toBeUndefined();
    expect(asStaff.data?.customer.workspace.tickets).toEqual({
      totalCount: 1,
      edges: [{ node: { id: mine.id } }],
    });
    // Telesales see no conversations at all.
    expect(asStaff.data?.customer.workspace.conversations.totalCount).toBe(0);
  });

  test('notes, labels and a paginated activity feed in time order', async () => {
    const customer = await make.customer();
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const em = t.orm.em.fork();
    const vip = em.create(CustomerLabel, { code: `VIP-${randomUUID().slice(0, 6)}`, name: 'VIP' });
    await em.flush();
    for (const body of ['first call', 'second call', 'third call']) {
      const res = await t.gql(
        'mutation($id: ID!, $b: String!) { addCustomerNote(customerId: $id, body: $b) { id } }',
        { id: customer.id, b: body },
        as(leader),
      );
      expect(res.errors).toBeUndefined();
    }
    const labelled = await t.gql<{ setCustomerLabels: { labels: { id: string }[] } }>(
      'mutation($id: ID!, $l: [ID!]!) { setCustomerLabels(customerId: $id, labelIds: $l) { labels { id } } }',
      { id: customer.id, l: [vip.id] },
      as(leader),
    );
    expect(labelled.data?.setCustomerLabels.labels).toEqual([{ id: vip.id }]);
    const page1 = await t.gql<Workspace>(WORKSPACE, { id: customer.id }, as(leader));
    const activity = page1.data!.customer.workspace.activity;
    expect(activity.totalCount).toBe(3);
    expect(activity.edges.map((e) => e.node.summary)).toEqual(['third call', 'second call']);
    expect(activity.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql<{
      customer: { workspace: { activity: { edges: { node: { summary: string } }[] } } };
    }>(
      'query($id: ID!, $after: String) { customer(id: $id) { workspace { activity(first: 2, after: $after) { edges { node { summary } } } } } }',
      { id: customer.id, after: activity.pageInfo.endCursor },
    );
    expect(page2.data?.customer.workspace.activity.edges.map((e) => e.node.summary)).toEqual([
      'first call',
    ]);
    expect(page1.data?.customer.workspace.notes.edges[0]?.node.author?.id).toBe(leader.id);
  });
});

describe('duplicateCandidates', () => {
  type Groups = {
    duplicateCandidates: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { reason: string; customerIds: string[]; customers: { id: string }[] } }[];
    };
  };
  async function allGroups(auth?: { token: string }) {
    const groups: Groups['duplicateCandidates']['edges'][number]['node'][] = [];
    let after: string | null = null;
    for (;;) {
      const res: GraphQLResponse<Groups> = await t.gql<Groups>(
        'query($after: String) { duplicateCandidates(first: 3, after: $after) { pageInfo { hasNextPage endCursor } edges { node { reason customerIds customers { id } } } } }',
        { after },
        auth,
      );
      expect(res.errors).toBeUndefined();
      groups.push(...res.data!.duplicateCandidates.edges.map((e) => e.node));
      if (!res.data!.duplicateCandidates.pageInfo.hasNextPage) return groups;
      after = res.data!.duplicateCandidates.pageInfo.endCursor;
    }
  }

  test('lists each kind of likely duplicate with its reason, across pages', async () => {
    const phone = mobile();
    const samePhone = [
      await make.customer({ phone: phone.e164 }),
      await make.customer({ phone: phone.national }), // saved before phones were normalized
    ];
    const email = `group-${randomUUID().slice(0, 8)}@example.com`;
    const sameEmail = [
      await make.customer({ email }),
      await make.customer({ email: email.toUpperCase() }),
    ];
    const channel = await make.channel();
    const buyer = `buyer-${randomUUID().slice(0, 8)}`;
    const sameBuyer = [
      await make.customer({ phone: undefined }),
      await make.customer({ phone: undefined }),
    ];
    for (const customer of sameBuyer)
      await make.order({ channel, customer }, { buyerPlatformId: buyer });
    const suffix = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const similar = [
      await make.customer({ fullName: 'Trần Thị Hoa Mai', phone: `+849123${suffix}` }),
      await make.customer({ fullName: 'Trần Thị Hoa', phone: `+849834${suffix}` }),
    ];
    const groups = await allGroups();
    const find = (reason: string, ids: string[]) =>
      groups.find((g) => g.reason === reason && ids.every((id) => g.customerIds.includes(id)));
    expect(
      find(
        'SAME_PHONE',
        samePhone.map((c) => c.id),
      )?.customers,
    ).toHaveLength(2);
    expect(
      find(
        'SAME_EMAIL',
        sameEmail.map((c) => c.id),
      ),
    ).toBeDefined();
    expect(
      find(
        'SAME_PLATFORM_BUYER_ID',
        sameBuyer.map((c) => c.id),
      ),
    ).toBeDefined();
    expect(
      find(
        'SIMILAR_NAME_PHONE_SUFFIX',
        similar.map((c) => c.id),
      ),
    ).toBeDefined();

    // Once merged, the tombstone is in no group any more.
    await t.gql(MERGE, { s: samePhone[0]!.id, m: [samePhone[1]!.id] });
    const after = await allGroups();
    expect(after.some((g) => g.customerIds.includes(samePhone[1]!.id))).toBe(false);
  });
});

describe('after a merge', () => {
  test('a ticket created with the old id is filed on the survivor, and one customerChanged is published', async () => {
    const events: unknown[] = [];
    const iterator = t.bus.subscribe(TOPICS.customerChanged)[Symbol.asyncIterator]();
    const collect = (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        events.push(next.value);
      }
    })();
    const s = await make.customer();
    const m = await make.customer();
    const merged = await t.gql<Merged>(MERGE, { s: s.id, m: [m.id] });
    await t.gql<Merged>(MERGE, { s: s.id, m: [m.id] }); // idempotent: no second event
    const branch = await make.branch();
    const ticket = await t.gql<{ createTicket: { customer: { id: string } } }>(
      'mutation($c: ID!, $b: ID!) { createTicket(input: { customerId: $c, branchId: $b, title: "Gọi lại", source: MANUAL, target: TELESALES }) { customer { id } } }',
      { c: m.id, b: branch.id },
    );
    expect(ticket.errors).toBeUndefined();
    expect(ticket.data?.createTicket.customer.id).toBe(s.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await iterator.return?.();
    await collect;
    expect(events.filter((e) => (e as { action: string }).action === 'MERGED')).toEqual([
      { customerId: s.id, action: 'MERGED', relatedIds: [m.id] },
    ]);
    expect(merged.data?.mergeCustomers.mergedIds).toEqual([m.id]);
  });
});
