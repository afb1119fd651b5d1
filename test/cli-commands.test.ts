/**
 * The long commands run as an operator runs them: a child process whose
 * stderr is a pipe, not a terminal, so progress comes as plain lines.
 */
import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { hashPassword } from '../src/auth/password';
import { Platform, Role } from '../src/entities/enums';
import { factories } from './support/factories';
import { fakeOrder, startFakePlatforms, type FakePlatforms } from './support/fake-platforms';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { TEST_PLATFORM_ENV } from './support/webhooks';

type Run = { code: number | null; stdout: string; stderr: string; lines: string[] };

function run(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  const root = path.resolve(__dirname, '..');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join('scripts', `${script}.ts`), ...args],
      // No inherited DATABASE_URL: the API commands must not need one.
      { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, lines: stderr.split('\n').filter(Boolean) }),
    );
  });
}

/** No carriage return, no escape sequence: what a log file or CI shows as is. */
function expectPlain(text: string): void {
  expect(text).not.toContain('\r');
  expect(text).not.toContain('\x1b');
}

const number = String.raw`[\d,]+(\.\d+)?`;
const duration = String.raw`[\dhms.]+`;

describe('seed:demo --scale 0.05', () => {
  test('reports every phase in plain lines with counts, rate and ETA, and writes the rows', async () => {
    const database = await createTestDatabase();
    try {
      const result = await run('seed-demo', ['--scale', '0.05', '--progress-every', '0'], {
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
      });
      expectPlain(result.stderr);
      expect(result.code).toBe(0);
      const phases = [
        ['customers', '50'],
        ['tickets', '250'],
        ['orders', '1,000'],
        ['conversations', '25'],
      ] as const;
      for (const [phase, total] of phases) {
        const lines = result.lines.filter((line) => line.startsWith(`${phase}: `));
        expect(lines[0]).toBe(`${phase}: started, ${total} ${phase}`);
        expect(lines.at(-1)).toMatch(
          new RegExp(
            `^${phase}: done, ${total} ${phase} in ${duration} \\(${number} ${phase}/s\\)$`,
          ),
        );
        const steps = lines.slice(1, -1);
        // About one line per 10% of the phase.
        expect(steps.length).toBeGreaterThanOrEqual(5);
        for (const line of steps) {
          expect(line).toMatch(
            new RegExp(
              `^${phase}: ${number}/${total} ${phase} \\d+% ${number} ${phase}/s (ETA|elapsed) ${duration}$`,
            ),
          );
        }
      }
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<Record<string, string>>(
          `select (select count(*) from customer) as customers, (select count(*) from ticket) as tickets,
             (select count(*) from customer_order) as orders, (select count(*) from conversation) as conversations`,
        );
        expect(rows[0]).toEqual({
          customers: '50',
          tickets: '250',
          orders: '1000',
          conversations: '25',
        });
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  }, 120_000);
});

describe('import:customers and sync:orders against a running API', () => {
  let fake: FakePlatforms;
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  let dir: string;
  let api: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakePlatforms();
    t = await startTestApp({ jobs: true, platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env } });
    make = factories(t.orm);
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-cli-'));
    api = { API_URL: t.httpUrl, CRM_TOKEN: t.adminToken };
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('import:customers uploads the file, follows the job, and ends with its counts and rejections', async () => {
    const base = randomInt(0, 5_000_000);
    const phone = (n: number) => `091${String(base + n).padStart(7, '0')}`;
    const rows = Array.from({ length: 5_000 }, (_, n) => `Khách ${n},${phone(n)},,,`);
    rows.push('Khách trùng,' + phone(7) + ',,,', 'Số sai,12345,,,', ',0912000000,,,');
    const file = path.join(dir, 'customers.csv');
    await writeFile(file, ['Họ tên,Số điện thoại,Email,Ngày sinh,Gender', ...rows, ''].join('\n'));

    const result = await run('import-customers', [file, '--progress-every', '0'], api);
    expect(result.code).toBe(0);
    expectPlain(result.stderr);
    const report = JSON.parse(result.stdout) as { jobId: string };
    expect(report).toEqual({
      jobId: expect.any(String),
      status: 'SUCCEEDED',
      processed: 5_003,
      imported: 5_000,
      merged: 1,
      rejected: 2,
    });
    const label = `import ${report.jobId}`;
    const lines = result.lines.filter((line) => line.startsWith(`${label}: `));
    expect(lines[0]).toBe(`${label}: started, 5,003 rows`);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^${label}: done, 5,003 rows in ${duration} \\(${number} rows/s\\) \\(imported 5,000, merged 1, rejected 2\\)$`,
      ),
    );
    // Batches of 2,000 rows: whatever the polls saw before, the last one saw the end.
    expect(lines.at(-2)).toMatch(new RegExp(`^${label}: 5,003/5,003 rows 100% `));
    for (const line of lines.slice(1, -1)) {
      expect(line).toMatch(
        new RegExp(
          `^${label}: ${number}/5,003 rows \\d+% ${number} rows/s (ETA|elapsed) ${duration} \\(imported ${number}, merged \\d, rejected \\d\\)$`,
        ),
      );
    }
    expect(result.lines).toContainEqual(expect.stringMatching(/^ {2}rejected line 5003: phone/));
    expect(result.lines).toContainEqual('  rejected line 5004: fullName: required');
  }, 60_000);

  test('import:customers without a reachable API, without credentials or with a role that may not import, exits 1 saying why', async () => {
    const file = path.join(dir, 'tiny.csv');
    await writeFile(file, 'name,phone\nA,0912345678\n');
    const down = await run('import-customers', [file], {
      API_URL: 'http://127.0.0.1:9',
      CRM_TOKEN: 'x',
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the API at http:\/\/127\.0\.0\.1:9/);
    const anonymous = await run('import-customers', [file], { API_URL: t.httpUrl });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/CRM_TOKEN/);
    const staff = await make.user({ role: Role.TELESALES });
    const refused = await run('import-customers', [file], {
      API_URL: t.httpUrl,
      CRM_TOKEN: t.tokenFor(staff),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'the API refused the import (HTTP 403): Your role may not import customers\n',
    );
  }, 60_000);

  const DAY = 86_400_000;
  const FROM = new Date('2024-06-01T00:00:00Z');
  const shopeeChannel = async () => {
    const shopId = `${randomInt(100_000, 999_999)}${randomInt(100_000, 999_999)}`;
    return make.channel({
      platform: Platform.SHOPEE,
      externalShopId: shopId,
      accessToken: 'shopee-token',
    });
  };

  test('sync:orders signs in, starts the sync, follows it page by page and ends with the counts', async () => {
    const it = await make.user({ role: Role.IT, passwordHash: await hashPassword('it-pass-1234') });
    const channel = await shopeeChannel();
    // 40 days: Shopee's 15-day windows, so several pages.
    for (const day of [0, 2, 4, 14.5, 16, 20, 29, 35]) {
      const createdAt = new Date(FROM.getTime() + day * DAY);
      fake.addOrder(
        'shopee',
        fakeOrder({
          shopId: channel.externalShopId,
          externalId: `CLI${randomUUID().slice(0, 8)}`,
          status: 'READY_TO_SHIP',
          createdAt,
          updatedAt: new Date(createdAt.getTime() + 60_000),
        }),
      );
    }
    const to = new Date(FROM.getTime() + 40 * DAY).toISOString();
    const result = await run(
      'sync-orders',
      ['--channel', channel.id, '--from', '2024-06-01', '--to', to, '--progress-every', '0'],
      { API_URL: t.httpUrl, CRM_EMAIL: it.email, CRM_PASSWORD: 'it-pass-1234' },
    );
    expectPlain(result.stderr);
    expect(result.code).toBe(0);
    const job = JSON.parse(result.stdout) as { id: string };
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      pages: 3,
      ordersSeen: 8,
      created: 8,
      failed: 0,
      lastError: null,
    });
    const label = `sync ${job.id}`;
    const lines = result.lines.filter((line) => line.startsWith(`${label}: `));
    expect(lines[0]).toBe(`${label}: started`);
    // Unknown total: a line per poll, with the job's status and counters.
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.slice(1, -1)) {
      expect(line).toMatch(
        new RegExp(
          `^${label}: \\d orders ${number} orders/s elapsed ${duration} \\(status (QUEUED|RUNNING|SUCCEEDED), pages \\d, created \\d, updated 0, unchanged 0, failed 0\\)$`,
        ),
      );
    }
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^${label}: done, 8 orders in ${duration} \\(${number} orders/s\\) \\(status SUCCEEDED, pages 3, created 8, updated 0, unchanged 0, failed 0\\)$`,
      ),
    );
  }, 60_000);

  test('sync:orders exits 1 with the reason when the sync fails', async () => {
    const channel = await shopeeChannel();
    fake.failNext('shopee', 'list', { status: 403 });
    const result = await run(
      'sync-orders',
      ['--channel', channel.id, '--from', '2024-06-01', '--to', '2024-06-05'],
      api,
    );
    expect(result.code).toBe(1);
    const job = JSON.parse(result.stdout) as { id: string; status: string };
    expect(job.status).toBe('FAILED');
    expect(result.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^sync ${job.id}: failed, 0 orders in .*status FAILED`)),
    );
    expect(result.lines).toContainEqual(expect.stringMatching(/^last error: /));
  }, 60_000);
});
