import http from 'node:http';
import request from 'supertest';
import type { Channel, User } from '../src/entities';
import { Role } from '../src/entities/enums';
import {
  encodeExportCursor,
  EXPORT_APPLICATION_NAME,
} from '../src/services/exports/export.service';
import { factories } from './support/factories';
import { insertBulkOrders } from './support/bulk-orders';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';

/**
 * Process safety of the file routes: every error branch of GET /exports and
 * POST /imports/customers ends its own response, and the process (this jest
 * worker runs the server) neither exits nor sees an unhandled rejection or an
 * uncaught exception.
 */
let t: TestApp;
let f: ReturnType<typeof factories>;
let shop: Channel;
let leader: User;
const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);

const IDLE_TIMEOUT_MS = 1_500;
const IMPORT_MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  // As deployed: the acceptance is that a production-mode server survives these paths.
  t = await startTestApp({
    env: 'production',
    platformEnv: {
      ...TEST_PLATFORM_ENV,
      EXPORT_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
      EXPORTS_PER_VIEWER: '2',
      IMPORT_MAX_BYTES: String(IMPORT_MAX_BYTES),
    },
  });
  f = factories(t.orm);
  shop = await f.channel();
  leader = await f.user({ role: Role.TELESALES_LEADER });
  // Enough rows (about 130 MB of NDJSON) that an export outlasts the socket buffers between
  // the two ends (loopback's can take tens of MB).
  await insertBulkOrders(t.orm, shop, { count: 40_000, nameRepeats: 200 });
});

afterAll(async () => {
  await t.close();
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});

/** After every case: nothing escaped a handler and the server still answers. */
afterEach(async () => {
  const health = await fetch(`${t.httpUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(escaped).toEqual([]);
});

const auth = (token = t.adminToken) => ({ authorization: `Bearer ${token}` });

async function exportJson(path: string, token = t.adminToken, base = t.httpUrl) {
  const res = await fetch(`${base}${path}`, { headers: auth(token) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as unknown };
}

/** Polls `probe` (never asserting on time) until it returns true. */
async function until(probe: () => Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the condition never held');
}

const exportsRunning = async (): Promise<number> => {
  const [row] = await t.orm.em
    .fork()
    .execute<{ n: string }[]>(
      `select count(*) as n from pg_stat_activity where application_name = ? and datname = current_database()`,
      [EXPORT_APPLICATION_NAME],
    );
  return Number(row?.n);
};

/**
 * A download that reads its first chunk and then stops reading (the socket
 * stays open). Resolves once the body started; `ended` says how it ended.
 */
async function stalledDownload(path: string, token = t.adminToken, base = t.httpUrl) {
  let finish: (how: 'ended' | 'aborted') => void = () => undefined;
  const ended = new Promise<'ended' | 'aborted'>((resolve) => (finish = resolve));
  const req = http.get(`${base}${path}`, { headers: auth(token) });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  req.on('error', () => finish('aborted'));
  res.on('aborted', () => finish('aborted'));
  res.on('error', () => finish('aborted'));
  res.on('end', () => finish(res.complete ? 'ended' : 'aborted'));
  res.on('close', () => finish(res.complete ? 'ended' : 'aborted'));
  await new Promise((resolve) => res.once('data', resolve));
  res.pause();
  return { status: res.statusCode, res, req, ended };
}

describe('export parameters are checked before any header is sent', () => {
  const ZERO_ID = '00000000-0000-4000-8000-000000000000';
  it.each([
    ['updatedSince in year 0', 'orders', 'updatedSince=0000-01-01T00:00:00Z'],
    ['updatedSince past the range', 'orders', 'updatedSince=%2B275760-09-13T00:00:00Z'],
    ['updatedSince not a date-time', 'orders', 'updatedSince=yesterday'],
    ['updatedSince as a bare number', 'orders', 'updatedSince=0'],
    [
      'two updatedSince values',
      'orders',
      'updatedSince=2026-01-01T00:00:00Z&updatedSince=2026-01-02T00:00:00Z',
    ],
    [
      'a cursor whose time is year 0',
      'orders',
      `cursor=${encodeExportCursor('orders', '0000-01-01T00:00:00.000000Z', ZERO_ID)}`,
    ],
  ])('%s: 400 BAD_USER_INPUT as JSON', async (_case, entity, query) => {
    for (const format of ['ndjson', 'csv']) {
      const res = await exportJson(`/exports/${entity}?format=${format}&${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('trailer')).toBeNull();
      expect(res.body).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
    }
  });
});

describe('errors after the body started', () => {
  it('a database error mid-stream breaks the download (never a clean end)', async () => {
    const download = await stalledDownload('/exports/orders?format=ndjson');
    expect(download.status).toBe(200);
    await until(async () => (await exportsRunning()) > 0);
    await t.orm.em
      .fork()
      .execute(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = ? and datname = current_database()`,
        [EXPORT_APPLICATION_NAME],
      );
    download.res.resume();
    expect(await download.ended).toBe('aborted');
    // The route still serves whole exports afterwards.
    const next = await fetch(`${t.httpUrl}/exports/tickets?format=ndjson`, { headers: auth() });
    expect(next.status).toBe(200);
    expect(JSON.parse((await next.text()).trimEnd())).toEqual({
      nextCursor: null,
      rows: 0,
    });
  });

  it('a client that hangs up mid-stream ends the export', async () => {
    const download = await stalledDownload('/exports/orders?format=csv');
    download.req.destroy();
    await until(async () => (await exportsRunning()) === 0);
  });

  it('a client that stops reading is cut off after the idle timeout, which ends its transaction', async () => {
    const download = await stalledDownload('/exports/orders?format=ndjson');
    await until(async () => (await exportsRunning()) === 0);
    // A client that does not read cannot see the cut either: reading on, it finds the body cut short.
    download.res.resume();
    expect(await download.ended).toBe('aborted');
  });
});

describe('export slots', () => {
  // A second instance on the same database whose idle timeout never comes into play here.
  let patient: TestApp;
  beforeAll(async () => {
    patient = await startTestApp({
      database: t.database,
      platformEnv: { ...TEST_PLATFORM_ENV, EXPORTS_PER_VIEWER: '2' },
    });
  });
  afterAll(() => patient.close());

  it('one viewer holds at most EXPORTS_PER_VIEWER exports; others still get theirs', async () => {
    const base = patient.httpUrl;
    const first = await stalledDownload('/exports/orders?format=ndjson', t.adminToken, base);
    const second = await stalledDownload('/exports/orders?format=csv', t.adminToken, base);
    const third = await exportJson('/exports/tickets?format=ndjson', t.adminToken, base);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBeTruthy();
    expect(third.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const other = await fetch(`${base}/exports/tickets?format=csv`, {
      headers: auth(t.tokenFor(leader)),
    });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    // Hanging up frees the viewer's slots.
    first.req.destroy();
    second.req.destroy();
    await until(async () => (await exportsRunning()) === 0);
    const again = await fetch(`${base}/exports/tickets?format=ndjson`, { headers: auth() });
    expect(again.status).toBe(200);
    await again.arrayBuffer();
  });
});

describe('customer import', () => {
  const post = (body: string | Buffer, token = t.adminToken) =>
    request(t.app.httpServer)
      .post('/imports/customers')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'text/csv')
      .send(body);

  it('a file declared larger than IMPORT_MAX_BYTES is refused with 413 before any job starts', async () => {
    const res = await post(`fullName,phone\n${'x,0912345678\n'.repeat(IMPORT_MAX_BYTES / 10)}`);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(res.headers['x-import-job-id']).toBeUndefined();
  });

  it('a chunked file that grows past IMPORT_MAX_BYTES fails its job with the code, nothing leaks', async () => {
    const { status, jobId, body } = await new Promise<{
      status: number;
      jobId: string;
      body: string;
    }>((resolve, reject) => {
      const req = http.request(`${t.httpUrl}/imports/customers`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            jobId: res.headers['x-import-job-id'] as string,
            body: text,
          }),
        );
      });
      req.on('error', reject);
      req.write('fullName,phone\n');
      const row = 'Khách,0912345678\n';
      for (let sent = 0; sent <= IMPORT_MAX_BYTES * 2; sent += row.length) req.write(row);
      req.end();
    });
    expect(status).toBe(202);
    expect(JSON.parse(body)).toMatchObject({ jobId, code: 'PAYLOAD_TOO_LARGE' });
    const job = await t.gql<{ importJob: { status: string; error: string } }>(
      'query($id: ID!) { importJob(id: $id) { status error } }',
      { id: jobId },
    );
    expect(job.data?.importJob.status).toBe('FAILED');
    expect(job.data?.importJob.error).toMatch(/IMPORT_MAX_BYTES|larger/);
  });

  it('a client that hangs up mid-upload fails the job and leaves the server up', async () => {
    const jobId = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${t.httpUrl}/imports/customers`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        req.destroy();
        resolve(res.headers['x-import-job-id'] as string);
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.write('fullName,phone\nAn,0912345678\n');
    });
    await until(async () => {
      const job = await t.gql<{ importJob: { status: string } }>(
        'query($id: ID!) { importJob(id: $id) { status } }',
        { id: jobId },
      );
      return job.data?.importJob.status === 'FAILED';
    });
  });

  it('a malformed line is rejected by line; the rows around it are imported', async () => {
    const csv = [
      'fullName,phone',
      'Ngô Văn Một,0911000001', // line 2
      'Bad "quote,0911000002', // line 3: a quote inside an unquoted field
      'Ngô Văn Ba,0911000003', // line 4
    ].join('\n');
    const res = await post(csv);
    expect(res.status).toBe(202);
    const report = JSON.parse(res.text) as Record<string, unknown>;
    expect(report).toMatchObject({ imported: 2, rejected: 1 });
    const job = await t.gql<{
      importJob: { status: string; rejections: { line: number; reason: string }[] };
    }>('query($id: ID!) { importJob(id: $id) { status rejections { line reason } } }', {
      id: report.jobId,
    });
    expect(job.data?.importJob.status).toBe('SUCCEEDED');
    expect(job.data?.importJob.rejections).toEqual([{ line: 3, reason: expect.any(String) }]);
  });
});
