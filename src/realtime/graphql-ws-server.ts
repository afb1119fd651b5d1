import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { authenticate, refreshViewer, type Credentials } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import type { WebSocketLimits } from '../config';
import { clientIpOf } from '../http/security';
import { createContext, type Context } from '../schema/context';
import { formatClientError } from '../schema/format-error';
import { prepareOperation, type OperationLimits } from '../schema/operation-limits';
import { reportFailedOperation } from '../schema/operation-report';
import type { AppServices } from '../app/app-services';
import { DomainError } from '../kernel/errors';

const GRAPHQL_WS_PATH = '/graphql';

/**
 * The largest message a socket may send (connection_init and subscribe
 * included); a larger frame closes the socket with 1009 before it is
 * buffered or parsed. The HTTP body limit is larger because an HTTP request
 * carries one operation and ends.
 */
export const WS_MAX_PAYLOAD_BYTES = 256 * 1024;

type SocketExtra = { viewer?: Viewer | null };

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
): () => void {
  const openPerIp = new Map<string, number>();
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
    openPerIp.set(ip, open + 1);
    socket.once('close', () => {
      const left = (openPerIp.get(ip) ?? 1) - 1;
      if (left > 0) openPerIp.set(ip, left);
      else openPerIp.delete(ip);
    });
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
  };
  httpServer.on('upgrade', onUpgrade);
  return () => httpServer.off('upgrade', onUpgrade);
}

/**
 * graphql-ws on the API's HTTP server, with what Apollo gives HTTP requests:
 * the same parse limits, validation rules and cost (operation-limits.ts), the
 * same error mapping and the same report of failures (logs, audit).
 */
export function startGraphqlWsServer(deps: {
  httpServer: Server;
  schema: GraphQLSchema;
  limits: OperationLimits;
  production: boolean;
  caps: WebSocketLimits;
  services: AppServices;
  logger: Logger;
}): { dispose: () => Promise<void> } {
  const { schema, limits, production, caps, services, logger } = deps;
  const orm = services.orm;
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES });
  const stopAccepting = acceptUpgrades(deps.httpServer, wsServer, caps.maxSocketsPerIp);
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => formatClientError(error.toJSON(), error, production));

  // The socket authenticates once at connection_init (missing or bad credentials: 4403)
  // and keeps the viewer; subscriptions re-check it for every event.
  const server = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          ctx.extra.viewer = await authenticate(
            orm.em.fork(),
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
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws lists this operation before calling here.
        if (Object.keys(ctx.subscriptions).length > caps.maxOperationsPerSocket) {
          return [
            new GraphQLError(
              `At most ${caps.maxOperationsPerSocket} operations at once on one socket`,
              { extensions: { code: 'RATE_LIMITED' } },
            ),
          ];
        }
        const prepared = prepareOperation(schema, limits, payload);
        if (Array.isArray(prepared)) return prepared;
        // A socket lives long: every operation on it re-reads its viewer, so a
        // deactivated user or a revoked key loses the socket as it loses HTTP.
        const known = ctx.extra.viewer;
        if (known) {
          const viewer = await refreshViewer(orm.em.fork(), known);
          if (!viewer) {
            return [
              new GraphQLError('The session ended (user deactivated or key revoked)', {
                extensions: { code: 'UNAUTHENTICATED' },
              }),
            ];
          }
          ctx.extra.viewer = viewer;
        }
        return {
          schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      context: (ctx) =>
        createContext(
          orm,
          services,
          { id: randomUUID(), clientIp: clientIpOf(ctx.extra.request) },
          ctx.extra.viewer ?? null,
        ),
      onNext: async (_ctx, _id, _payload, args, result) => {
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
      },
      onError: async (ctx, _id, _payload, errors) => {
        await reportFailedOperation(
          { orm, logger },
          { errors, operation: null, viewer: ctx.extra.viewer ?? null, requestId: undefined },
        );
        return format(errors);
      },
    },
    wsServer,
  );
  return {
    dispose: async () => {
      stopAccepting();
      await server.dispose();
    },
  };
}
