import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { freePort } from './support/net';
import { waitForLine } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Replicas of a new deployment start at the same moment on a database with
 * nothing in it: migrations and pg-boss queue creation must take turns.
 */
test.each([
  ['an empty database (migrations and job queues to create)', true],
  ['a migrated database (job queues to create)', false],
])(
  'three instances started at once on %s all start their jobs and serve',
  async (_, empty) => {
    const database: TestDatabase = await createTestDatabase({ empty });
    const children: ChildProcess[] = [];
    try {
      const ports = [await freePort(), await freePort(), await freePort()];
      for (const port of ports)
        children.push(
          spawn(process.execPath, ['-r', '@swc-node/register', 'src/index.ts'], {
            cwd: path.join(__dirname, '..'),
            env: {
              PATH: process.env.PATH,
              HOME: process.env.HOME,
              DATABASE_URL: database.url,
              PORT: String(port),
              HOST: '127.0.0.1',
              JOBS_ENABLED: 'true',
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        );
      // Each start-up either becomes ready or exits (the old crash) and fails here.
      await Promise.all(
        children.map((child) => waitForLine(child, /GraphQL ready at http:\/\//, 150_000)),
      );
      for (const port of ports) {
        const server = `http://127.0.0.1:${port}`;
        expect((await request(server).get('/readyz')).status).toBe(200);
        const res = await request(server)
          .post('/graphql')
          .set('content-type', 'application/json')
          .send({ query: '{ referenceData { ticketSources { code } } }' });
        expect(res.body.data.referenceData.ticketSources).toHaveLength(8);
      }
    } finally {
      await Promise.all(
        children.map(
          (child) =>
            new Promise((resolve) => {
              if (child.exitCode !== null) return resolve(undefined);
              child.once('exit', resolve);
              child.kill('SIGINT');
            }),
        ),
      );
      await database.drop();
    }
  },
  200_000,
);
