import type { MikroORM } from '@mikro-orm/postgresql';
import express, { Router, type Request, type Response } from 'express';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config';
import { createRateLimiter, RateLimiterRes } from '../rate-limit';
import { Channel } from '../entities';
import { Platform } from '../entities/enums';
import type { EventBus } from '../realtime/event-bus';
import type { ChatApplier } from '../services/conversation-inbox.service';
import { inboundService } from '../services/inbound.service';
import { InboxWriter } from '../services/inbox-writer';
import type { OrderSync } from '../services/order-enrichment.service';
import { isPlatformKey, platformModules } from './index';
import type { WebhookSecrets } from './types';

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
};

/** Concurrent applies per process: the rest of the pool stays free for acks and queries. */
const APPLY_WORKERS = 3;
/** Events one apply transaction takes at most. */
const APPLY_BATCH = 200;

/** Platforms that want an empty 2xx body as the acknowledgement (platforms.md section 0.4). */
const EMPTY_ACK = new Set(['lazada', 'shopee', 'tiktok']);

function headersOf(req: Request): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : value,
    ]),
  );
}

/** Sendo signs nothing: its pushes are matched against the shop key of the channel they name. */
async function sendoSecrets(orm: MikroORM, rawBody: Buffer): Promise<WebhookSecrets | null> {
  let storeId: unknown;
  try {
    storeId = (JSON.parse(rawBody.toString('utf8')) as { store_id?: unknown }).store_id;
  } catch {
    return null;
  }
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
  drain: () => Promise<void>;
} {
  const router = Router();
  const limiter = createRateLimiter(deps.redis, {
    keyPrefix: 'webhook',
    points: deps.ratePerSecond,
    durationSeconds: 1,
  });

  // Applied after the answer by a few workers taking batches, so a burst of
  // pushes neither takes every database connection from the acks nor costs
  // a transaction per push; a graceful stop drains them.
  const queue: string[] = [];
  let workers = 0;
  let idle: Promise<void> = Promise.resolve();
  let markIdle = () => undefined as void;
  const work = async () => {
    workers += 1;
    try {
      for (
        let ids = queue.splice(0, APPLY_BATCH);
        ids.length > 0;
        ids = queue.splice(0, APPLY_BATCH)
      ) {
        await inboundService.applyMany(
          deps.orm,
          deps.bus,
          platformModules,
          ids,
          deps.maxAttempts,
          deps.orderSync,
          deps.chat,
        );
      }
    } catch (error) {
      deps.logger.error({ err: error }, 'applying inbound events failed');
    } finally {
      workers -= 1;
      if (workers === 0) markIdle();
    }
  };
  const applySoon = (ids: string[]) => {
    if (workers === 0) idle = new Promise((resolve) => (markIdle = resolve));
    queue.push(...ids);
    while (workers < APPLY_WORKERS && workers * APPLY_BATCH < queue.length) void work();
  };
  const inbox = new InboxWriter(deps.orm);

  router.post(
    '/:platform',
    // The raw bytes: signatures are over what was sent, never over re-serialized JSON.
    express.raw({ type: () => true, limit: '1mb' }),
    async (req: Request<{ platform: string }>, res: Response) => {
      const key = req.params.platform.toLowerCase();
      if (!isPlatformKey(key)) {
        res.status(404).json({ error: `unknown platform "${req.params.platform}"` });
        return;
      }
      if (key === 'tiki') {
        res
          .status(404)
          .json({ error: 'Tiki delivers through its event queue, which this API pulls' });
        return;
      }
      const settings = deps.platforms[key];
      if (settings.missing.length > 0) {
        res.status(503).json({
          error: `${key} pushes are not accepted until ${settings.missing.join(' and ')} ${settings.missing.length > 1 ? 'are' : 'is'} set`,
        });
        return;
      }
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const module = platformModules[key];
      const headers = headersOf(req);
      const secrets = key === 'sendo' ? await sendoSecrets(deps.orm, rawBody) : settings.secrets;
      const verdict = secrets
        ? module.verify(
            rawBody,
            headers,
            secrets,
            `${req.protocol}://${req.get('host')}${req.originalUrl}`,
          )
        : { ok: false as const, reason: 'no connected channel with a shop key for this push' };
      if (!verdict.ok) {
        res.status(401).json({ error: `push rejected: ${verdict.reason}` });
        return;
      }
      const shop = shopOf(rawBody);
      try {
        await limiter.consume(`${key}:${shop}`);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
        res
          .status(429)
          .json({ error: `more than ${deps.ratePerSecond} pushes per second for this shop` });
        return;
      }
      const result = await inboundService.receive(inbox.insert, module, rawBody, headers);
      if (EMPTY_ACK.has(key)) res.status(200).end();
      else res.status(200).json({ received: result.stored.length, duplicates: result.duplicates });
      if (result.stored.length > 0) applySoon(result.stored);
    },
  );
  return {
    router,
    drain: () => idle,
  };
}

/** The shop a push is for, for rate limiting only; verification already passed. */
function shopOf(rawBody: Buffer): string {
  try {
    const body = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
    const shop = body.shop_id ?? body.seller_id ?? body.store_id;
    return typeof shop === 'string' || typeof shop === 'number' ? String(shop) : 'unknown';
  } catch {
    return 'unknown';
  }
}
