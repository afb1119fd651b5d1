import type { MikroORM } from '@mikro-orm/postgresql';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { MessagingConfig, PlatformConfig } from '../config';
import { Channel } from '../entities';
import { Platform } from '../entities/enums';
import { headersOf } from '../http/headers';
import { TOPICS } from '../kernel/topics';
import { LogSummary } from '../log-summary';
import { createRateLimiter, RateLimiterRes, ReservingRateLimiter } from '../rate-limit';
import type { EventBus } from '../realtime/event-bus';
import { authorizationNotices } from '../integrations/authorization-notices';
import type { ChatPushModule } from '../integrations/chat-types';
import { facebook, facebookHandshake } from '../integrations/facebook';
import { isPlatformKey, platformModules } from '../integrations/index';
import { namedShop } from '../integrations/payload';
import type { PlatformModule, VerifyResult, WebhookSecrets } from '../integrations/types';
import { zalo } from '../integrations/zalo';
import { channelAlertService } from '../services/channels/channel-alert.service';
import { InboxWriter } from '../services/orders/inbound-store';
import {
  inboundService,
  type ParsedPayload,
  type ReceivedPush,
  type ReceiveResult,
} from '../services/orders/inbound.service';
import type { ApplyScheduler } from './apply-scheduler';

export type WebhookDeps = {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  platforms: PlatformConfig;
  messaging: MessagingConfig;
  ratePerSecond: number;
  /** Applies what was stored, after the answer. */
  scheduler: ApplyScheduler;
  redis?: Redis;
};

/** Largest push body. */
const BODY_LIMIT = '1mb';

/** Platforms that want an empty 2xx body as the acknowledgement (platforms.md section 0.4). */
const EMPTY_ACK = new Set(['lazada', 'shopee', 'tiktok']);

/** What a push is answered, before it is written as HTTP. */
type Reply = { status: number; body?: object; text?: string; retryAfterSeconds?: number };

type Push = {
  key: string;
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
  /** The push's JSON, read once for all that looks into it; null when it is not JSON. */
  payload: ParsedPayload | null;
  /** The URL the platform called, for a Shopee signature when SHOPEE_PUSH_URL is unset. */
  url: () => string;
};

/**
 * One receiver per path: what it needs configured, how it verifies, what it
 * is rate-limited by, how it stores and how it answers. The platform modules
 * (src/integrations) do the verifying and normalizing; this table only wires
 * them to HTTP.
 */
type Receiver = {
  platform: Platform;
  /** Unset variables: the receiver answers 503 naming them, and accepts nothing. */
  missing: () => string[];
  verify: (push: Push) => Promise<VerifyResult> | VerifyResult;
  /** The rate-limit key: per shop for marketplaces, per platform for messaging. */
  rateKey: (push: Push) => string;
  /** What the rate limit's 429 says is exceeded. */
  rateScope: string;
  store: (push: Push) => Promise<ReceiveResult>;
  ack: (result: ReceiveResult) => Reply;
};

const unset = (pairs: [string, string | undefined][]) =>
  pairs.filter(([, value]) => !value).map(([name]) => name);

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

const received = ({ rawBody, headers, payload }: Push): ReceivedPush => ({
  rawBody,
  headers,
  parsed: payload ?? undefined,
});

/** The push's JSON; null when it is not JSON (the receiver stores it as a dead letter). */
function parsePayload(rawBody: Buffer): ParsedPayload | null {
  try {
    return { value: JSON.parse(rawBody.toString('utf8')) as unknown };
  } catch {
    return null;
  }
}

/**
 * POST /webhooks/:platform for every pushing platform (the marketplaces,
 * Messenger, Zalo OA): verify over the raw bytes (401 and nothing written on
 * failure), rate-limit, store in the inbox (one row per normalized event or
 * buyer message, unique on its key, so a redelivery is a no-op; pushes
 * arriving together share one INSERT), answer once the push's own rows are
 * durable, and hand the stored ids to the apply scheduler. GET
 * /webhooks/facebook answers Meta's verify handshake.
 */
export function createWebhookRouter(deps: WebhookDeps): {
  router: Router;
  /** Flushes the refusal summary; the scheduler drains on its own. */
  close: () => void;
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
  const inbox = new InboxWriter(deps.orm);
  const { facebook: fb, zalo: zl } = deps.messaging;

  const marketplace = (key: 'lazada' | 'shopee' | 'tiktok' | 'sendo'): Receiver => {
    const module: PlatformModule = platformModules[key];
    const settings = deps.platforms[key];
    return {
      platform: module.platform,
      missing: () => settings.missing,
      verify: async (push) => {
        const secrets =
          key === 'sendo' ? await sendoSecrets(deps.orm, push.payload) : settings.secrets;
        return secrets
          ? module.verify(push.rawBody, push.headers, secrets, push.url)
          : { ok: false, reason: 'no connected channel with a shop key for this push' };
      },
      // Verification already passed: the shop named is the one that signed.
      rateKey: (push) => `${key}:${namedShop(push.payload?.value) ?? 'unknown'}`,
      rateScope: 'for this shop',
      store: async (push) => {
        await raiseAuthorizationAlerts(deps, module.platform, push.payload?.value);
        return inboundService.receive(inbox.insert, module, received(push));
      },
      ack: (result) =>
        EMPTY_ACK.has(key)
          ? { status: 200 }
          : {
              status: 200,
              body: { received: result.stored.length, duplicates: result.duplicates },
            },
    };
  };

  /** Messenger and Zalo OA: buyer messages, rate-limited per platform. */
  const messaging = <Secrets>(receiver: {
    module: ChatPushModule<Secrets>;
    missing: () => string[];
    secrets: Secrets;
    ack: Reply;
  }): Receiver => {
    const { module } = receiver;
    return {
      platform: module.platform,
      missing: receiver.missing,
      verify: (push) => module.verify(push.rawBody, push.headers, receiver.secrets),
      rateKey: () => module.platform.toLowerCase(),
      rateScope: '',
      store: (push) =>
        inboundService.receive(
          inbox.insert,
          { platform: module.platform, normalizeChat: module.normalize },
          received(push),
        ),
      ack: () => receiver.ack,
    };
  };

  const receivers: Record<string, Receiver> = {
    lazada: marketplace('lazada'),
    shopee: marketplace('shopee'),
    tiktok: marketplace('tiktok'),
    sendo: marketplace('sendo'),
    facebook: messaging({
      module: facebook,
      missing: () => unset([['FACEBOOK_APP_SECRET', fb.appSecret]]),
      secrets: { appSecret: fb.appSecret ?? '' },
      // Meta asks for "EVENT_RECEIVED".
      ack: { status: 200, text: 'EVENT_RECEIVED' },
    }),
    zalo: messaging({
      module: zalo,
      missing: () =>
        unset([
          ['ZALO_APP_ID', zl.appId],
          ['ZALO_OA_SECRET', zl.oaSecret],
        ]),
      secrets: { appId: zl.appId ?? '', oaSecret: zl.oaSecret ?? '' },
      ack: { status: 200 },
    }),
  };

  const decide = async (push: Push): Promise<Reply> => {
    const receiver = Object.hasOwn(receivers, push.key) ? receivers[push.key] : undefined;
    if (!receiver) {
      return push.key === 'tiki'
        ? {
            status: 404,
            body: { error: 'Tiki delivers through its event queue, which this API pulls' },
          }
        : { status: 404, body: { error: `unknown platform "${push.key}"` } };
    }
    const missing = receiver.missing();
    if (missing.length > 0) {
      return {
        status: 503,
        body: {
          error: `${push.key} pushes are not accepted until ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} set`,
        },
      };
    }
    const verdict = await receiver.verify(push);
    if (!verdict.ok) return { status: 401, body: { error: `push rejected: ${verdict.reason}` } };
    try {
      await limiter.consume(receiver.rateKey(push));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return {
        status: 429,
        retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
        body: {
          error: `more than ${deps.ratePerSecond} pushes per second${receiver.rateScope ? ` ${receiver.rateScope}` : ''}`,
        },
      };
    }
    const result = await receiver.store(push);
    if (result.stored.length > 0) void deps.scheduler.schedule(result);
    return receiver.ack(result);
  };

  // A refused push is the sender's problem (a wrong secret, a burst), not a fault
  // here: counted per platform and reason into one info line a minute.
  const refusals = new LogSummary(deps.logger, 'webhook pushes refused', { level: 'info' });

  router.get('/facebook', (req: Request, res: Response) => {
    if (!fb.verifyToken) {
      const error = 'facebook pushes are not accepted until FACEBOOK_VERIFY_TOKEN is set';
      refusals.add(`facebook 503: ${error}`);
      res.status(503).json({ error });
      return;
    }
    const challenge = facebookHandshake(req.query, fb.verifyToken);
    if (challenge === null) res.status(403).end();
    else res.status(200).type('text/plain').send(challenge);
  });

  router.post(
    '/:platform',
    // The raw bytes: signatures are over what was sent, never over re-serialized JSON.
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    async (req: Request<{ platform: string }>, res: Response) => {
      const key = req.params.platform.toLowerCase();
      const known = isPlatformKey(key) || Object.hasOwn(receivers, key);
      // One series per platform (a fixed set): which platform's 401s or 429s climb shows at once.
      if (known) res.locals.metricsRoute = `/webhooks/${key}`;
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let reply: Reply;
      try {
        reply = await decide({
          key,
          rawBody,
          headers: headersOf(req.headers),
          payload: parsePayload(rawBody),
          url: () => `${req.protocol}://${req.get('host')}${req.originalUrl}`,
        });
      } catch (error) {
        deps.logger.error({ err: error, requestId: res.locals.requestId }, 'webhook push failed');
        reply = { status: 500, body: { error: 'internal error' } };
      }
      if (reply.status >= 400 && known) refusals.add(`${key} ${reply.status}: ${errorOf(reply)}`);
      if (reply.retryAfterSeconds) res.setHeader('Retry-After', String(reply.retryAfterSeconds));
      res.status(reply.status);
      if (reply.text !== undefined) res.type('text/plain').send(reply.text);
      else if (reply.body === undefined) res.end();
      else res.json(reply.body);
    },
  );

  // What the body parser refuses (too large, a corrupt or unknown encoding), answered as a push refusal.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) {
      next(error);
      return;
    }
    const key = (req.path.split('/')[1] ?? '').toLowerCase();
    const message = error instanceof Error ? error.message : 'request refused';
    if (isPlatformKey(key) || Object.hasOwn(receivers, key)) {
      res.locals.metricsRoute = `/webhooks/${key}`;
      refusals.add(`${key} ${status}: ${message}`);
    }
    res.status(status).json({ error: message.toLowerCase() });
  });

  return { router, close: () => refusals.close() };
}

/** The `error` of a refusal's JSON body. */
function errorOf(reply: Reply): string {
  const error = (reply.body as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' ? error : 'refused';
}
