import http from 'node:http';
import { Order, type Channel, type User } from '../src/entities';
import { ApiKeyScope } from '../src/entities/api-key.entity';
import { OrderStatus, Platform, Role } from '../src/entities/enums';
import { EXPORT_APPLICATION_NAME, SETTLE_MS } from '../src/services/exports/export.service';
import { factories } from './support/factories';
import { insertBulkOrders } from './support/bulk-orders';
import { startTestApp, type TestApp } from './support/test-app';

/** Exports over real HTTP, parsed back and compared with the API. */
let t: TestApp;
let f: ReturnType<typeof factories>;
let shopA: Channel;
let shopB: Channel;
let staff: User;
const TRICKY_NAME = 'Nguyễn Thị "Bé", Hoa\r\nĐà Nẵng; dòng 2';
/** Cells a spreadsheet would run as formulas (OWASP's list of leading characters). */
const FORMULAS = ['=HYPERLINK("http://x.test","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTab', '\rCR'];

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 300));

type Auth = { token: string } | { apiKey: string };
const headersOf = (auth: Auth): Record<string, string> =>
  'token' in auth ? { authorization: `Bearer ${auth.token}` } : { 'x-api-key': auth.apiKey };

async function pull(path: string, auth: Auth = { token: t.adminToken }, accept?: string) {
  const res = await fetch(`${t.httpUrl}${path}`, {
    headers: { ...headersOf(auth), ...(accept ? { accept } : {}) },
  });
  // Not res.text(): the WHATWG decoder drops a BOM, and the BOM is under test.
  const body = Buffer.from(await res.arrayBuffer()).toString('utf8');
  return { status: res.status, headers: res.headers, body };
}

/** NDJSON: the rows and the trailer line that ends every complete export. */
function parseNdjson(body: string) {
  const lines = body.split('\n');
  expect(lines.pop()).toBe('');
  const trailer = JSON.parse(lines.pop()!) as { nextCursor: string | null; rows: number };
  const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(trailer.rows).toBe(rows.length);
  return { rows, trailer };
}

/** A small RFC 4180 reader: quoted fields may hold commas, doubled quotes and CR/LF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += c;
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

function csvObjects(body: string): Record<string, string>[] {
  expect(body.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parseCsv(body.slice(1));
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
}

/** What an NDJSON value reads as in CSV. */
const asCsv = (value: unknown): string =>
  value === null
    ? ''
    : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);

beforeAll(async () => {
  t = await startTestApp();
  f = factories(t.orm);
  shopA = await f.channel({ platform: Platform.SHOPEE });
  shopB = await f.channel({ platform: Platform.TIKI });
  const customer = await f.customer({ fullName: TRICKY_NAME, email: 'be.hoa@example.vn' });
  for (let i = 0; i < 5; i += 1) {
    await f.order(
      { channel: i < 3 ? shopA : shopB, customer },
      { buyerName: i === 0 ? TRICKY_NAME : `Trần Văn ${i}`, total: 150_000 + i, subtotal: 150_000 },
    );
  }
  const branch = await f.branch();
  staff = await f.user({ role: Role.TELESALES });
  const other = await f.user({ role: Role.TELESALES });
  await f.ticket({ customer, branch, assignee: staff }, { title: 'Gọi lại, "gấp"' });
  for (const fullName of FORMULAS) await f.customer({ fullName });
  await f.ticket({ customer, branch, assignee: staff });
  await f.ticket({ customer, branch, assignee: other });
  await settle();
});

afterAll(() => t.close());

describe('GET /exports/orders', () => {
  it('streams NDJSON equal to the API, ending with the next cursor', async () => {
    const res = await pull('/exports/orders', { token: t.adminToken }, 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const { rows, trailer } = parseNdjson(res.body);
    expect(trailer.nextCursor).toBe(res.headers.get('x-next-cursor'));
    const api = await t.gql<{
      orders: { edges: { node: Record<string, unknown> }[] };
    }>(`{ orders(first: 100) { edges { node {
      id platform shopId externalId status total buyerName buyerPhone placedAt updatedAt } } } }`);
    const nodes = api.data!.orders.edges.map((edge) => edge.node);
    expect(rows).toHaveLength(nodes.length);
    for (const node of nodes) {
      const row = rows.find((candidate) => candidate.id === node.id)!;
      expect(row).toMatchObject({
        platform: node.platform,
        shopId: node.shopId,
        externalId: node.externalId,
        status: node.status,
        total: node.total,
        buyerName: node.buyerName,
        buyerPhone: node.buyerPhone,
      });
      expect(new Date(row.placedAt as string).toISOString()).toBe(node.placedAt);
      expect(new Date(row.updatedAt as string).toISOString()).toBe(node.updatedAt);
    }
    // (updatedAt, id) order: what the cursor resumes from.
    const keys = rows.map((row) => `${String(row.updatedAt)} ${String(row.id)}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('streams the same rows as CSV: BOM, RFC 4180 quoting, Vietnamese text intact', async () => {
    const ndjson = parseNdjson((await pull('/exports/orders?format=ndjson')).body).rows;
    const res = await pull('/exports/orders', { token: t.adminToken }, 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.body).toContain('"Nguyễn Thị ""Bé"", Hoa\r\nĐà Nẵng; dòng 2"');
    const csv = csvObjects(res.body);
    expect(csv).toEqual(
      ndjson.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asCsv(v)]))),
    );
    expect(csv.find((row) => row.buyerName === TRICKY_NAME)).toBeDefined();
  });

  it('sends the row count as an HTTP trailer', async () => {
    const trailers = await new Promise<NodeJS.Dict<string>>((resolve, reject) => {
      http
        .get(
          `${t.httpUrl}/exports/orders?format=csv`,
          { headers: headersOf({ token: t.adminToken }) },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.trailers));
          },
        )
        .on('error', reject);
    });
    expect(trailers['x-row-count']).toBe('5');
  });

  it('an incremental pull returns exactly the rows changed since the cursor', async () => {
    const first = await pull('/exports/orders?format=ndjson');
    const cursor = first.headers.get('x-next-cursor')!;
    const empty = parseNdjson((await pull(`/exports/orders?format=ndjson&cursor=${cursor}`)).body);
    expect(empty.rows).toEqual([]);
    expect(empty.trailer.nextCursor).toBe(cursor);

    const em = t.orm.em.fork();
    const changed = await em.find(Order, { channel: shopB.id });
    for (const order of changed) order.status = OrderStatus.SHIPPED;
    await em.flush();
    await settle();
    const next = await pull(`/exports/orders?format=csv&cursor=${cursor}`);
    const rows = csvObjects(next.body);
    expect(rows.map((row) => row.id).sort()).toEqual(changed.map((order) => order.id).sort());
    expect(rows.every((row) => row.status === 'SHIPPED')).toBe(true);
    // And from that cursor on, nothing again.
    const after = next.headers.get('x-next-cursor')!;
    expect(after).not.toBe(cursor);
    expect(csvObjects((await pull(`/exports/orders?format=csv&cursor=${after}`)).body)).toEqual([]);
  });

  it('updatedSince limits the rows to those changed since then', async () => {
    const all = parseNdjson((await pull('/exports/orders?format=ndjson')).body).rows;
    const since = all.at(-1)!.updatedAt as string;
    const recent = parseNdjson(
      (await pull(`/exports/orders?format=ndjson&updatedSince=${encodeURIComponent(since)}`)).body,
    ).rows;
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((row) => (row.updatedAt as string) >= since)).toBe(true);
  });
});

describe('CSV formula injection', () => {
  it("prefixes a cell starting with = + - @ tab or CR with ' and quotes it; NDJSON is unaltered", async () => {
    const ndjson = parseNdjson((await pull('/exports/customers?format=ndjson')).body).rows;
    expect(ndjson.map((row) => row.fullName)).toEqual(expect.arrayContaining(FORMULAS));
    const res = await pull('/exports/customers?format=csv');
    const rows = csvObjects(res.body);
    const names = rows.map((row) => row.fullName);
    // An E.164 phone starts with +: it is neutralized like any other cell.
    const phone = ndjson.find((row) => row.fullName === TRICKY_NAME)!.phone as string;
    expect(phone).toMatch(/^\+84/);
    expect(rows.find((row) => row.fullName === TRICKY_NAME)!.phone).toBe(`'${phone}`);
    for (const formula of FORMULAS) {
      expect(names).toContain(`'${formula}`);
      expect(res.body).toContain(`,"'${formula.replace(/"/g, '""')}",`);
    }
    // Other cells are as before, signs inside them included.
    expect(names).toContain(TRICKY_NAME);
    expect(res.body).toContain(',be.hoa@example.vn,');
  });
});

describe('export access', () => {
  it("a staff member's ticket export holds only their tickets", async () => {
    const res = await pull('/exports/tickets?format=ndjson', { token: t.tokenFor(staff) });
    expect(res.status).toBe(200);
    const { rows } = parseNdjson(res.body);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.assigneeId === staff.id)).toBe(true);
    const csv = csvObjects(
      (await pull('/exports/tickets?format=csv', { token: t.tokenFor(staff) })).body,
    );
    expect(csv.map((row) => row.title)).toContain('Gọi lại, "gấp"');
    const admin = parseNdjson((await pull('/exports/tickets?format=ndjson')).body).rows;
    expect(admin).toHaveLength(3);
  });

  it('an API key with the EXPORT scope pulls its own channels without a session', async () => {
    const created = await t.gql<{ createApiKey: { secret: string } }>(
      `mutation($c: [ID!]!, $s: [ApiKeyScope!]) { createApiKey(name: "bi", channelIds: $c, scopes: $s) { secret } }`,
      { c: [shopA.id], s: [ApiKeyScope.EXPORT] },
    );
    const apiKey = created.data!.createApiKey.secret;
    const { rows } = parseNdjson((await pull('/exports/orders?format=ndjson', { apiKey })).body);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.channelId === shopA.id)).toBe(true);
    const events = await pull('/exports/order-events?format=ndjson', { apiKey });
    expect(events.status).toBe(200);
    const tickets = await pull('/exports/tickets?format=ndjson', { apiKey });
    expect(tickets.status).toBe(403);
    expect(JSON.parse(tickets.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('an API key without the EXPORT scope is refused with 403', async () => {
    const created = await t.gql<{ createApiKey: { secret: string } }>(
      `mutation($c: [ID!]!) { createApiKey(name: "erp", channelIds: $c) { secret } }`,
      { c: [shopA.id] },
    );
    const res = await pull('/exports/orders?format=csv', {
      apiKey: created.data!.createApiKey.secret,
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'FORBIDDEN', message: 'This API key has no EXPORT scope' },
    });
  });

  it('answers errors as JSON with a stable code', async () => {
    const anonymous = await fetch(`${t.httpUrl}/exports/orders`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const unknown = await pull('/exports/payments');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const badCursor = await pull('/exports/orders?cursor=nonsense');
    expect(badCursor.status).toBe(400);
    expect(JSON.parse(badCursor.body)).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
    const otherCursor = (await pull('/exports/tickets')).headers.get('x-next-cursor')!;
    expect((await pull(`/exports/orders?cursor=${otherCursor}`)).status).toBe(400);
    expect((await pull('/exports/orders?format=xml')).status).toBe(406);
  });

  it('masks contact details for IT, as the API does', async () => {
    const it = await f.user({ role: Role.IT });
    const { rows } = parseNdjson(
      (await pull('/exports/customers?format=ndjson', { token: t.tokenFor(it) })).body,
    );
    expect(rows[0]).toMatchObject({ fullName: TRICKY_NAME, email: 'b***@example.vn' });
  });
});

describe('the instants an export takes', () => {
  const RANGE = '1900-01-01 to 2100-12-31 (UTC)';
  /** The export's answer and GraphQL's (OrderFilter.placedFrom) to the same instant. */
  const both = async (instant: string) => {
    const exported = await pull(
      `/exports/orders?format=ndjson&updatedSince=${encodeURIComponent(instant)}`,
    );
    const graphql = await t.gql<unknown>(
      'query($f: OrderFilter) { orders(filter: $f, first: 1) { totalCount } }',
      { f: { placedFrom: instant } },
    );
    return { exported, graphqlError: graphql.errors?.[0]?.message ?? null };
  };

  it.each([['1899-12-31T23:59:59.999Z'], ['2101-01-01T00:00:00Z'], ['9999-12-31T00:00:00Z']])(
    'refuses updatedSince=%s as GraphQL refuses the instant, with the same range',
    async (instant) => {
      const { exported, graphqlError } = await both(instant);
      expect(exported.status).toBe(400);
      expect(JSON.parse(exported.body)).toEqual({
        error: {
          code: 'BAD_USER_INPUT',
          message: `updatedSince: must be an instant from ${RANGE}`,
        },
      });
      expect(graphqlError).toMatch(
        new RegExp(`must be an instant from ${RANGE.replace(/[()]/g, '\\$&')}$`),
      );
    },
  );

  it.each([['1900-01-01T00:00:00Z'], ['1950-06-01T00:00:00+07:00'], ['2100-12-31T23:59:59.999Z']])(
    'takes updatedSince=%s as GraphQL takes the instant',
    async (instant) => {
      const { exported, graphqlError } = await both(instant);
      expect(exported.status).toBe(200);
      const since = Date.parse(instant);
      const { rows } = parseNdjson(exported.body);
      expect(rows.every((row) => Date.parse(row.updatedAt as string) >= since)).toBe(true);
      expect(graphqlError).toBeNull();
    },
  );
});

/** Export connections in this test file's database, or those of them waiting for a lock. */
async function exportConnections(waitingForLock = false): Promise<number> {
  const [row] = await t.orm.em.fork().execute<{ n: string }[]>(
    `select count(*) as n from pg_stat_activity where application_name = ?
      and datname = current_database() ${waitingForLock ? `and wait_event_type = 'Lock'` : ''}`,
    [EXPORT_APPLICATION_NAME],
  );
  return Number(row?.n);
}

async function waitUntil(done: () => Promise<boolean>, ms: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < ms && !(await done());) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a client that hangs up mid-export', () => {
  it('ends the statement even while PostgreSQL has sent nothing yet', async () => {
    await t.orm.em.fork().transactional(async (tx) => {
      // The export's first statement then waits for the lock, with nothing to send.
      await tx.execute('lock table "customer_order" in access exclusive mode');
      const req = http.get(`${t.httpUrl}/exports/orders?format=ndjson`, {
        headers: headersOf({ token: t.adminToken }),
      });
      req.on('error', () => undefined);
      await waitUntil(async () => (await exportConnections(true)) === 1, 5_000);
      expect(await exportConnections(true)).toBe(1);
      req.destroy();
      // While the lock is still held.
      await waitUntil(async () => (await exportConnections()) === 0, 4_000);
      expect(await exportConnections()).toBe(0);
    });
  });

  it('ends the database side of the export and leaves the pool usable', async () => {
    // Enough rows that the export is still sending when the client goes away.
    await insertBulkOrders(t.orm, shopA, { count: 20_000, nameRepeats: 20 });
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        `${t.httpUrl}/exports/orders?format=ndjson`,
        { headers: headersOf({ token: t.adminToken }) },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    });
    const copying = async () => {
      const [row] = await t.orm.em
        .fork()
        .execute<{ n: string }[]>(
          `select count(*) as n from pg_stat_activity where application_name = ? and datname = current_database()`,
          [EXPORT_APPLICATION_NAME],
        );
      return Number(row?.n);
    };
    for (let wait = 0; wait < 50 && (await copying()) > 0; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await copying()).toBe(0);
    // Every connection the export route may take next still works.
    for (let i = 0; i < 3; i += 1) {
      const { status, body } = await pull('/exports/orders?format=ndjson');
      expect(status).toBe(200);
      expect(parseNdjson(body).rows.length).toBeGreaterThanOrEqual(20_000);
    }
  });
});
