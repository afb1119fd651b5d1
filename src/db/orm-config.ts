import path from 'node:path';
import {
  DefaultLogger,
  type LoggerOptions,
  type LogContext,
  type MikroORM as AnyMikroORM,
} from '@mikro-orm/core';
import type * as Migrations from '@mikro-orm/migrations';
import { defineConfig, type EntityManager, type Options } from '@mikro-orm/postgresql';
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

/**
 * `extensions: [Migrator]`, except that @mikro-orm/migrations (umzug, the
 * schema differ: about 2.5 MB of heap) is loaded when the migrator is first
 * asked for, and a server whose database is up to date never asks (migrateUp).
 */
const lazyMigrator = {
  register(orm: AnyMikroORM): void {
    orm.config.registerExtension('@mikro-orm/migrator', () => {
      // require, not import(): MikroORM asks for an extension synchronously, and
      // jest keeps import() native, which its module sandbox cannot run.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Migrator } = require('@mikro-orm/migrations') as typeof Migrations;
      return new Migrator(orm.em as EntityManager);
    });
  },
};

export function createOrmConfig(
  clientUrl: string,
  options: { poolMax?: number; counter?: SqlStatementCounter } = {},
): Options {
  const counter = options.counter ?? new SqlStatementCounter();
  return defineConfig({
    clientUrl,
    entities,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [lazyMigrator],
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
