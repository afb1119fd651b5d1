import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import { specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Config } from './config';
import type { Database } from './db/database';
import type { Jobs } from './jobs/boss';
import { createMetrics, type Metrics } from './metrics';
import type { EventBus } from './realtime/event-bus';
import { buildCrmSchema } from './schema/build-schema';
import { createContext, type Context } from './schema/context';
import { formatClientError, isInternalError } from './schema/format-error';

export type AppDeps = {
  config: Pick<Config, 'env' | 'graphqlMaxDepth'>;
  logger: Logger;
  db: Database;
  bus: EventBus;
  jobs?: Jobs;
};

export type App = {
  httpServer: http.Server;
  schema: GraphQLSchema;
  metrics: Metrics;
  listen: (port: number, host?: string) => Promise<AddressInfo>;
  /** Stops accepting, drains HTTP requests and closes every socket. */
  stop: () => Promise<void>;
};

const REQUEST_ID = /^[\w.:-]{1,100}$/;

function requestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get('x-request-id');
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
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

export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger, db, bus, jobs } = deps;
  const production = config.env === 'production';
  const schema = await buildCrmSchema(bus);
  const metrics = createMetrics({ bus, sqlStatements: db.sqlStatements, jobs });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestId);
  app.use((req, res, next) => {
    res.on('finish', () => {
      const route =
        (req.route as { path?: string } | undefined)?.path ?? req.baseUrl ?? 'unmatched';
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

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const httpServer = http.createServer(app);
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
  const wsCleanup = useServer<Record<string, unknown>, { context?: Context }>(
    {
      schema,
      context: () => createContext(db.orm, randomUUID()),
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
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    cors(),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ res }) => createContext(db.orm, String(res.locals.requestId)),
    }),
  );

  return {
    httpServer,
    schema,
    metrics,
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
      if (httpServer.listening) {
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      }
    },
  };
}
