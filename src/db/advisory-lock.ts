import { Client } from 'pg';

/**
 * Runs `work` while this process holds the PostgreSQL advisory lock `name`,
 * so schema work of instances started at the same moment (migrations, job
 * queue creation) runs one instance at a time instead of colliding. The lock
 * is a session lock on a connection of its own: it is released when `work`
 * ends, and by PostgreSQL if the process dies holding it.
 */
export async function withAdvisoryLock<T>(
  databaseUrl: string,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const client = new Client({
    connectionString: databaseUrl,
    application_name: 'crm-start-up-lock',
  });
  // A dropped connection fails the lock's next query; without a listener it would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [name]);
    try {
      return await work();
    } finally {
      await client
        .query('select pg_advisory_unlock(hashtextextended($1, 0))', [name])
        .catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
