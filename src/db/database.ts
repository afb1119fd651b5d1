import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { redactUrl, type Config } from '../config';
import {
  createKeyring,
  DEV_CREDENTIALS_KEY,
  useCredentialsKeyring,
  type CredentialKeyring,
} from './credential-cipher';
import { embeddedUrl, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
import { runningCluster } from './local-database';
import { migrateUp } from './migrate';
import { createOrmConfig, SqlStatementCounter } from './orm-config';

export type Database = {
  orm: MikroORM;
  url: string;
  /** For the start-up log: which database, without secrets. */
  description: string;
  sqlStatements: SqlStatementCounter;
  /** What seals the platform secrets of this process (CREDENTIALS_KEY). */
  credentialsKeyring: CredentialKeyring;
  close: () => Promise<void>;
};

/** The database the API uses in its embedded cluster. */
const EMBEDDED_DATABASE = 'crm';

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR,
 * and applies pending migrations.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPostgresPort' | 'dbPoolMax'> &
    Partial<Pick<Config, 'credentialsKey'>>,
  logger: Logger,
  options: {
    migrate?: boolean;
    /**
     * Use the embedded cluster another process (a running `npm start`) holds
     * on DATA_DIR instead of failing to start a second one there: for the CLI
     * scripts, which the server need not be stopped for.
     */
    attach?: boolean;
  } = {},
): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  let description: string;
  if (url) {
    description = `PostgreSQL at ${redactUrl(url)}`;
  } else {
    const dataDir = path.join(config.dataDir, 'postgres');
    const running = options.attach ? await runningCluster(dataDir) : null;
    if (running) {
      url = embeddedUrl(running.port, EMBEDDED_DATABASE);
      description = `the embedded PostgreSQL of process ${running.pid} on 127.0.0.1:${running.port}, data in ${dataDir}`;
    } else {
      embedded = await startEmbeddedPostgres({
        dataDir,
        port: config.embeddedPostgresPort,
        database: EMBEDDED_DATABASE,
        logger,
      });
      url = embedded.url;
      description = `embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort}, data in ${dataDir}`;
    }
  }
  // Installed before the ORM reads a row: sealed columns are opened with it.
  const credentialsKeyring = createKeyring(
    config.credentialsKey?.current ?? DEV_CREDENTIALS_KEY,
    config.credentialsKey?.previous ?? [],
  );
  useCredentialsKeyring(credentialsKeyring);
  const sqlStatements = new SqlStatementCounter();
  let orm: MikroORM;
  try {
    orm = await MikroORM.init(
      createOrmConfig(url, { poolMax: config.dbPoolMax, counter: sqlStatements }),
    );
    if (options.migrate !== false) {
      const applied = await migrateUp(orm);
      if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    orm,
    url,
    description,
    sqlStatements,
    credentialsKeyring,
    close: async () => {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
