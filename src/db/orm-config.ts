import path from 'node:path';
import { DefaultLogger, type LoggerOptions, type LogContext } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { entities } from '../entities';

/** Running from TypeScript sources (swc-node, jest) or from the tsc build in dist/. */
const runningFromSources = __filename.endsWith('.ts');

/** Counts every SQL statement the ORM sends; the metrics and the N+1 tests read it. */
export class SqlStatementCounter {
  count = 0;
}

class CountingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly counter: SqlStatementCounter,
  ) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    this.counter.count += 1;
    super.logQuery(context);
  }
}

export function createOrmConfig(
  clientUrl: string,
  options: { poolMax?: number; counter?: SqlStatementCounter } = {},
): Options {
  const counter = options.counter ?? new SqlStatementCounter();
  return defineConfig({
    clientUrl,
    entities,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: path.join(__dirname, 'migrations'),
      pathTs: path.join(__dirname, 'migrations'),
      glob: runningFromSources ? '!(*.d).ts' : '*.js',
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    preferTs: runningFromSources,
    pool: { min: 0, max: options.poolMax ?? 10 },
    // The schema is changed by committed migrations only, never at boot.
    ensureDatabase: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false,
    loggerFactory: (loggerOptions) => new CountingLogger(loggerOptions, counter),
  });
}
