import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { Router, type Request, type Response } from 'express';
import type Redis from 'ioredis';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config';
import { headersOf, headerText } from '../http/headers';
import { LogSummary } from '../log-summary';
import { requestIdOf } from '../http/request-id';
import { createRateLimiter, RateLimiterRes, ReservingRateLimiter } from '../rate-limit';
import { Channel } from '../entities';
import { Platform } from '../entities/enums';
import type { EventBus } from '../realtime/event-bus';
import type { ChatApplier } from '../services/conversations/conversation-inbox.service';
import {
  inboundService,
  type ParsedPayload,
  type ReceiveResult,
} from '../services/orders/inbound.service';
import { InboxWriter } from '../services/conversations/inbox-writer';
import type { OrderSync } from '../services/orders/order-enrichment.service';
import { TOPICS } from '../kernel/topics';
import { channelAlertService } from '../services/channels/channel-alert.service';
import { authorizationNotices } from './authorization-notices';
import { isPlatformKey, platformModules } from './index';
import { namedShop } from './payload';
import type { NormalizedOrderEvent, WebhookSecrets } from './types';

export type WebhookDeps = {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  platforms: PlatformConfig;
  ratePerSecond: number;
  maxAttempts: number;
  orderSync: OrderSync;
  /** Applies the chat messages of marketplace pushes (Lazada IM, TikTok type 14, Shopee code 10). */
  chat?: ChatApplier;
  redis?: Redis;
  /** Counts the pushes the fast path answers, as the app's request counter does for Express. */
  metrics: Pick<Counter<'method' | 'route' | 'status'>, 'inc'>;
};

/**
 * A marketplace's own "authorization expiring" push (Lazada 8, Shopee 12,
 * TikTok 7) carries no order event: it records the end it names and raises
 * REAUTHORIZE_SOON once per end, like the refresh job's own check.
 */
async function raiseAuthorizationAlerts(
  deps: Pick<WebhookDeps, 'orm' | 'bus'>,
  platform: Platform,
  payload: unknown,
): Promise<void> {
  const notices = authorizationNotices(platform, payload);
  if (notices.length === 0) return;
  const em = deps.orm.em.fork();
  for (const notice of notices) {
    const alert = await channelAlertService.noteAuthorizationExpiring(em, notice);
    if (alert) deps.bus.publish(TOPICS.channelAlert, alert);
  }
}

/** Concurrent applies per process: the rest of the pool stays free for acks and queries. */
const APPLY_WORKERS = 3;
/** A lane for a key (FNV-1a): the same key, the same lane, for the life of the process. */
function laneOf(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}

/** Events one apply transaction takes at most. */
const APPLY_BATCH = 200;

/** Platforms that want an empty 2xx body as the acknowledgement (platforms.md section 0.4). */
const EMPTY_ACK = new Set(['lazada', 'shopee', 'tiktok']);

/** Largest push body (1 MB), for the body parser and the fast path alike. */
const BODY_LIMIT_BYTES = 1024 * 1024;
/** `/webhooks/:platform` as Express matches it: any case, an optional trailing slash and query. */
const FAST_PATH = /^\/webhooks\/([a-z]+)\/?(?:\?.*)?$/i;

/** What a push is answered, before it is written as HTTP. */
type Reply = { status: number; body?: object; retryAfterSeconds?: number };

type PushRequest = {
  /** As it appears in the path. */
  platform: string;
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
  /** The URL the platform called, for a Shopee signature when SHOPEE_PUSH_URL is unset. */
  url: () => string;
};

/** `req.protocol` under the app's 'trust proxy' = loopback setting. */
function protocolOf(req: IncomingMessage): string {
  const own = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const forwarded = headerText(req.headers['x-forwarded-proto']);
  if (!forwarded || !isLoopback(req.socket.remoteAddress)) return own;
  return forwarded.split(',')[0]!.trim();
}

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'))
  );
}

/** The whole body, or null once it passes the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** The push's JSON, read once for all that looks into it; null when it is not JSON. */
function parsePayload(rawBody: Buffer): ParsedPayload | null {
  try {
    return { value: JSON.parse(rawBody.toString('utf8')) as unknown };
  } catch {
    return null;
  }
}

/** A field of the payload's top-level object, if it is one. */
function topLevel(payload: ParsedPayload | null, field: string): unknown {
  const value = payload?.value;
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[field]
    : undefined;
}

/** Sendo signs nothing: its pushes are matched against the shop key of the channel they name. */
async function sendoSecrets(
  orm: MikroORM,
  payload: ParsedPayload | null,
): Promise<WebhookSecrets | null> {
  const storeId = topLevel(payload, 'store_id');
  if (typeof storeId !== 'string' && typeof storeId !== 'number') return null;
  const channel = await orm.em
    .fork()
    .findOne(
      Channel,
      { platform: Platform.SENDO, externalShopId: String(storeId) },
      { fields: ['shopKey'] },
    );
  return channel?.shopKey ? { shopKey: channel.shopKey, storeId: String(storeId) } : null;
}

/**
 * POST /webhooks/:platform: verify over the raw bytes, rate-limit per
 * platform and shop, store in the inbox, answer, then apply. Nothing is
 * written for a push that fails verification.
 */
export function createWebhookRouter(deps: WebhookDeps): {
  router: Router;
  /** Handles the request and returns true when it is a push it serves; false: pass it on. */
  fastPath: (req: IncomingMessage, res: ServerResponse) => boolean;
  drain: () => Promise<void>;
} {
  const router = Router();
  // Counted in Redis in chunks: a round trip per request cost more than the rest of a push.
  const limiter = new ReservingRateLimiter(
    createRateLimiter(deps.redis, {
      keyPrefix: 'webhook',
      points: deps.ratePerSecond,
      durationSeconds: 1,
    }),
    deps.ratePerSecond,
  );

  // Applied after the answer by a few workers taking batches, so a burst of
  // pushes neither takes every database connection from the acks nor costs
  // a transaction per push; a graceful stop drains them. Each worker has its
  // own lane, and an order's events always take the same lane: pushes for
  // different orders apply side by side, those for one order in the order
  // they arrived (in two concurrent batches the later status could commit
  // first and the earlier one would then be dropped as stale).
  const lanes = Array.from({ length: APPLY_WORKERS }, () => ({
    // With what the route parsed of each order event, so its apply need not read it back.
    queue: [] as { id: string; event: NormalizedOrderEvent | undefined }[],
    busy: false,
  }));
  const anyBusy = () => lanes.some((lane) => lane.busy);
  let idle: Promise<void> = Promise.resolve();
  let markIdle = () => undefined as void;
  const work = async (lane: (typeof lanes)[number]) => {
    lane.busy = true;
    try {
      for (
        let batch = lane.queue.splice(0, APPLY_BATCH);
        batch.length > 0;
        batch = lane.queue.splice(0, APPLY_BATCH)
      ) {
        const known = new Map<string, NormalizedOrderEvent>();
        for (const { id, event } of batch) if (event) known.set(id, event);
        await inboundService.applyMany(
          deps.orm,
          deps.bus,
          platformModules,
          batch.map(({ id }) => id),
          deps.maxAttempts,
          deps.orderSync,
          deps.chat,
          known,
        );
      }
    } catch (error) {
      deps.logger.error({ err: error }, 'applying inbound events failed');
    } finally {
      lane.busy = false;
      if (!anyBusy()) markIdle();
    }
  };
  const applySoon = ({ stored, orderingKeys, events }: ReceiveResult) => {
    if (!anyBusy()) idle = new Promise((resolve) => (markIdle = resolve));
    stored.forEach((id, index) =>
      lanes[laneOf(orderingKeys[index]!, lanes.length)]!.queue.push({ id, event: events[index] }),
    );
    for (const lane of lanes) if (!lane.busy && lane.queue.length > 0) void work(lane);
  };
  const inbox = new InboxWriter(deps.orm);

  // A refused push is the sender's problem (a wrong secret, a burst), not a fault
  // here: counted per platform and reason into one info line a minute.
  const refusals = refusalSummary(deps.logger);
  const answer = async (push: PushRequest): Promise<Reply> => {
    const reply = await decide(push);
    const key = push.platform.toLowerCase();
    if (reply.status >= 400 && isPlatformKey(key)) {
      refusals.add(`${key} ${reply.status}: ${refusalText(reply.body)}`);
    }
    return reply;
  };

  /** Everything a push gets, whichever HTTP layer carried it. */
  const decide = async (push: PushRequest): Promise<Reply> => {
    const key = push.platform.toLowerCase();
    if (!isPlatformKey(key)) {
      return { status: 404, body: { error: `unknown platform "${push.platform}"` } };
    }
    if (key === 'tiki') {
      return {
        status: 404,
        body: { error: 'Tiki delivers through its event queue, which this API pulls' },
      };
    }
    const settings = deps.platforms[key];
    if (settings.missing.length > 0) {
      return {
        status: 503,
        body: {
          error: `${key} pushes are not accepted until ${settings.missing.join(' and ')} ${settings.missing.length > 1 ? 'are' : 'is'} set`,
        },
      };
    }
    const { rawBody, headers } = push;
    const module = platformModules[key];
    const payload = parsePayload(rawBody);
    const secrets = key === 'sendo' ? await sendoSecrets(deps.orm, payload) : settings.secrets;
    const verdict = secrets
      ? module.verify(rawBody, headers, secrets, push.url())
      : { ok: false as const, reason: 'no connected channel with a shop key for this push' };
    if (!verdict.ok) return { status: 401, body: { error: `push rejected: ${verdict.reason}` } };
    try {
      await limiter.consume(`${key}:${shopOf(payload)}`);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return {
        status: 429,
        retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
        body: { error: `more than ${deps.ratePerSecond} pushes per second for this shop` },
      };
    }
    await raiseAuthorizationAlerts(deps, module.platform, payload?.value);
    const result = await inboundService.receive(
      inbox.insert,
      module,
      rawBody,
      headers,
      payload ?? undefined,
    );
    if (result.stored.length > 0) applySoon(result);
    return EMPTY_ACK.has(key)
      ? { status: 200 }
      : { status: 200, body: { received: result.stored.length, duplicates: result.duplicates } };
  };

  router.post(
    '/:platform',
    // The raw bytes: signatures are over what was sent, never over re-serialized JSON.
    express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }),
    async (req: Request<{ platform: string }>, res: Response) => {
      if (isPlatformKey(req.params.platform)) {
        res.locals.metricsRoute = `/webhooks/${req.params.platform}`;
      }
      const reply = await answer({
        platform: req.params.platform,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        headers: headersOf(req.headers),
        url: () => `${req.protocol}://${req.get('host')}${req.originalUrl}`,
      });
      if (reply.retryAfterSeconds) res.setHeader('Retry-After', String(reply.retryAfterSeconds));
      if (reply.body === undefined) res.status(reply.status).end();
      else res.status(reply.status).json(reply.body);
    },
  );

  /**
   * The same route on node's own request and response, for the server to
   * try before Express: at thousands of pushes a second Express's routing,
   * middleware chain and body parser cost as much CPU as the push itself.
   * It keeps what those middlewares give a push (the request id, the request
   * counter, a logged 500) and leaves to Express whatever it does not handle
   * exactly alike: other paths, and compressed bodies, which the body parser
   * inflates.
   */
  const fastPath = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST') return false;
    const match = FAST_PATH.exec(req.url ?? '');
    const platform = match?.[1];
    if (!platform || !isPlatformKey(platform.toLowerCase())) return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    const requestId = requestIdOf(headerText(req.headers['x-request-id']));
    const send = (reply: Reply) => {
      const headers: OutgoingHttpHeaders = { 'x-request-id': requestId };
      if (reply.retryAfterSeconds) headers['retry-after'] = String(reply.retryAfterSeconds);
      const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      if (reply.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
      headers['content-length'] = Buffer.byteLength(body);
      res.writeHead(reply.status, headers).end(body);
      // One series per platform (a fixed set): which platform's 401s or 429s climb shows at once.
      deps.metrics.inc({
        method: 'POST',
        route: `/webhooks/${platform.toLowerCase()}`,
        status: reply.status,
      });
    };
    readBody(req, BODY_LIMIT_BYTES)
      .then((rawBody) => {
        if (rawBody === null) {
          res.shouldKeepAlive = false;
          send({ status: 413, body: { error: 'request entity too large' } });
          return;
        }
        return answer({
          platform,
          rawBody,
          headers: headersOf(req.headers),
          url: () => `${protocolOf(req)}://${req.headers.host ?? ''}${req.url ?? ''}`,
        }).then(send);
      })
      .catch((error: unknown) => {
        deps.logger.error({ err: error, requestId }, 'webhook push failed');
        if (!res.headersSent) send({ status: 500, body: { error: 'internal error' } });
      });
    return true;
  };

  return {
    router,
    fastPath,
    drain: async () => {
      await idle;
      refusals.close();
    },
  };
}

/** The summary refused pushes are counted into. */
export function refusalSummary(logger: Logger): LogSummary {
  return new LogSummary(logger, 'webhook pushes refused', { level: 'info' });
}

/** The `error` of a refusal's JSON body. */
export function refusalText(body: object | undefined): string {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' ? error : 'refused';
}

/** The shop a push is for, for rate limiting only; verification already passed. */
function shopOf(payload: ParsedPayload | null): string {
  return namedShop(payload?.value) ?? 'unknown';
}
