import { readdir } from 'node:fs/promises';
import { Utils } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { withAdvisoryLock } from './advisory-lock';

/**
 * Applies committed migrations; returns the names that ran. Instances
 * started together take turns (an advisory lock): the first applies them,
 * the others then find nothing pending.
 */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  if (!(await hasPendingMigrations(orm))) return [];
  const url = orm.config.get('clientUrl');
  if (!url) throw new Error('migrateUp needs the ORM configured with a clientUrl');
  return withAdvisoryLock(url, 'crm:migrations', async () => {
    if (!(await hasPendingMigrations(orm))) return [];
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  });
}

/**
 * Whether a migration file has not been recorded as run, answered without
 * loading the Migrator (see orm-config.ts). Names are recorded without their
 * extension. A doubtful case (no table yet, a file of another kind) answers
 * yes, and the Migrator decides.
 */
async function hasPendingMigrations(orm: MikroORM): Promise<boolean> {
  const options = orm.config.get('migrations');
  const dir = orm.config.get('preferTs') ? (options.pathTs ?? options.path) : options.path;
  if (!dir || !options.tableName) return true;
  let entries: string[];
  try {
    entries = await readdir(Utils.absolutePath(dir, orm.config.get('baseDir')));
  } catch {
    return true;
  }
  const files = entries
    .filter((file) => /\.[jt]s$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -3));
  const connection = orm.em.getConnection();
  const [table] = await connection.execute<{ exists: boolean }[]>(
    'select to_regclass(?) is not null as exists',
    [options.tableName],
  );
  if (!table?.exists) return true;
  const rows = await connection.execute<{ name: string }[]>(
    `select name from ${connection.getPlatform().quoteIdentifier(options.tableName)}`,
  );
  const recorded = new Set(rows.map((row) => row.name));
  return files.some((name) => !recorded.has(name));
}
