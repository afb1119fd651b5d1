import type { MikroORM } from '@mikro-orm/postgresql';

/** Applies committed migrations; returns the names that ran. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}
