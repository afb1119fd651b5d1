import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createProgress, lineEveryMsOption, PROGRESS_EVERY_OPTION } from '../src/cli/progress';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { seedDemo } from '../src/db/seed-demo';
import { createLogger } from '../src/logger';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: '1' }, ...PROGRESS_EVERY_OPTION },
  });
  const lineEveryMs = lineEveryMsOption(values['progress-every']);
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  if (config.env === 'production')
    throw new Error('seed:demo refuses to run with NODE_ENV=production');
  const db = await openDatabase(config, logger, { attach: true });
  try {
    const started = performance.now();
    const result = await seedDemo(db.orm, {
      scale: Number(values.scale),
      env: config.env,
      logger,
      progress: (phase, total) => createProgress({ label: phase, total, unit: phase, lineEveryMs }),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    logger.info(
      result.seeded
        ? `demo data written in ${seconds}s into ${db.description}`
        : 'demo data already present: nothing added',
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
