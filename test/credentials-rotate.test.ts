import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { createKeyring, DEV_CREDENTIALS_KEY, open, sealedKeyId } from '../src/db/credential-cipher';
import { openDatabase, type Database } from '../src/db/database';
import { Channel } from '../src/entities';
import { sealStoredCredentials } from '../src/services/channels/credential-rotation.service';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const NEW_KEY = Buffer.alloc(32, 42).toString('base64');

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  db = await openDatabase(
    { databaseUrl: database.url, dataDir: '.data', embeddedPostgresPort: 0, dbPoolMax: 2 },
    pino({ level: 'silent' }),
    { migrate: false },
  );
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

const raw = async (id: string) =>
  (
    await db.orm.em
      .fork()
      .execute<{ access_token: string; shop_secret: string | null }[]>(
        'select access_token, shop_secret from channel where id = ?',
        [id],
      )
  )[0]!;

function rotate(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join('scripts', 'credentials-rotate.ts')],
      {
        cwd: path.resolve(__dirname, '..'),
        env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('seals plain text left from before encryption, then moves every secret to a new key', async () => {
  const id = randomUUID();
  // As a row written before this release: plain text in the columns.
  await db.orm.em.fork().execute(
    `insert into channel (id, platform, external_shop_id, name, access_token, shop_key, shop_secret, status, created_at, updated_at)
     values (?, 'SENDO', ?, 'Legacy', 'legacy-token', 'legacy-key', 'legacy-secret', 'ACTIVE', now(), now())`,
    [id, `legacy-${id.slice(0, 8)}`],
  );
  const dev = createKeyring(DEV_CREDENTIALS_KEY);
  expect(await sealStoredCredentials(db.orm, dev)).toMatchObject({ valuesSealed: 2 });
  const sealed = await raw(id);
  expect(sealedKeyId(sealed.access_token)).toBe(dev.current.id);
  expect(sealed.shop_secret).not.toContain('legacy-secret');
  const read = await db.orm.em
    .fork()
    .findOneOrFail(Channel, id, { populate: ['accessToken', 'shopSecret'] });
  expect([read.accessToken, read.shopSecret]).toEqual(['legacy-token', 'legacy-secret']);

  const env = {
    DATABASE_URL: database.url,
    CREDENTIALS_KEY: NEW_KEY,
    CREDENTIALS_PREVIOUS_KEYS: DEV_CREDENTIALS_KEY,
  };
  const first = await rotate(env);
  expect(first.stderr).not.toMatch(/failed/);
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/Sealed [1-9]\d* secret/);
  const rotated = await raw(id);
  const next = createKeyring(NEW_KEY);
  expect(sealedKeyId(rotated.access_token)).toBe(next.current.id);
  expect(open(next, rotated.access_token)).toBe('legacy-token');
  expect(open(next, rotated.shop_secret!)).toBe('legacy-secret');
  expect(() => open(dev, rotated.access_token)).toThrow(/neither CREDENTIALS_KEY/);

  const again = await rotate(env);
  expect(again.stdout).toMatch(/Sealed 0 secret/);
  // Without the old key a value it sealed cannot be read: the command says so and changes nothing.
  await sealStoredCredentials(db.orm, createKeyring(DEV_CREDENTIALS_KEY, [NEW_KEY]));
  const refused = await rotate({ DATABASE_URL: database.url, CREDENTIALS_KEY: NEW_KEY });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/CREDENTIALS_PREVIOUS_KEYS/);
  expect(sealedKeyId((await raw(id)).access_token)).toBe(dev.current.id);
}, 120_000);
