import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { freePort } from './support/net';
import { waitForLine } from './support/processes';

/**
 * The API as a developer runs it in a terminal: `npm start` on the embedded
 * database, the CLI scripts beside it, then Ctrl-C. A terminal sends Ctrl-C's
 * SIGINT to the whole foreground process group, the embedded PostgreSQL
 * included, so the server is started in a group of its own and the signal is
 * sent to the group.
 */
const ROOT = path.resolve(__dirname, '..');
let runDir: string;
let env: NodeJS.ProcessEnv;
let server: ChildProcess;
let baseUrl: string;
let log = '';

beforeAll(async () => {
  runDir = await mkdtemp(path.join(os.tmpdir(), 'crm-local-run-'));
  // The embedded PostgreSQL runs as the `postgres` OS user when the tests run as root.
  await chmod(runDir, 0o755);
  const port = await freePort();
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: path.join(runDir, 'data'),
    EMBEDDED_PG_PORT: String(await freePort()),
    JOBS_ENABLED: 'true',
  };
  server = spawn(process.execPath, ['-r', '@swc-node/register', 'src/index.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitForLine(server, /GraphQL ready at http:\/\//, 90_000);
  baseUrl = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  if (server.exitCode === null && server.pid) process.kill(-server.pid, 'SIGKILL');
  await rm(runDir, { recursive: true, force: true });
});

function run(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', script, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('npm run seed:demo works while npm start holds the embedded database', async () => {
  const seeded = await run('scripts/seed-demo.ts', ['--scale', '0.01']);
  expect(seeded).toMatchObject({ code: 0, output: expect.stringMatching(/demo data written/) });
  expect(seeded.output).toMatch(/the embedded PostgreSQL of process \d+/);

  // The running server sees the seeded users at once.
  const login = await request(baseUrl).post('/graphql').send({
    query: 'mutation { login(email: "admin@demo.local", password: "demo1234") { user { role } } }',
  });
  expect(login.body).toEqual({ data: { login: { user: { role: 'ADMIN' } } } });
}, 120_000);

test('Ctrl-C stops the server with exit 0 and not one line at error level', async () => {
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  const before = log.length;
  process.kill(-server.pid!, 'SIGINT');
  expect(await exited).toBe(0);
  const lines = log
    .slice(before)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
  expect(lines.map((line) => line.msg)).toContain('stopped');
  expect(lines.filter((line) => line.level >= 50)).toEqual([]);
}, 60_000);
