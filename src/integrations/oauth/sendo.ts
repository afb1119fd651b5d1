/**
 * Sendo has no OAuth and no refresh token (platforms.md 5.4): a shop
 * connects with its shop key and secret, and POST /login gives a token for
 * 8 hours. "Refreshing" is logging in again before `expires`.
 */
import { Platform } from '../../entities/enums';
import { requestJson, type HttpSettings } from '../order-api/http';
import { PlatformRejected } from '../order-api/types';
import type { JsonObject } from '../payload';
import { textOf, urlWith } from './common';
import { unixTime, type OAuthClient } from './types';

const TOKEN_HOURS = 8;

export function createSendoOAuth(http: HttpSettings): OAuthClient {
  const platform = Platform.SENDO;
  const refuse = (): never => {
    throw new PlatformRejected(
      platform,
      'Sendo has no authorization page: connect the shop with its shop key and secret',
      'no_oauth',
    );
  };
  return {
    platform,
    usesPkce: false,
    authorizes: false,
    authorizationUrl: refuse,
    exchange: async () => refuse(),
    async refresh({ shopId, shopKey, shopSecret, now }) {
      if (!shopKey || !shopSecret) {
        throw new PlatformRejected(
          platform,
          `store ${shopId} has no shop key and secret`,
          'no_refresh_token',
        );
      }
      const answer = await requestJson(platform, http, {
        method: 'POST',
        url: urlWith(http.baseUrl, '/login', {}),
        body: JSON.stringify({ shop_key: shopKey, secret_key: shopSecret }),
      });
      const result = (
        typeof answer.result === 'object' && answer.result !== null ? answer.result : {}
      ) as JsonObject;
      const expires = typeof result.expires === 'string' ? Date.parse(result.expires) : NaN;
      return {
        accessToken: textOf(platform, result, 'token', 'Sendo login'),
        accessTokenExpiresAt: Number.isFinite(expires)
          ? new Date(expires)
          : (unixTime(result.expires) ?? new Date(now.getTime() + TOKEN_HOURS * 3_600_000)),
        refreshToken: null,
        refreshTokenExpiresAt: null,
      };
    },
  };
}
