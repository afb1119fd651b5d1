import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  GraphQLError,
  OperationTypeNode,
  specifiedRules,
  validate,
  type GraphQLSchema,
} from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { authenticate, refreshViewer, type Credentials } from './auth/authenticate';
import { createLoginLimiter } from './auth/login-limiter';
import { permissionsFor } from './auth/permissions';
import { createTokenService } from './auth/tokens';
import type { Viewer } from './auth/viewer';
import type { Config } from './config';
import { TIKI_DEFAULT_BASE_URL, TikiQueueClient } from './integrations/tiki-queue';
import { createOrderApiClients } from './integrations/order-api';
import { createChatWebhookRouter } from './integrations/chat-webhook.routes';
import { createWebhookRouter } from './integrations/webhook.routes';
import { createCustomerImportRouter } from './http/customer-import.routes';
import { createWebUiRouter } from './http/web-ui.routes';
import { requestIdOf } from './http/request-id';
import { sweptOutboundDelivery } from './jobs/send-message.job';
import { createConversationInbox } from './services/conversation-inbox.service';
import { createExportRouter } from './exports/export.routes';
import type { Database } from './db/database';
import type { Jobs } from './jobs/boss';
import { createMetrics, type Metrics } from './metrics';
import type { EventBus } from './realtime/event-bus';
import { OrderEventTail } from './realtime/order-event-tail';
import { connectRedis } from './redis';
import { buildCrmSchema } from './schema/build-schema';
import { createContext, type Context } from './schema/context';
import { formatClientError, isInternalError } from './schema/format-error';
import type { AppServices } from './services/app-services';
import { audit } from './services/audit';
import { createConversationBot } from './services/bot/conversation-bot';
import type { OutboundDelivery } from './services/conversation-contracts';
import { DomainError } from './services/errors';
import { TikiPuller } from './services/tiki-puller';

export type AppDeps = {
  config: Pick<
    Config,
    | 'env'
    | 'graphqlMaxDepth'
    | 'graphiql'
    | 'jwtSecret'
    | 'jwtTtlSeconds'
    | 'redisUrl'
    | 'platforms'
    | 'webhookRateLimitPerSecond'
    | 'inboundMaxAttempts'
    | 'tikiQueue'
    | 'bot'
    | 'messaging'
    | 'exports'
    | 'imports'
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
  listen: (port: number, host?: string) => Promise<AddressInfo>;
  services: AppServices;
  /** Present when Tiki's client credentials are configured. */
  tikiPuller: TikiPuller | null;
  /** Stops accepting, drains HTTP requests and closes every socket. */
  stop: () => Promise<void>;
};

function requestId(req: Request, res: Response, next: NextFunction): void {
  const id = requestIdOf(req.get('x-request-id'));
  res.locals.requestId = id;
  res.setHeader('x-request-id', id);
  next();
}

function metricsPlugin(metrics: Metrics, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const stopTimer = metrics.graphqlDuration.startTimer();
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isInternalError({ message: error.message, extensions: error.extensions }, error)) {
              logger.error(
                { err: error.originalError ?? error, requestId: contextValue.requestId },
                'GraphQL request failed',
              );
            }
          }
        },
        async willSendResponse({ operation, operationName, response }) {
          const labels = {
            operation: operationName ?? 'anonymous',
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

/** Every mutation refused for lack of permission is written to the audit log. */
function deniedMutationAuditPlugin(db: Database): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operation, contextValue }) {
          if (operation?.operation !== OperationTypeNode.MUTATION) return;
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code !== 'FORBIDDEN' && code !== 'UNAUTHENTICATED') continue;
            await audit(db.orm.em.fork(), {
              actor: contextValue.viewer,
              action: 'permission_denied',
              entityType: 'Mutation',
              entityId: String(error.path?.[0] ?? operation.name?.value ?? 'unknown'),
              data: { code, requestId: contextValue.requestId },
            });
          }
        },
      };
    },
  };
}

function credentialsFromHeaders(req: Request): Credentials {
  return { authorization: req.get('authorization'), apiKey: req.get('x-api-key') };
}

function credentialsFromConnectionParams(params: Record<string, unknown> | undefined): Credentials {
  const pick = (...names: string[]) => {
    for (const name of names) {
      const value = params?.[name];
      if (typeof value === 'string') return value;
    }
    return undefined;
  };
  return {
    authorization: pick('authorization', 'Authorization'),
    apiKey: pick('apiKey', 'x-api-key'),
  };
}

/** Tiki pushes nothing: with its client credentials set, this API pulls its event queue. */
function startTikiPuller({ config, db, bus, logger }: AppDeps): TikiPuller | null {
  const tiki = config.platforms.tiki;
  if (tiki.missing.length > 0 || !tiki.secrets.appKey || !tiki.secrets.appSecret) return null;
  const puller = new TikiPuller({
    orm: db.orm,
    bus,
    logger,
    maxAttempts: config.inboundMaxAttempts,
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
  const services: AppServices = {
    orm: db.orm,
    inboundMaxAttempts: config.inboundMaxAttempts,
    tokens: createTokenService(jwtSecret, config.jwtTtlSeconds),
    loginLimiter: createLoginLimiter(limiterRedis),
    bus,
    orderEventTail: new OrderEventTail(db.orm, bus, logger),
    logger,
    orderSync: jobs?.orderSync ?? { clients: createOrderApiClients(config.platforms) },
    orderSyncQueue: jobs?.orderSyncQueue,
    bot,
    conversationInbox: createConversationInbox({ bus, logger, bot }),
    outbound,
    messaging: config.messaging,
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
  app.set('trust proxy', 'loopback');
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

  const chatWebhooks = createChatWebhookRouter({
    orm: db.orm,
    bus,
    logger,
    messaging: config.messaging,
    chat: services.conversationInbox,
    ratePerSecond: config.webhookRateLimitPerSecond,
    maxAttempts: config.inboundMaxAttempts,
    redis: limiterRedis,
  });
  // Before the order router: its `/:platform` would answer 404 for facebook and zalo.
  app.use('/webhooks', chatWebhooks.router);
  const webhooks = createWebhookRouter({
    orm: db.orm,
    bus,
    logger,
    platforms: config.platforms,
    ratePerSecond: config.webhookRateLimitPerSecond,
    maxAttempts: config.inboundMaxAttempts,
    orderSync: services.orderSync,
    chat: services.conversationInbox,
    redis: limiterRedis,
    metrics: metrics.httpRequests,
  });
  app.use('/webhooks', webhooks.router);
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
  const tikiPuller = startTikiPuller(deps);

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

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // Order pushes skip Express when they can (see the webhook router's fast path).
  const httpServer = http.createServer((req, res) => {
    if (!webhooks.fastPath(req, res)) void app(req, res);
  });
  const armor = new ApolloArmor({
    maxDepth: { n: config.graphqlMaxDepth, ignoreIntrospection: true },
    costLimit: { maxCost: 20_000, ignoreIntrospection: true },
    maxAliases: { n: 30 },
    maxDirectives: { n: 50 },
    maxTokens: { n: 5_000 },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();

  // graphql-ws runs neither Apollo's plugins nor its validation rules: pass the same rules.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // The socket authenticates once at connection_init (missing or bad credentials: 4403)
  // and keeps the viewer; subscriptions re-check it for every event.
  const wsCleanup = useServer<Record<string, unknown> | undefined, { viewer?: Viewer | null }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          ctx.extra.viewer = await authenticate(
            db.orm.em.fork(),
            services.tokens,
            credentialsFromConnectionParams(ctx.connectionParams),
          );
          // Every socket operation needs a viewer: no credentials is refused like bad ones.
          return ctx.extra.viewer !== null;
        } catch (error) {
          if (error instanceof DomainError) return false;
          throw error;
        }
      },
      // A socket lives long: every operation on it re-reads its viewer, so a
      // deactivated user or a revoked key loses the socket as it loses HTTP.
      onSubscribe: async (ctx) => {
        const known = ctx.extra.viewer;
        if (!known) return undefined;
        const viewer = await refreshViewer(db.orm.em.fork(), known);
        if (!viewer) {
          return [
            new GraphQLError('The session ended (user deactivated or key revoked)', {
              extensions: { code: 'UNAUTHENTICATED' },
            }),
          ];
        }
        ctx.extra.viewer = viewer;
        return undefined;
      },
      context: (ctx) =>
        createContext(
          db.orm,
          services,
          { id: randomUUID(), clientIp: ctx.extra.request.socket.remoteAddress ?? 'unknown' },
          ctx.extra.viewer ?? null,
        ),
      validate: (s, document) =>
        validate(s, document, [...specifiedRules, ...protection.validationRules]),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? {
              ...result,
              errors: result.errors.map((error) =>
                formatClientError(error.toJSON(), error, production),
              ),
            }
          : result,
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: !production,
    allowBatchedHttpRequests: false,
    validationRules: protection.validationRules,
    formatError: (formatted, error) => formatClientError(formatted, error, production),
    plugins: [
      ...protection.plugins,
      // No HTTP caching of GraphQL responses here; skip the per-field cache-hint work.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads from a CDN (blank offline): web-ui.routes serves GraphiQL.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
      metricsPlugin(metrics, logger),
      deniedMutationAuditPlugin(db),
    ],
  });
  await apollo.start();

  app.use(createWebUiRouter({ graphiql: config.graphiql }));
  app.use(
    '/graphql',
    cors(),
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
          throw error;
        }
      },
    }),
  );

  return {
    httpServer,
    schema,
    metrics,
    services,
    tikiPuller,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve(httpServer.address() as AddressInfo);
        });
      }),
    stop: async () => {
      await apollo.stop();
      wsServer.close();
      await tikiPuller?.stop();
      await webhooks.drain();
      await services.bot.drain();
      await chatWebhooks.drain();
      await limiterRedis?.quit().catch(() => undefined);
      if (httpServer.listening) {
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      }
    },
  };
}
