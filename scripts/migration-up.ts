import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  const db = await openDatabase(config, logger, { migrate: false, attach: true });
  try {
    const applied = await db.orm.getMigrator().up();
    logger.info({ applied: applied.map((m) => m.name) }, `${applied.length} migration(s) applied`);
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
