import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import type { Logger } from 'pino';
import { authenticate, type Credentials } from '../auth/authenticate';
import { createLoginLimiter } from '../auth/login-limiter';
import { permissionsFor } from '../auth/permissions';
import { createTokenService } from '../auth/tokens';
import type { Config } from '../config';
import { TIKI_DEFAULT_BASE_URL, TikiQueueClient } from '../integrations/tiki-queue';
import { createOrderApiClients } from '../integrations/order-api';
import { platformModules } from '../integrations';
import { ApplyScheduler } from '../ingest/apply-scheduler';
import { TikiPuller } from '../ingest/tiki-puller';
import { createWebhookRouter } from '../ingest/webhook.routes';
import { createCustomerImportRouter } from '../http/customer-import.routes';
import { createWebUiRouter } from '../http/web-ui.routes';
import { requestIdOf } from '../http/request-id';
import { createMetricsRoutes } from '../http/metrics.routes';
import {
  describeMetricsExposure,
  graphqlCors,
  securityHeaders,
  trustProxy,
} from '../http/security';
import { sweptOutboundDelivery } from '../jobs/send-message.job';
import { createConversationInbox } from '../services/conversations/conversation-inbox.service';
import { createExportRouter } from '../http/export.routes';
import { createOAuthRouter } from '../http/oauth.routes';
import { createOAuthClients } from '../integrations/oauth';
import { channelTokenRenewer } from '../services/channels/channel-token.service';
import type { Database } from '../db/database';
import type { Jobs } from '../jobs/boss';
import { createMetrics, operationLabel, type Metrics } from '../metrics';
import type { EventBus } from '../realtime/event-bus';
import { startGraphqlWsServer } from '../realtime/graphql-ws-server';
import { OrderEventTail } from '../realtime/order-event-tail';
import { connectRedis } from '../redis';
import { buildCrmSchema } from '../schema/build-schema';
import { createContext, type Context } from '../schema/context';
import { formatClientError } from '../schema/format-error';
import { createOperationLimits, operationCostPlugin } from '../schema/operation-limits';
import { reportFailedOperation } from '../schema/operation-report';
import type { AppServices } from './app-services';
import { createConversationBot } from '../services/conversations/bot/conversation-bot';
import type { OutboundDelivery } from '../services/conversations/conversation-contracts';
import { DomainError } from '../kernel/errors';

export type AppDeps = {
  config: Pick<
    Config,
    | 'env'
    | 'graphqlMaxDepth'
    | 'graphiql'
    | 'graphqlIntrospection'
    | 'metrics'
    | 'corsOrigins'
    | 'websocket'
    | 'subscriptions'
    | 'jwtSecret'
    | 'jwtTtlSeconds'
    | 'redisUrl'
    | 'redisPrefix'
    | 'platforms'
    | 'webhookRateLimitPerSecond'
    | 'inboundMaxAttempts'
    | 'tikiQueue'
    | 'bot'
    | 'messaging'
    | 'exports'
    | 'imports'
    | 'partnerWebhooks'
    | 'oauth'
  >;
  logger: Logger;
  db: Database;
  bus: EventBus;
  jobs?: Jobs;
  /** Sends the bot's answers instead of the outbound queue, for tests. */
  delivery?: OutboundDelivery;
  /** The bot's breaker clock, for tests. */
  botClock?: () => number;
};

export type App = {
  httpServer: http.Server;
  schema: GraphQLSchema;
  metrics: Metrics;
  /** Serves /metrics alone, when METRICS_PORT is set; `listen` starts it on that port. */
  metricsServer: http.Server | null;
  listen: (port: number, host?: string) => Promise<AddressInfo>;
  services: AppServices;
  /** Present when Tiki's client credentials are configured. */
  tikiPuller: TikiPuller | null;
  /** Stops accepting, drains HTTP requests and closes every socket. */
  stop: () => Promise<void>;
};

function listenOn(server: http.Server, port: number, host?: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function requestId(req: Request, res: Response, next: NextFunction): void {
  const id = requestIdOf(req.get('x-request-id'));
  res.locals.requestId = id;
  res.setHeader('x-request-id', id);
  next();
}

function metricsPlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const stopTimer = metrics.graphqlDuration.startTimer();
      return {
        async willSendResponse({ operation, response }) {
          const labels = {
            operation: operationLabel(operation),
            type: operation?.operation ?? 'unknown',
          };
          stopTimer(labels);
          const failed =
            response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          metrics.graphqlOperations.inc({ ...labels, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}

/** Logs and audits failures as the WebSocket server does (operation-report.ts). */
function failureReportPlugin(deps: { db: Database; logger: Logger }): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operation, contextValue }) {
          await reportFailedOperation(
            { orm: deps.db.orm, logger: deps.logger },
            {
              errors,
              operation,
              viewer: contextValue.viewer,
              requestId: contextValue.requestId,
            },
          );
        },
      };
    },
  };
}

function credentialsFromHeaders(req: Request): Credentials {
  return { authorization: req.get('authorization'), apiKey: req.get('x-api-key') };
}

/** Tiki pushes nothing: with its client credentials set, this API pulls its event queue. */
function startTikiPuller(
  { config, db, logger }: AppDeps,
  scheduler: ApplyScheduler,
): TikiPuller | null {
  const tiki = config.platforms.tiki;
  if (tiki.missing.length > 0 || !tiki.secrets.appKey || !tiki.secrets.appSecret) return null;
  const puller = new TikiPuller({
    orm: db.orm,
    logger,
    scheduler,
    client: new TikiQueueClient({
      baseUrl: tiki.apiBaseUrl ?? TIKI_DEFAULT_BASE_URL,
      clientId: tiki.secrets.appKey,
      clientSecret: tiki.secrets.appSecret,
      queueCode: config.tikiQueue.code,
    }),
  });
  if (config.tikiQueue.pullIntervalMs > 0) puller.start(config.tikiQueue.pullIntervalMs);
  return puller;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger, db, bus, jobs } = deps;
  const production = config.env === 'production';
  let jwtSecret = config.jwtSecret;
  if (!jwtSecret) {
    jwtSecret = randomBytes(32).toString('hex');
    logger.warn('JWT_SECRET is unset: using a random secret; sessions end when the process stops');
  }
  const limiterRedis = config.redisUrl
    ? connectRedis(config.redisUrl, {
        connectionName: 'crm-rate-limits',
        // Every limiter's keys (logins, webhooks) are this deployment's own.
        keyPrefix: config.redisPrefix,
        maxRetriesPerRequest: 2,
        // Counts of pushes arriving together go out in one write, not one syscall each.
        enableAutoPipelining: true,
      })
    : undefined;
  limiterRedis?.on('error', (error: Error) =>
    logger.warn({ err: error }, 'rate-limit redis error'),
  );
  // Agents' messages and the bot's answers go out through the same queue.
  const outbound = jobs?.outbound ?? sweptOutboundDelivery;
  const bot = createConversationBot({
    orm: db.orm,
    bus,
    logger,
    delivery: deps.delivery ?? outbound,
    config: config.bot,
    now: deps.botClock,
  });
  const oauth = createOAuthClients(config.oauth);
  const tokenRefresh = {
    orm: db.orm,
    oauth,
    maxAttempts: config.oauth.refreshMaxAttempts,
    retryBaseMs: config.oauth.refreshRetryBaseMs,
  };
  const services: AppServices = {
    orm: db.orm,
    inboundMaxAttempts: config.inboundMaxAttempts,
    tokens: createTokenService(jwtSecret, config.jwtTtlSeconds),
    loginLimiter: createLoginLimiter(limiterRedis),
    bus,
    orderEventTail: new OrderEventTail(db.orm, bus, logger),
    logger,
    orderSync: jobs?.orderSync ?? {
      clients: createOrderApiClients(
        config.platforms,
        channelTokenRenewer({ ...tokenRefresh, bus }),
      ),
    },
    orderSyncQueue: jobs?.orderSyncQueue,
    bot,
    conversationInbox: createConversationInbox({ bus, logger, bot }),
    outbound,
    messaging: config.messaging,
    partnerWebhooks: config.partnerWebhooks,
    channelAuthorization: {
      oauth,
      redirectBaseUrl: config.oauth.redirectBaseUrl,
      stateTtlMs: config.oauth.stateTtlMs,
    },
    tokenRefresh,
  };
  const baseSchema = await buildCrmSchema(bus);
  const schema = applyMiddleware(baseSchema, permissionsFor(baseSchema));
  const contextFor = async (
    request: { id: string; clientIp: string },
    credentials: Credentials,
  ): Promise<Context> => {
    const em = db.orm.em.fork();
    const viewer = await authenticate(em, services.tokens, credentials);
    return createContext(db.orm, services, request, viewer, em);
  };
  const metrics = createMetrics({ bus, sqlStatements: db.sqlStatements, jobs });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(requestId);
  app.use((req, res, next) => {
    res.on('finish', () => {
      const route =
        (res.locals.metricsRoute as string | undefined) ??
        (req.route as { path?: string } | undefined)?.path ??
        req.baseUrl ??
        'unmatched';
      metrics.httpRequests.inc({
        method: req.method,
        route: route || 'unmatched',
        status: res.statusCode,
      });
    });
    next();
  });

  // Pushes and the Tiki pull store into the inbox; one scheduler applies what they stored.
  const scheduler = new ApplyScheduler({
    orm: db.orm,
    bus,
    logger,
    modules: platformModules,
    maxAttempts: config.inboundMaxAttempts,
    sync: services.orderSync,
    chat: services.conversationInbox,
  });
  const webhooks = createWebhookRouter({
    orm: db.orm,
    bus,
    logger,
    platforms: config.platforms,
    messaging: config.messaging,
    ratePerSecond: config.webhookRateLimitPerSecond,
    scheduler,
    redis: limiterRedis,
  });
  app.use('/webhooks', webhooks.router);
  // Everything after the pushes answers browsers and GraphQL clients, and
  // carries helmet's headers. A push's answer goes to a platform's server,
  // for which framing, sniffing and transport policies mean nothing, so the
  // busiest route in the API does not write a dozen headers no one reads.
  app.use(securityHeaders());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, 'ok' | 'failed'> = {};
    try {
      await db.orm.em.getConnection().execute('select 1');
      checks.database = 'ok';
    } catch {
      checks.database = 'failed';
    }
    if (bus.kind === 'redis') checks.redis = (await bus.ping()) ? 'ok' : 'failed';
    const ready = Object.values(checks).every((check) => check === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });
  app.use(
    '/imports',
    createCustomerImportRouter({
      orm: db.orm,
      bus,
      tokens: services.tokens,
      logger,
      limits: config.imports,
    }),
  );
  const tikiPuller = startTikiPuller(deps, scheduler);

  app.use(
    '/exports',
    createExportRouter({
      orm: db.orm,
      databaseUrl: db.url,
      tokens: services.tokens,
      logger,
      limits: config.exports,
    }),
  );

  app.use(
    '/oauth',
    createOAuthRouter({ orm: db.orm, logger, authorization: services.channelAuthorization }),
  );

  const metricsRoutes = createMetricsRoutes(metrics, config);
  if (metricsRoutes.apiRouter) app.use(metricsRoutes.apiRouter);
  logger.info(describeMetricsExposure(config));

  const httpServer = http.createServer(app);
  const limits = createOperationLimits({
    maxDepth: config.graphqlMaxDepth,
    introspection: config.graphqlIntrospection,
  });
  const ws = startGraphqlWsServer({
    httpServer,
    schema,
    limits,
    production,
    caps: config.websocket,
    subscriptionLimits: config.subscriptions,
    services,
    logger,
    registry: metrics.registry,
  });

  const apollo = new ApolloServer<Context>({
    schema,
    // Refused by the shared rule in `limits` instead, with the same message on both transports.
    introspection: true,
    includeStacktraceInErrorResponses: !production,
    allowBatchedHttpRequests: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    formatError: (formatted, error) => formatClientError(formatted, error, production),
    plugins: [
      operationCostPlugin(limits),
      // No HTTP caching of GraphQL responses here; skip the per-field cache-hint work.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads from a CDN (blank offline): web-ui.routes serves GraphiQL.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
      metricsPlugin(metrics),
      failureReportPlugin({ db, logger }),
    ],
  });
  await apollo.start();

  // Before the web UI's GET /graphql, whose router would answer a preflight itself.
  app.use('/graphql', graphqlCors(config.corsOrigins));
  app.use(createWebUiRouter({ graphiql: config.graphiql }));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        try {
          return await contextFor(
            { id: String(res.locals.requestId), clientIp: req.ip ?? 'unknown' },
            credentialsFromHeaders(req),
          );
        } catch (error) {
          if (error instanceof DomainError) {
            throw new GraphQLError(error.message, {
              extensions: { code: error.code, http: { status: 401 } },
            });
          }
          // Apollo's plugins never see a request whose context failed: log it here.
          logger.error({ err: error, requestId: res.locals.requestId }, 'GraphQL context failed');
          throw error;
        }
      },
    }),
  );

  return {
    httpServer,
    schema,
    metrics,
    metricsServer: metricsRoutes.server,
    services,
    tikiPuller,
    listen: async (port, host) => {
      const address = await listenOn(httpServer, port, host);
      const metricsPort = config.metrics.port;
      if (metricsRoutes.server && metricsPort !== undefined) {
        await listenOn(metricsRoutes.server, metricsPort, host);
      }
      return address;
    },
    stop: async () => {
      await apollo.stop();
      await tikiPuller?.stop();
      await scheduler.drain();
      webhooks.close();
      await services.bot.drain();
      await limiterRedis?.quit().catch(() => undefined);
      for (const server of [httpServer, metricsRoutes.server]) {
        if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
