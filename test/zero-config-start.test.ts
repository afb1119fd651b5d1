import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { freePort } from './support/net';
import { waitForLine } from './support/processes';

/** The README promise: no environment at all, an embedded PostgreSQL, a clean Ctrl-C. */
test('npm start with no DATABASE_URL serves GraphQL on the embedded database and stops it on SIGINT', async () => {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'crm-start-'));
  await chmod(runDir, 0o755);
  const dataDir = path.join(runDir, 'data');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    JOBS_ENABLED: 'true',
  };
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/index.ts'], {
    cwd: path.join(__dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const log = await waitForLine(child, /GraphQL ready at http:\/\/[^ "]+\/graphql/, 90_000);
    expect(log).toMatch(/database: embedded PostgreSQL/);
    expect(log).toMatch(/event bus: in-process/);

    const server = `http://127.0.0.1:${port}`;
    const ready = await request(server).get('/readyz');
    expect(ready.status).toBe(200);
    const res = await request(server)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: '{ referenceData { ticketSources { code descriptionVi descriptionEn } } }' });
    expect(res.body.data.referenceData.ticketSources).toHaveLength(8);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    // PostgreSQL removes its pid file only after a clean shutdown.
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(runDir, { recursive: true, force: true });
  }
}, 120_000);

const asRoot = process.getuid?.() === 0;
if (!asRoot)
  process.stderr.write(
    'tests: not root: skipping npm start as root in a folder the postgres OS user cannot enter\n',
  );

/**
 * As root the embedded cluster runs as the `postgres` OS user; a checkout
 * inside a mode-0700 folder (like /root) is out of that user's reach.
 */
(asRoot ? test : test.skip)(
  'npm start as root in a folder the postgres user cannot enter stops with one line saying what to do',
  async () => {
    const closed = await mkdtemp(path.join(os.tmpdir(), 'crm-root-only-'));
    await chmod(closed, 0o700);
    const checkout = path.join(closed, 'crm');
    const repo = path.join(__dirname, '..');
    try {
      await mkdir(checkout);
      // Hard links: a checkout of its own (real paths inside the closed folder) without copying 250 MB.
      for (const entry of ['package.json', 'tsconfig.json', 'src', 'node_modules'])
        execFileSync('cp', ['-al', path.join(repo, entry), checkout]);
      const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/index.ts'], {
        cwd: checkout,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          EMBEDDED_PG_PORT: String(await freePort()),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(output).not.toMatch(/EACCES|Unhandled 'error' event/);
      expect(code).toBe(1);
      const fatal = output
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: number; msg: string; err?: unknown })
        .filter((entry) => entry.level >= 60);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]!.err).toBeUndefined();
      expect(fatal[0]!.msg).toContain(`cannot enter ${closed}`);
      expect(fatal[0]!.msg).toMatch(/DATABASE_URL/);
      expect(fatal[0]!.msg).not.toContain('\n');
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  },
  120_000,
);
