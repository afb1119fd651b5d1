import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
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
