import { randomInt, randomUUID } from 'node:crypto';
import request from 'supertest';
import { Role } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const national = (): string => `091${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
const post = (csv: string, token = t.adminToken, type = 'text/csv') =>
  request(t.app.httpServer)
    .post('/imports/customers')
    .set('authorization', `Bearer ${token}`)
    .set('content-type', type)
    .send(csv);

/** Posts a file that the route accepts (202) and returns its job id and report. */
async function importFile(csv: string): Promise<{ jobId: string; report: unknown }> {
  const res = await post(csv);
  expect(res.status).toBe(202);
  return { jobId: res.headers['x-import-job-id'] as string, report: JSON.parse(res.text) };
}

test('imports valid rows, merges duplicates in the file and in the database, rejects invalid rows with the reason', async () => {
  const existing = await make.customer();
  const [a, b, c] = [national(), national(), national()];
  const email = `imp-${randomUUID().slice(0, 8)}@example.com`;
  const csv = [
    'Họ tên,Số điện thoại,Email,Ngày sinh,Gender',
    `Nguyễn Văn A,${a},,1990-05-01,MALE`, // line 2
    `Trần Thị B,+84 ${b.slice(1, 4)} ${b.slice(4)},${email.toUpperCase()},,`, // line 3
    `"Lê, Văn C",84${c.slice(1)},,,`, // line 4
    `Nguyễn Văn A (again),${a},,,`, // line 5: same phone as line 2
    `Someone,${existing.phone ?? ''},new-${email},,`, // line 6: already in the database
    'No Phone,12345,,,', // line 7
    'Bad Mail,,not-an-email,,', // line 8
    `,${national()},,,`, // line 9: no name
    `Future,${national()},,2999-01-01,`, // line 10
    'Nobody,,,,', // line 11: no contact at all
  ].join('\n');
  const { jobId, report } = await importFile(csv);
  expect(report).toEqual({
    jobId,
    processed: 10,
    imported: 3,
    merged: 2,
    rejected: 5,
  });

  const rows = await t.orm.em
    .fork()
    .execute<{ full_name: string; phone: string; email: string | null }[]>(
      'select full_name, phone, email from customer where phone in (?, ?, ?) order by full_name',
      [`+84${a.slice(1)}`, `+84${b.slice(1)}`, `+84${c.slice(1)}`],
    );
  expect(rows).toEqual([
    { full_name: 'Lê, Văn C', phone: `+84${c.slice(1)}`, email: null },
    { full_name: 'Nguyễn Văn A', phone: `+84${a.slice(1)}`, email: null },
    { full_name: 'Trần Thị B', phone: `+84${b.slice(1)}`, email },
  ]);
  // The existing customer lacked an e-mail: the file filled it, and kept everything else.
  const [filled] = await t.orm.em
    .fork()
    .execute<{ email: string; full_name: string }[]>(
      'select email, full_name from customer where id = ?',
      [existing.id],
    );
  expect(filled).toEqual({ email: `new-${email}`, full_name: existing.fullName });

  const job = await t.gql<{
    importJob: {
      status: string;
      processed: number;
      rejections: { line: number; reason: string }[];
      merges: { line: number; customerId: string | null; matchedOn: string }[];
    };
  }>(
    'query($id: ID!) { importJob(id: $id) { status processed rejections { line reason } merges { line customerId matchedOn } } }',
    { id: jobId },
  );
  expect(job.data?.importJob.status).toBe('SUCCEEDED');
  expect(job.data?.importJob.merges).toEqual([
    { line: 5, customerId: null, matchedOn: 'phone' },
    { line: 6, customerId: existing.id, matchedOn: 'phone' },
  ]);
  expect(job.data?.importJob.rejections.map((r) => r.line)).toEqual([7, 8, 9, 10, 11]);
  expect(job.data?.importJob.rejections[0]?.reason).toMatch(/^phone:/);
  expect(job.data?.importJob.rejections[1]?.reason).toMatch(/^email:/);
  expect(job.data?.importJob.rejections[2]?.reason).toMatch(/^fullName:/);
  expect(job.data?.importJob.rejections[3]?.reason).toMatch(/^birthday:/);
});

test('anonymous, staff and a wrong content type are refused; another leader cannot read the job', async () => {
  expect(
    (
      await request(t.app.httpServer)
        .post('/imports/customers')
        .set('content-type', 'text/csv')
        .send('a')
    ).status,
  ).toBe(401);
  const staff = await make.user({ role: Role.TELESALES });
  expect((await post('a', t.tokenFor(staff))).status).toBe(403);
  expect((await post('{}', t.adminToken, 'application/json')).status).toBe(415);

  const leader = await make.user({ role: Role.TELESALES_LEADER });
  const res = await post(`fullName,phone\nX,${national()}\n`, t.tokenFor(leader));
  expect(res.status).toBe(202);
  const other = await make.user({ role: Role.CUSTOMER_SERVICE_LEADER });
  const id = res.headers['x-import-job-id'] as string;
  const seen = await t.gql(
    'query($id: ID!) { importJob(id: $id) { id } }',
    { id },
    { token: t.tokenFor(other) },
  );
  expect(seen.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const own = await t.gql(
    'query($id: ID!) { importJob(id: $id) { imported } }',
    { id },
    { token: t.tokenFor(leader) },
  );
  expect(own.data).toEqual({ importJob: { imported: 1 } });
});

test('one bad row is rejected with its line, field and reason; the others are imported; no SQL reaches the client', async () => {
  const [a, b] = [national(), national()];
  const csv = [
    'fullName,phone,notes',
    `Phan Văn Đầu,${a},ok`, // line 2
    `Phan Văn Giữa,${national()},bad\u0000note`, // line 3: PostgreSQL refuses NUL
    `Phan Văn Cuối,${b},`, // line 4
  ].join('\n');
  const { jobId, report } = await importFile(csv);
  expect(report).toEqual({
    jobId,
    processed: 3,
    imported: 2,
    merged: 0,
    rejected: 1,
  });
  const job = await t.gql<{
    importJob: {
      status: string;
      error: string | null;
      rejections: { line: number; field: string | null; reason: string }[];
    };
  }>('query($id: ID!) { importJob(id: $id) { status error rejections { line field reason } } }', {
    id: jobId,
  });
  expect(job.data?.importJob).toEqual({
    status: 'SUCCEEDED',
    error: null,
    rejections: [{ line: 3, field: 'notes', reason: expect.stringMatching(/^notes:/) }],
  });
  expect(JSON.stringify(job.data)).not.toMatch(/insert|select|update|jsonb/i);
  const stored = await t.orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from customer where phone in (?, ?)', [
      `+84${a.slice(1)}`,
      `+84${b.slice(1)}`,
    ]);
  expect(Number(stored[0]?.n)).toBe(2);
});
