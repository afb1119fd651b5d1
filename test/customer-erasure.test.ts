import { randomInt, randomUUID } from 'node:crypto';
import { OrderStatus, Role, TicketSource } from '../src/entities/enums';
import { Order } from '../src/entities';
import { SETTLE_MS } from '../src/services/exports/export.service';
import { afterOrderMilestone } from '../src/services/tickets/ticket-automation';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Erasure that erases (issue 20.1): after eraseCustomer no column of any
 * table holds the person's name, phone or e-mail, including the titles the
 * system and people wrote for their tickets, and the API and the ticket
 * export show the pseudonym instead.
 */
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const as = (user: { id: string }) => ({ token: t.tokenFor(user) });
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().execute<T[]>(query, params);
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

type TicketRow = { id: string; title: string; source: string; version: number };
const TICKET_FIELDS = 'id title source version';

/** Every text-like column of every table outside the catalogs: where personal data could hide. */
async function textColumns(): Promise<{ schema: string; table: string; column: string }[]> {
  return sql(
    `select c.table_schema as schema, c.table_name as "table", c.column_name as column
       from information_schema.columns c
       join information_schema.tables tb
         on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
      where c.table_schema not in ('pg_catalog', 'information_schema')
        and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
             or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
      order by 1, 2, 3`,
  );
}

test('no column of any table, no ticket title in the API and no exported ticket keeps the erased name, phone or e-mail', async () => {
  const rest = String(randomInt(0, 10_000_000)).padStart(7, '0');
  const phone = { e164: `+8491${rest}`, national: `091${rest}`, digits: `91${rest}` };
  const name = `Nguyễn Thị Xoá ${randomUUID().slice(0, 6)}`;
  const email = `xoa-${randomUUID().slice(0, 8)}@example.com`;
  const branch = await make.branch();
  const channel = await make.channel({ branch: branch.id as never });
  const customer = await make.customer({
    fullName: name,
    phone: phone.e164,
    email,
    branch: branch.id as never,
  });
  const staff = await make.user({ role: Role.TELESALES });

  // A person's ticket that names the customer in its title and description, renamed once (history).
  const created = await t.gql<{ createTicket: TicketRow }>(
    `mutation($input: CreateTicketInputType!) { createTicket(input: $input) { ${TICKET_FIELDS} } }`,
    {
      input: {
        customerId: customer.id,
        branchId: branch.id,
        title: `Tư vấn cho ${name}`,
        description: `Gọi ${phone.national} hoặc mail ${email}`,
        source: 'MANUAL',
      },
    },
    as(staff),
  );
  expect(created.errors).toBeUndefined();
  const manual = created.data!.createTicket;
  const renamed = await t.gql<{ updateTicket: TicketRow }>(
    `mutation($id: ID!, $version: Int!, $input: UpdateTicketInputType!) {
       updateTicket(id: $id, version: $version, input: $input) { ${TICKET_FIELDS} } }`,
    {
      id: manual.id,
      version: manual.version,
      input: { title: `Gọi lại cho ${name} (${phone.e164})` },
    },
    as(staff),
  );
  expect(renamed.errors).toBeUndefined();
  // Completed with CALL_LATER: the system creates a FOLLOW_UP ticket for the same customer.
  const done = await t.gql<{ completeTicket: TicketRow }>(
    `mutation($id: ID!, $version: Int!) {
       completeTicket(id: $id, resultCode: CALL_LATER, version: $version) { ${TICKET_FIELDS} } }`,
    { id: manual.id, version: renamed.data!.updateTicket.version },
    as(staff),
  );
  expect(done.errors).toBeUndefined();
  // A delivered order: the after-sale care ticket.
  const order = await make.order(
    { channel, customer },
    { status: OrderStatus.DELIVERED, buyerName: name, buyerPhone: phone.national },
  );
  const afterSale = await t.orm.em
    .fork()
    .transactional(async (tx) => afterOrderMilestone(tx, await tx.findOneOrFail(Order, order.id)));
  expect(afterSale).not.toBeNull();

  const TICKETS = `query($customerId: ID!) { customerTickets: tickets(filter: { customerId: $customerId }) {
    edges { node { ${TICKET_FIELDS} } } } }`;
  const listTickets = async () => {
    const res = await t.gql<{ customerTickets: { edges: { node: TicketRow }[] } }>(TICKETS, {
      customerId: customer.id,
    });
    expect(res.errors).toBeUndefined();
    return res.data!.customerTickets.edges.map((edge) => edge.node);
  };
  // Before erasure the system's titles read with the customer's name, which the rows do not store.
  const before = await listTickets();
  expect(before).toHaveLength(3);
  const followUp = before.find((row) => row.source === String(TicketSource.FOLLOW_UP))!;
  expect(followUp.title).toBe(`Gọi lại / follow up: ${name}`);
  expect(before.find((row) => row.source === String(TicketSource.AFTER_SALE_CARE))?.title).toBe(
    `Chăm sóc sau mua / after-sale care: ${name}`,
  );
  const [stored] = await sql<{ title: string }>('select "title" from "ticket" where "id" = ?', [
    followUp.id,
  ]);
  expect(stored?.title).not.toContain(name);

  const erased = await t.gql<{ eraseCustomer: { fullName: string } }>(
    'mutation($id: ID!) { eraseCustomer(id: $id, reason: "Request #20") { fullName } }',
    { id: customer.id },
  );
  expect(erased.errors).toBeUndefined();
  const pseudonym = erased.data!.eraseCustomer.fullName;
  expect(pseudonym).not.toContain(name);

  // Every text, varchar, json(b) and text[] column of every table.
  const needles = [name, email, phone.e164, phone.national, phone.digits];
  const columns = await textColumns();
  expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(
    expect.arrayContaining(['ticket.title', 'ticket_history.after', 'customer.full_name']),
  );
  const hits: string[] = [];
  for (const { schema, table, column } of columns) {
    const [row] = await sql<{ n: string }>(
      `select count(*) as n from ${quoteIdent(schema)}.${quoteIdent(table)}
        where ${quoteIdent(column)}::text ilike any(?::text[])`,
      [`{${needles.map((needle) => `"%${needle}%"`).join(',')}}`],
    );
    if (Number(row?.n) > 0) hits.push(`${schema}.${table}.${column}: ${row?.n}`);
  }
  process.stdout.write(
    `erasure scan: ${columns.length} text columns, hits: [${hits.join(', ')}]\n`,
  );
  expect(hits).toEqual([]);

  // The API shows the system's titles with the pseudonym, and no title keeps the person.
  const after = await listTickets();
  expect(after).toHaveLength(3);
  expect(after.find((row) => row.id === followUp.id)?.title).toBe(
    `Gọi lại / follow up: ${pseudonym}`,
  );
  for (const row of after)
    for (const needle of needles)
      expect([row.title, row.title.includes(needle)]).toEqual([row.title, false]);

  // So does the ticket export (which holds back the last SETTLE_MS of changes).
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 500));
  const exported = await fetch(`${t.httpUrl}/exports/tickets?format=ndjson`, {
    headers: { authorization: `Bearer ${t.adminToken}` },
  });
  expect(exported.status).toBe(200);
  const lines = (await exported.text())
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; title: string; customerId: string });
  const mine = lines.filter((line) => line.customerId === customer.id);
  expect(mine.map((line) => line.id).sort()).toEqual(after.map((row) => row.id).sort());
  expect(mine.find((line) => line.id === followUp.id)?.title).toBe(
    `Gọi lại / follow up: ${pseudonym}`,
  );
  const body = JSON.stringify(mine);
  for (const needle of needles) expect([needle, body.includes(needle)]).toEqual([needle, false]);
}, 60_000);
