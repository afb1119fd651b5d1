import type { MikroORM } from '@mikro-orm/postgresql';
import express, { Router, type Request, type Response } from 'express';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { MessagingConfig } from '../config';
import { Platform } from '../entities/enums';
import { headersOf } from '../http/headers';
import { createRateLimiter, RateLimiterRes, ReservingRateLimiter } from '../rate-limit';
import type { EventBus } from '../realtime/event-bus';
import type { ChatApplier } from '../services/conversations/conversation-inbox.service';
import { inboundService } from '../services/orders/inbound.service';
import { inboxOf } from '../services/conversations/inbox-writer';
import type { ChatPushModule } from './chat-types';
import { facebook, facebookHandshake } from './facebook';
import { platformModules } from './index';
import { refusalSummary, refusalText } from './webhook.routes';
import type { VerifyResult } from './types';
import { zalo } from './zalo';

export type ChatWebhookDeps = {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  messaging: MessagingConfig;
  chat: ChatApplier;
  ratePerSecond: number;
  maxAttempts: number;
  redis?: Redis;
};

type Receiver = {
  platform: Platform;
  /** Unset variables: the receiver answers 503 naming them, and accepts nothing. */
  missing: () => string[];
  verify: (rawBody: Buffer, headers: Record<string, string | undefined>) => VerifyResult;
  normalize: ChatPushModule<unknown>['normalize'];
  /** Meta asks for "EVENT_RECEIVED"; Zalo only for a 200. */
  ack: (res: Response) => void;
};

const unset = (pairs: [string, string | undefined][]) =>
  pairs.filter(([, value]) => !value).map(([name]) => name);

/**
 * Messenger and Zalo OA receivers, on the order webhooks' discipline: verify
 * over the raw bytes (401 and nothing written on failure), rate-limit per
 * platform, store one inbox row per buyer message (a redelivery hits the
 * unique key and is a no-op), answer, then apply. Mounted before the order
 * router, whose `/:platform` would otherwise answer 404.
 */
export function createChatWebhookRouter(deps: ChatWebhookDeps): {
  router: Router;
  drain: () => Promise<void>;
} {
  const router = Router();
  const { facebook: fb, zalo: zl } = deps.messaging;
  // Counted in Redis in chunks: a round trip per request cost more than the rest of a push.
  const limiter = new ReservingRateLimiter(
    createRateLimiter(deps.redis, {
      keyPrefix: 'chat-webhook',
      points: deps.ratePerSecond,
      durationSeconds: 1,
    }),
    deps.ratePerSecond,
  );
  const pending = new Set<Promise<void>>();
  const applyAfterAnswer = (ids: string[]) => {
    const work = (async () => {
      for (const id of ids) {
        await inboundService.apply(
          deps.orm,
          deps.bus,
          platformModules,
          id,
          deps.maxAttempts,
          undefined,
          deps.chat,
        );
      }
    })()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'applying chat pushes failed'))
      .finally(() => pending.delete(work));
    pending.add(work);
  };

  const receivers: Record<'facebook' | 'zalo', Receiver> = {
    facebook: {
      platform: Platform.FACEBOOK,
      missing: () => unset([['FACEBOOK_APP_SECRET', fb.appSecret]]),
      verify: (raw, headers) => facebook.verify(raw, headers, { appSecret: fb.appSecret ?? '' }),
      normalize: facebook.normalize,
      ack: (res) => res.status(200).type('text/plain').send('EVENT_RECEIVED'),
    },
    zalo: {
      platform: Platform.ZALO,
      missing: () =>
        unset([
          ['ZALO_APP_ID', zl.appId],
          ['ZALO_OA_SECRET', zl.oaSecret],
        ]),
      verify: (raw, headers) =>
        zalo.verify(raw, headers, { appId: zl.appId ?? '', oaSecret: zl.oaSecret ?? '' }),
      normalize: zalo.normalize,
      ack: (res) => res.status(200).end(),
    },
  };

  const refusals = refusalSummary(deps.logger);
  const refuse = (res: Response, path: string, status: number, body: { error: string }) => {
    refusals.add(`${path} ${status}: ${refusalText(body)}`);
    res.status(status).json(body);
  };
  const refuseUnconfigured = (res: Response, path: string, missing: string[]) =>
    refuse(res, path, 503, {
      error: `pushes are not accepted until ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} set`,
    });

  router.get('/facebook', (req: Request, res: Response) => {
    if (!fb.verifyToken) {
      refuseUnconfigured(res, 'facebook', ['FACEBOOK_VERIFY_TOKEN']);
      return;
    }
    const challenge = facebookHandshake(req.query, fb.verifyToken);
    if (challenge === null) res.status(403).end();
    else res.status(200).type('text/plain').send(challenge);
  });

  for (const [path, receiver] of Object.entries(receivers)) {
    router.post(
      `/${path}`,
      // The raw bytes: Meta signs its escaped-unicode text, Zalo hashes the body as sent.
      express.raw({ type: () => true, limit: '1mb' }),
      async (req: Request, res: Response) => {
        const missing = receiver.missing();
        if (missing.length > 0) {
          refuseUnconfigured(res, path, missing);
          return;
        }
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const headers = headersOf(req.headers);
        const verdict = receiver.verify(rawBody, headers);
        if (!verdict.ok) {
          refuse(res, path, 401, { error: `push rejected: ${verdict.reason}` });
          return;
        }
        try {
          await limiter.consume(receiver.platform);
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
          refuse(res, path, 429, { error: `more than ${deps.ratePerSecond} pushes per second` });
          return;
        }
        const result = await inboundService.receiveChat(
          inboxOf(deps.orm.em.fork()),
          receiver.platform,
          receiver.normalize,
          rawBody,
          headers,
        );
        receiver.ack(res);
        if (result.stored.length > 0) applyAfterAnswer(result.stored);
      },
    );
  }
  return {
    router,
    drain: async () => {
      await Promise.all([...pending]);
      refusals.close();
    },
  };
}
