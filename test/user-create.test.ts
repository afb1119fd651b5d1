/**
 * `npm run user:create` as an operator runs it: a child process, against
 * DATABASE_URL and against the embedded PostgreSQL a running `npm start`
 * holds; then a sign-in with the password it printed.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { AuditLog, Branch, User } from '../src/entities';
import { freePort } from './support/net';
import { waitForLine } from './support/processes';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const root = path.resolve(__dirname, '..');

type Run = { code: number | null; stdout: string; stderr: string };

function userCreate(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'scripts/user-create.ts', ...args],
      { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const printedPassword = (stdout: string): string => {
  const match = /^Password: (\S+)$/m.exec(stdout);
  if (!match) throw new Error(`no password in:\n${stdout}`);
  return match[1]!;
};

async function signIn(server: Parameters<typeof request>[0], email: string, password: string) {
  const res = await request(server)
    .post('/graphql')
    .set('content-type', 'application/json')
    .send({
      query:
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { email role branches { code } } } }',
      variables: { e: email, p: password },
    });
  return res.body as {
    data?: { login: { user: { email: string; role: string; branches: { code: string }[] } } };
    errors?: { extensions: { code: string } }[];
  };
}

describe('user:create against DATABASE_URL', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({ database });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  test('creates the user and its missing branch, prints a password that signs in', async () => {
    const run = await userCreate(
      ['--email', 'Owner@Shop.vn', '--role', 'admin', '--branch', 'hcm', '--name', 'Chủ shop'],
      { DATABASE_URL: database.url },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created branch HCM \(named "HCM"; rename it with/m);
    expect(run.stdout).toMatch(/^Created user owner@shop\.vn \(ADMIN, branch HCM\)/m);
    const password = printedPassword(run.stdout);
    expect(password.length).toBeGreaterThanOrEqual(10);

    const res = await signIn(t.app.httpServer, 'owner@shop.vn', password);
    expect(res.errors).toBeUndefined();
    expect(res.data!.login.user).toEqual({
      email: 'owner@shop.vn',
      role: 'ADMIN',
      branches: [{ code: 'HCM' }],
    });
    const em = t.orm.em.fork();
    const user = await em.findOneOrFail(User, { email: 'owner@shop.vn' });
    expect(user.fullName).toBe('Chủ shop');
    const actions = (
      await em.find(AuditLog, { action: { $in: ['user_created', 'branch_created'] } })
    )
      .map((row) => [row.action, row.actor ?? null])
      .sort();
    expect(actions).toEqual([
      ['branch_created', null],
      ['user_created', null],
    ]);
  });

  test('reads the password from stdin, into an existing branch', async () => {
    const run = await userCreate(
      ['--email', 'staff@shop.vn', '--role', 'TELESALES', '--branch', 'HCM', '--password-stdin'],
      { DATABASE_URL: database.url },
      'a password from a pipe\n',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/Password:|Created branch/);
    expect(
      (await signIn(t.app.httpServer, 'staff@shop.vn', 'a password from a pipe')).errors,
    ).toBeUndefined();
  });

  test('refuses a duplicate e-mail, a short stdin password and a bad role, changing nothing', async () => {
    const env = { DATABASE_URL: database.url };
    const dup = await userCreate(
      ['--email', 'OWNER@shop.vn', '--role', 'BOD', '--branch', 'DN'],
      env,
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe(
      'user:create: A user with e-mail owner@shop.vn already exists; nothing was changed\n',
    );
    const short = await userCreate(
      ['--email', 'new@shop.vn', '--role', 'BOD', '--branch', 'DN', '--password-stdin'],
      env,
      'short\n',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password must be at least 10 characters/);
    const role = await userCreate(['--email', 'new@shop.vn', '--role', 'PARTNER'], env);
    expect(role.code).toBe(1);
    expect(role.stderr).toMatch(/role must be one of ADMIN, BOD/);
    const em = t.orm.em.fork();
    expect(await em.count(Branch, { code: 'DN' })).toBe(0);
    expect(await em.count(User, { email: 'new@shop.vn' })).toBe(0);
  });
});

test('on the embedded database: the start-up log names the command, which works while the server runs', async () => {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'crm-user-create-'));
  await chmod(runDir, 0o755);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: path.join(runDir, 'data'),
    EMBEDDED_PG_PORT: String(await freePort()),
  };
  const server = spawn(process.execPath, ['-r', '@swc-node/register', 'src/index.ts'], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', JOBS_ENABLED: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const log = await waitForLine(server, /GraphQL ready at/, 90_000);
    expect(log).toContain(
      'no user can sign in yet: create the first admin with `npm run user:create -- --email you@example.com --role ADMIN --branch HQ`',
    );
    const run = await userCreate(
      ['--email', 'first@shop.vn', '--role', 'ADMIN', '--branch', 'HQ'],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/in the embedded PostgreSQL of process \d+ on 127\.0\.0\.1:\d+/);
    const res = await signIn(
      `http://127.0.0.1:${port}`,
      'first@shop.vn',
      printedPassword(run.stdout),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.login.user.branches).toEqual([{ code: 'HQ' }]);
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');
    expect(await exited).toBe(0);
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    await rm(runDir, { recursive: true, force: true });
  }
}, 180_000);
