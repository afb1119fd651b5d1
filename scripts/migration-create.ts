import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';

/** Diffs the entities against the migrated database and writes a new migration file. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  const db = await openDatabase(config, logger);
  try {
    const result = await db.orm.getMigrator().createMigration();
    if (result.fileName) logger.info({ file: result.fileName }, 'migration created');
    else logger.info('entities and database agree: no migration needed');
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
