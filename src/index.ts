import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { userCreateCommand } from './cli/user-create';
import { ConfigError, loadConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { EmbeddedPostgresError } from './db/embedded-postgres';
import { seedDemo } from './db/seed-demo';
import { startJobs, type Jobs } from './jobs/boss';
import { retryInboundEvents } from './jobs/retry-inbound-events.job';
import { createLogger } from './logger';
import { createEventBus, type EventBus } from './realtime/event-bus';
import { createApp, type App } from './app/server';
import { userService } from './services/users/user.service';
import { sealStoredCredentials } from './services/channels/credential-rotation.service';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const { values: flags } = parseArgs({
    options: { demo: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);

  // Resources are stopped in the reverse order they were started.
  let db: Database | undefined;
  let bus: EventBus | undefined;
  let jobs: Jobs | undefined;
  let app: App | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      // A signal from a terminal reaches the embedded PostgreSQL at the same moment.
      jobs?.expectDisconnect();
      const steps: [string, (() => Promise<void>) | undefined][] = [
        ['http server and sockets', app && (() => app!.stop())],
        ['jobs', jobs && (() => jobs!.stop())],
        ['event bus', bus && (() => bus!.close())],
        ['database', db && (() => db!.close())],
      ];
      for (const [name, step] of steps) {
        if (!step) continue;
        try {
          await step();
        } catch (error) {
          logger.warn({ err: error }, `stopping ${name} failed`);
        }
      }
      logger.info('stopped');
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop(signal).then(() => process.exit(0));
    });
  }

  try {
    db = await openDatabase(config, logger);
    logger.info(`database: ${db.description}`);
    // Plain text from before encryption, or secrets under a replaced key, are sealed now.
    const sealed = await sealStoredCredentials(db.orm, db.credentialsKeyring);
    if (sealed.valuesSealed > 0)
      logger.info(sealed, 'platform secrets sealed under CREDENTIALS_KEY');
    if (flags.demo) {
      const result = await seedDemo(db.orm, { scale: 1, env: config.env, logger });
      logger.info(result.seeded ? 'demo data seeded' : 'demo data already present');
    }
    if (!(await userService.anyActiveUser(db.orm.em.fork()))) {
      // Compiled (the Docker image) there is no npm script: name the file.
      logger.warn(
        `no user can sign in yet: create the first admin with \`${userCreateCommand(__filename.endsWith('.js'))}\``,
      );
    }
    bus = createEventBus(config, logger);
    logger.info(
      bus.kind === 'redis'
        ? 'event bus: Redis (events reach every API instance)'
        : 'event bus: in-process (single instance; set REDIS_URL to share events)',
    );
    if (config.jobsEnabled)
      jobs = await startJobs({
        databaseUrl: db.url,
        orm: db.orm,
        bus,
        logger,
        inboundMaxAttempts: config.inboundMaxAttempts,
        platforms: config.platforms,
        messaging: config.messaging,
        partnerWebhooks: config.partnerWebhooks,
        oauth: config.oauth,
        // The bot is built with the app, which needs the jobs' outbound queue
        // first; chat messages applied by retries reach it once it exists.
        bot: {
          onCustomerMessage: (c, m) =>
            app?.services.bot.onCustomerMessage(c, m) ?? Promise.resolve(),
        },
      });
    app = await createApp({ config, logger, db, bus, jobs });
    const address = await app.listen(config.port, config.host);
    // Pushes acknowledged by a process that died before applying them are applied now,
    // not a minute later by the retry job.
    const recovered = await retryInboundEvents(
      db.orm,
      bus,
      config.inboundMaxAttempts,
      new Date(Date.now() + 60_000),
      app.services.orderSync,
      app.services.conversationInbox,
    );
    if (recovered.applied + recovered.failed > 0)
      logger.info(recovered, 'recovered inbound events left by the last run');
    const host = ['0.0.0.0', '::'].includes(address.address) ? 'localhost' : address.address;
    logger.info(
      { startupMs: Math.round(performance.now() - startedAt) },
      `GraphQL ready at http://${host}:${address.port}/graphql`,
    );
  } catch (error) {
    // A refusal that says what to do is that one line, not a stack.
    if (error instanceof EmbeddedPostgresError) logger.fatal(`start-up failed: ${error.message}`);
    else logger.fatal({ err: error }, 'start-up failed');
    await stop('start-up failed');
    process.exit(1);
  }
}

void main();
