import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GraphQLError,
  getArgumentValues,
  getOperationAST,
  Kind,
  OperationTypeNode,
  subscribe,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate, refreshViewer, type Credentials } from '../auth/authenticate';
import { scopeClassOf } from '../auth/scopes';
import type { Viewer } from '../auth/viewer';
import type { SubscriptionLimits, WebSocketLimits } from '../config';
import { operationLabel } from '../metrics';
import { clientIpOf } from '../http/security';
import { createContext, type Context } from '../schema/context';
import { formatClientError } from '../schema/format-error';
import type { OperationLimits } from '../schema/operation-limits';
import { reportFailedOperation } from '../schema/operation-report';
import type { AppServices } from '../app/app-services';
import { DomainError } from '../kernel/errors';
import type { EventBus } from './event-bus';
import {
  FanOut,
  identityOf,
  sessionEndedError,
  type Identity,
  type ListenerCount,
  type SocketSession,
  type Subscriber,
} from './fan-out';
import { PreparedOperations, stableJson } from './prepared-operations';
import { asViewerClass } from './scoped-subscription';

const GRAPHQL_WS_PATH = '/graphql';

/**
 * The largest message a socket may send (connection_init and subscribe
 * included); a larger frame closes the socket with 1009 before it is
 * buffered or parsed. The HTTP body limit is larger because an HTTP request
 * carries one operation and ends.
 */
export const WS_MAX_PAYLOAD_BYTES = 256 * 1024;

/** Closes a socket over the process's cap, at once (see docs/limits-and-security.md). */
export const PROCESS_FULL_CLOSE_CODE = 1013;
/** Closes a socket at connection_init when its user or key holds WS_MAX_SOCKETS_PER_VIEWER. */
export const VIEWER_SOCKETS_CLOSE_CODE = 4012;

type SocketExtra = {
  /** The socket's viewer from connection_init on, kept current by the fan-out. */
  session?: SocketSession;
  /** Whose sockets this one counts in, once connection_init accepted it. */
  counted?: Identity;
  /** Subscription slots taken by onSubscribe, by operation id, until the subscription ends. */
  slots?: Map<string, () => void>;
};

/**
 * How a subscription field shares its executions (type-graphql
 * `@Extensions({ fanOut })` on the field): `scope` among viewers of one
 * scope class, `none` never (it starts with a state of its own); without the
 * extension, among one viewer's subscriptions. `replayArg`: a value there
 * (a cursor to resume from) makes the subscription a group of its own, as
 * it starts with its own catch-up.
 */
export type FanOutExtension = { share: 'scope' | 'none'; replayArg?: string };

/** Per-identity counts that free their entry at zero. */
class Tally {
  private readonly counts = new Map<string, number>();
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  add(key: string, delta: number): void {
    const next = this.get(key) + delta;
    if (next > 0) this.counts.set(key, next);
    else this.counts.delete(key);
  }
}

/**
 * The group a subscription joins: null when it runs alone. Keyed by the
 * operation's text, name and variables, and by who it runs as: the viewer's
 * scope class for fields that say so, else the viewer itself.
 */
function shareOf(
  schema: GraphQLSchema,
  args: ExecutionArgs,
  query: string,
  viewer: Viewer,
): { key: string; classKey: string } | null {
  const operation = getOperationAST(args.document, args.operationName);
  const [selection] = operation?.selectionSet.selections ?? [];
  const rootField = selection?.kind === Kind.FIELD ? selection : undefined;
  const field = rootField && schema.getSubscriptionType()?.getFields()[rootField.name.value];
  if (!rootField || !field) return null;
  const fanOut = field.extensions.fanOut as FanOutExtension | undefined;
  if (fanOut?.share === 'none') return null;
  if (fanOut?.replayArg) {
    const values = getArgumentValues(field, rootField, args.variableValues ?? undefined);
    const replay = values[fanOut.replayArg];
    if (replay !== undefined && replay !== null) return null;
  }
  const classKey =
    fanOut?.share === 'scope'
      ? scopeClassOf(viewer)
      : `${identityOf(viewer)}|${scopeClassOf(viewer)}`;
  const key = [
    classKey,
    args.operationName ?? '',
    stableJson(args.variableValues ?? {}),
    query,
  ].join('\n');
  return { key, classKey };
}

/** What the context of a subscription's own execution knows of its subscriber. */
type Pending = { query: string; subscriber: Omit<Subscriber, 'onLeave'>; release: () => void };

/** Counts the bus subscriptions one group's execution holds. */
function countingBus(bus: EventBus, count: ListenerCount): EventBus {
  return Object.assign(Object.create(bus) as EventBus, {
    subscribe: (topic: string, dynamicId?: unknown) => {
      const events = bus.subscribe(topic, dynamicId);
      return {
        [Symbol.asyncIterator]: () => {
          const inner = events[Symbol.asyncIterator]();
          count.open += 1;
          let open = true;
          return {
            next: () => inner.next(),
            return: async () => {
              if (open) count.open -= 1;
              open = false;
              return (await inner.return?.()) ?? { done: true, value: undefined };
            },
          } satisfies AsyncIterator<unknown>;
        },
      };
    },
  });
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

/** Answers an upgrade with a plain HTTP status instead of a WebSocket. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Connection: close',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  );
}

/**
 * Counts open sockets per client IP and accepts an upgrade only below the
 * cap; the count drops when the underlying connection closes, however the
 * socket ended (a failed handshake included).
 */
function acceptUpgrades(
  httpServer: Server,
  wsServer: WebSocketServer,
  maxSocketsPerIp: number,
  maxSockets: number,
): { stop: () => void; readonly open: number } {
  const openPerIp = new Map<string, number>();
  let total = 0;
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== GRAPHQL_WS_PATH) {
      refuseUpgrade(socket, 400, 'WebSockets are served at /graphql');
      return;
    }
    const ip = clientIpOf(req);
    const open = openPerIp.get(ip) ?? 0;
    if (open >= maxSocketsPerIp) {
      refuseUpgrade(socket, 429, `At most ${maxSocketsPerIp} open sockets per client`);
      return;
    }
    if (total >= maxSockets) {
      // A browser sees no HTTP status: it gets a WebSocket closed with a code it can act on.
      wsServer.handleUpgrade(req, socket, head, (ws) =>
        ws.close(
          PROCESS_FULL_CLOSE_CODE,
          `Try again later: this server holds ${maxSockets} sockets`,
        ),
      );
      return;
    }
    openPerIp.set(ip, open + 1);
    total += 1;
    socket.once('close', () => {
      total -= 1;
      const left = (openPerIp.get(ip) ?? 1) - 1;
      if (left > 0) openPerIp.set(ip, left);
      else openPerIp.delete(ip);
    });
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
  };
  httpServer.on('upgrade', onUpgrade);
  return {
    stop: () => httpServer.off('upgrade', onUpgrade),
    get open() {
      return total;
    },
  };
}

/** The fan-out's figures on /metrics. */
function fanOutMetrics(registry: Registry, fanOut: () => FanOut, sockets: () => number) {
  const executions = new Counter({
    name: 'subscription_executions_total',
    help: 'Subscription events executed, once per group of subscribers sharing an execution',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'subscription_deliveries_total',
    help: 'Subscription messages written to sockets',
    registers: [registry],
  });
  const slowConsumers = new Counter({
    name: 'ws_slow_consumer_closes_total',
    help: 'Sockets closed 4011 because their unsent data exceeded WS_MAX_BUFFERED_BYTES',
    registers: [registry],
  });
  new Gauge({
    name: 'ws_sockets_open',
    help: 'WebSockets open in this process',
    registers: [registry],
    collect() {
      this.set(sockets());
    },
  });
  new Gauge({
    name: 'subscription_groups',
    help: 'Executions running for subscribers (each shared by one or more)',
    registers: [registry],
    collect() {
      this.set(fanOut().groupCount);
    },
  });
  new Gauge({
    name: 'subscription_subscribers',
    help: 'Subscriptions served by those executions',
    registers: [registry],
    collect() {
      this.set(fanOut().memberCount);
    },
  });
  return {
    onExecution: (operation: string) => executions.inc({ operation }),
    onDeliveries: (count: number) => deliveries.inc(count),
    onSlowConsumer: () => slowConsumers.inc(),
  };
}

/**
 * graphql-ws on the API's HTTP server, with what Apollo gives HTTP requests:
 * the same parse limits, validation rules and cost (operation-limits.ts), the
 * same error mapping and the same report of failures (logs, audit).
 * Subscriptions are executed once per group of equal subscribers and
 * delivered without waiting for any socket (fan-out.ts).
 */
export function startGraphqlWsServer(deps: {
  httpServer: Server;
  schema: GraphQLSchema;
  limits: OperationLimits;
  production: boolean;
  caps: WebSocketLimits;
  subscriptionLimits: SubscriptionLimits;
  services: AppServices;
  logger: Logger;
  registry: Registry;
}): { dispose: () => Promise<void> } {
  const { schema, limits, production, caps, subscriptionLimits, services, logger } = deps;
  const orm = services.orm;
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES });
  const upgrades = acceptUpgrades(
    deps.httpServer,
    wsServer,
    caps.maxSocketsPerIp,
    subscriptionLimits.maxSockets,
  );
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => formatClientError(error.toJSON(), error, production));
  /** What graphql-ws sends for a result: errors reported (logs, audit) and formatted. */
  const finish = async (args: ExecutionArgs, result: ExecutionResult) => {
    if (!result.errors) return result;
    const context = args.contextValue as Context;
    await reportFailedOperation(
      { orm, logger },
      {
        errors: result.errors,
        operation: getOperationAST(args.document, args.operationName),
        viewer: context.viewer,
        requestId: context.requestId,
      },
    );
    return { ...result, errors: format(result.errors) };
  };

  const socketsPerViewer = new Tally();
  const subscriptionsPerViewer = new Tally();
  const pending = new WeakMap<object, Pending>();
  const fanOut: FanOut = new FanOut({
    bus: services.bus,
    maxBufferedBytes: subscriptionLimits.maxBufferedBytes,
    refreshViewer: (viewer) => refreshViewer(orm.em.fork(), viewer),
    scopeClassOf,
    stats: fanOutMetrics(
      deps.registry,
      () => fanOut,
      () => upgrades.open,
    ),
    onError: (error) => logger.error({ err: error }, 'subscription fan-out failed'),
  });
  services.bus.countAlso(() => fanOut.subscriptionCount());
  const labels = new WeakMap<DocumentNode, string>();
  const labelOf = (args: ExecutionArgs) => {
    let label = labels.get(args.document);
    if (!label) {
      label = operationLabel(getOperationAST(args.document, args.operationName));
      labels.set(args.document, label);
    }
    return label;
  };

  /** A subscription joins its group; the group's execution runs as its viewer class. */
  const subscribeShared = async (args: ExecutionArgs) => {
    const own = pending.get(args.contextValue as object);
    if (!own) return subscribe(args);
    pending.delete(args.contextValue as object);
    const viewer = own.subscriber.viewer;
    const share = shareOf(schema, args, own.query, viewer);
    const subscriber: Subscriber = { ...own.subscriber, onLeave: own.release };
    const joined = await fanOut.join(subscriber, share, labelOf(args), async (listeners) => {
      const groupArgs: ExecutionArgs = share
        ? {
            ...args,
            contextValue: createContext(
              orm,
              { ...services, bus: countingBus(services.bus, listeners) },
              { id: randomUUID(), clientIp: (args.contextValue as Context).clientIp },
              asViewerClass(viewer),
            ),
          }
        : args;
      const results = await subscribe(groupArgs);
      if (!(Symbol.asyncIterator in results)) return results;
      return {
        results: results[Symbol.asyncIterator](),
        finish: (result) => finish(groupArgs, result),
      };
    });
    return joined;
  };

  const preparedOperations = new PreparedOperations(schema, limits);

  // The socket authenticates once at connection_init (missing or bad credentials: 4403)
  // and keeps the viewer as a session the fan-out keeps current; subscriptions re-check
  // it for every event.
  const server = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        let viewer: Viewer | null;
        try {
          viewer = await authenticate(
            orm.em.fork(),
            services.tokens,
            credentialsFromConnectionParams(ctx.connectionParams),
          );
        } catch (error) {
          if (error instanceof DomainError) return false;
          throw error;
        }
        // Every socket operation needs a viewer: no credentials is refused like bad ones.
        if (!viewer) return false;
        const identity = identityOf(viewer);
        if (socketsPerViewer.get(identity) >= subscriptionLimits.maxSocketsPerViewer) {
          // Closed with its own code first; graphql-ws's 4403 that follows is ignored by ws.
          ctx.extra.socket.close(
            VIEWER_SOCKETS_CLOSE_CODE,
            `At most ${subscriptionLimits.maxSocketsPerViewer} open sockets per user or API key`,
          );
          return false;
        }
        socketsPerViewer.add(identity, 1);
        ctx.extra.counted = identity;
        const session: SocketSession = { viewer, ended: false };
        ctx.extra.session = session;
        fanOut.watchSession(session);
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.counted) socketsPerViewer.add(ctx.extra.counted, -1);
        ctx.extra.counted = undefined;
        if (ctx.extra.session) fanOut.unwatchSession(ctx.extra.session);
        for (const release of ctx.extra.slots?.values() ?? []) release();
      },
      onSubscribe: async (ctx, id, payload) => {
        // graphql-ws lists this operation before calling here.
        if (Object.keys(ctx.subscriptions).length > caps.maxOperationsPerSocket) {
          return [
            new GraphQLError(
              `At most ${caps.maxOperationsPerSocket} operations at once on one socket`,
              { extensions: { code: 'RATE_LIMITED' } },
            ),
          ];
        }
        const prepared = preparedOperations.prepare(payload);
        if (Array.isArray(prepared)) return prepared;
        const session = ctx.extra.session;
        if (session) {
          const subscription = prepared.operation.operation === OperationTypeNode.SUBSCRIPTION;
          if (session.ended) return [sessionEndedError()];
          if (!subscription) {
            // A query or mutation reads its viewer afresh, as it would over HTTP.
            const viewer = await refreshViewer(orm.em.fork(), session.viewer);
            if (!viewer) {
              session.ended = true;
              return [sessionEndedError()];
            }
            session.viewer = viewer;
          } else {
            // A subscription takes the session's viewer without a read: it was read at
            // connection_init, is re-read every few seconds and ended by a revocation
            // (fan-out.ts), and every event is checked against the scope.
            const identity = identityOf(session.viewer);
            if (
              subscriptionsPerViewer.get(identity) >= subscriptionLimits.maxSubscriptionsPerViewer
            ) {
              return [
                new GraphQLError(
                  `At most ${subscriptionLimits.maxSubscriptionsPerViewer} subscriptions at once per user or API key`,
                  { extensions: { code: 'RATE_LIMITED' } },
                ),
              ];
            }
            subscriptionsPerViewer.add(identity, 1);
            const slots = (ctx.extra.slots ??= new Map());
            let held = true;
            slots.set(id, () => {
              if (!held) return;
              held = false;
              slots.delete(id);
              subscriptionsPerViewer.add(identity, -1);
            });
          }
        }
        return {
          schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      context: (ctx, id, payload) => {
        const session = ctx.extra.session;
        const viewer = session?.viewer ?? null;
        const context = createContext(
          orm,
          services,
          { id: randomUUID(), clientIp: clientIpOf(ctx.extra.request) },
          viewer,
        );
        const release = ctx.extra.slots?.get(id);
        if (viewer && release) {
          const socket: WebSocket = ctx.extra.socket;
          pending.set(context, {
            query: payload.query,
            subscriber: { socket, id, viewer, session },
            release,
          });
        }
        return context;
      },
      subscribe: subscribeShared,
      onNext: async (_ctx, _id, _payload, args, result) => finish(args, result),
      onError: async (ctx, _id, _payload, errors) => {
        await reportFailedOperation(
          { orm, logger },
          {
            errors,
            operation: null,
            viewer: ctx.extra.session?.viewer ?? null,
            requestId: undefined,
          },
        );
        return format(errors);
      },
    },
    wsServer,
  );
  return {
    dispose: async () => {
      upgrades.stop();
      await server.dispose();
    },
  };
}
