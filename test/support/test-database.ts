import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_ADMIN_URL;
  if (!url)
    throw new Error('TEST_DATABASE_ADMIN_URL is unset: run the tests through jest (globalSetup)');
  return url;
}

async function withAdmin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** `crm_test_<run>_`: the prefix of every database one test run clones from its template. */
export function runDatabasePrefix(template: string): string {
  return `crm_test_${template.replace(/^crm_test_template_/, '')}_`;
}

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

/**
 * A fresh, migrated database for one test file, cloned from the run's
 * template; `empty`: a database with nothing in it, as a new deployment has.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = process.env.TEST_DATABASE_TEMPLATE;
  if (!template) throw new Error('TEST_DATABASE_TEMPLATE is unset: run the tests through jest');
  // Named after the run (its template), so the run's teardown can sweep what a file left behind.
  const name = `${runDatabasePrefix(template)}${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    // Two clones of one template at the same instant can collide; retry briefly.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await client.query(
          `create database "${name}" template "${options.empty ? 'template0' : template}"`,
        );
        return;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes('being accessed by other users')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50));
      }
    }
  });
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdmin(async (client) => {
        await client.query(`drop database if exists "${name}" with (force)`);
      }),
  };
}
