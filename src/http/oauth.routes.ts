/**
 * GET /oauth/:platform/callback: where a platform sends the seller's browser
 * back after authorizing the app (the redirect URI registered in the app's
 * console: OAUTH_REDIRECT_BASE_URL + this path). The state decides who asked
 * and for which branch; the browser carries no session. Answers JSON:
 * 200 with the connected channels, 400 for a refused state or code, 409 for
 * a shop connected to another branch, 502 when the platform cannot be reached.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { Platform } from '../entities/enums';
import { PlatformError } from '../integrations/order-api/types';
import { DomainError, type ErrorCode } from '../kernel/errors';
import {
  channelAuthorizationService,
  type ChannelAuthorizationDeps,
} from '../services/channels/channel-authorization.service';

type Deps = { orm: MikroORM; logger: Logger; authorization: ChannelAuthorizationDeps };

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  NOT_FOUND: 404,
};

const platformOf = (name: string): Platform | null => {
  const upper = name.toUpperCase();
  return (Object.values(Platform) as string[]).includes(upper) ? (upper as Platform) : null;
};

/** Only the first value of each parameter, as text: the shape every client reads. */
const queryOf = (req: Request): Record<string, string> =>
  Object.fromEntries(
    Object.entries(req.query).flatMap(([key, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return typeof first === 'string' ? [[key, first]] : [];
    }),
  );

async function callback(deps: Deps, req: Request, res: Response): Promise<void> {
  const platform = platformOf(String(req.params.platform));
  if (!platform) {
    res
      .status(404)
      .json({ code: 'NOT_FOUND', error: `unknown platform ${String(req.params.platform)}` });
    return;
  }
  try {
    const channels = await channelAuthorizationService.complete(
      deps.orm,
      deps.authorization,
      platform,
      queryOf(req),
    );
    res.json({
      connected: channels.map((channel) => ({
        id: channel.id,
        platform: channel.platform,
        externalShopId: channel.externalShopId,
        name: channel.name,
      })),
    });
  } catch (error) {
    if (error instanceof DomainError) {
      res
        .status(HTTP_STATUS[error.code] ?? 400)
        .json({ code: error.code, error: error.message, ...error.details });
      return;
    }
    if (error instanceof PlatformError) {
      // The message names the endpoint and the platform's code, never a token or secret.
      deps.logger.warn({ platform, reason: error.message }, 'oauth code exchange failed');
      res.status(error.retryable ? 502 : 400).json({
        code: error.retryable ? 'PLATFORM_UNAVAILABLE' : 'BAD_USER_INPUT',
        error: error.message,
      });
      return;
    }
    throw error;
  }
}

export function createOAuthRouter(deps: Deps): Router {
  const router = Router();
  router.get('/:platform/callback', (req, res, next) => {
    callback(deps, req, res).catch(next);
  });
  return router;
}
