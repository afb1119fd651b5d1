/**
 * Lazada authorization (platforms.md 1.5): /auth/token/create and
 * /auth/token/refresh on auth.lazada.com, signed like every Lazada call.
 * `expires_in` and `refresh_expires_in` are durations; refreshing does not
 * lengthen the refresh token's life, so its end is the authorization's.
 */
import { Platform } from '../../entities/enums';
import type { JsonObject } from '../payload';
import { requestJson, type HttpSettings } from '../order-api/http';
import { lazadaSign } from '../order-api/lazada';
import { PlatformRejected } from '../order-api/types';
import { optionalTextOf, refreshTokenOf, requireSettings, textOf, urlWith } from './common';
import { secondsFrom, type OAuthClient, type TokenSet } from './types';

export const LAZADA_AUTH_DEFAULT_BASE_URL = 'https://auth.lazada.com';
export const LAZADA_AUTH_PATHS = {
  authorize: '/oauth/authorize',
  token: '/auth/token/create',
  refresh: '/auth/token/refresh',
} as const;

export function createLazadaOAuth(
  settings: { appKey?: string; appSecret?: string },
  http: HttpSettings,
): OAuthClient {
  const platform = Platform.LAZADA;
  const app = () =>
    requireSettings(platform, settings, {
      appKey: 'LAZADA_APP_KEY',
      appSecret: 'LAZADA_APP_SECRET',
    });
  const call = async (path: string, params: Record<string, string>, now: Date) => {
    const { appKey, appSecret } = app();
    const query = {
      ...params,
      app_key: appKey,
      timestamp: String(now.getTime()),
      sign_method: 'sha256',
    };
    const answer = await requestJson(platform, http, {
      method: 'GET',
      url: urlWith(http.baseUrl, `/rest${path}`, {
        ...query,
        sign: lazadaSign(appSecret, path, query),
      }),
    });
    const code = optionalTextOf(answer, 'code');
    if (code !== null && code !== '0') {
      throw new PlatformRejected(
        platform,
        `${path}: ${code} ${optionalTextOf(answer, 'message') ?? ''}`,
        code,
      );
    }
    return answer;
  };
  const tokensOf = (answer: JsonObject, now: Date, what: string): TokenSet => ({
    accessToken: textOf(platform, answer, 'access_token', what),
    accessTokenExpiresAt: secondsFrom(now, answer.expires_in),
    refreshToken: textOf(platform, answer, 'refresh_token', what),
    refreshTokenExpiresAt: secondsFrom(now, answer.refresh_expires_in),
  });

  return {
    platform,
    usesPkce: false,
    authorizes: true,
    authorizationUrl({ state, redirectUri }) {
      return urlWith(http.baseUrl, LAZADA_AUTH_PATHS.authorize, {
        response_type: 'code',
        force_auth: 'true',
        redirect_uri: redirectUri,
        client_id: app().appKey,
        state,
      }).toString();
    },

    async exchange({ query, now }) {
      if (!query.code)
        throw new PlatformRejected(platform, 'the callback carries no code', 'no_code');
      const answer = await call(LAZADA_AUTH_PATHS.token, { code: query.code }, now);
      const tokens = tokensOf(answer, now, 'Lazada token/create');
      const users = Array.isArray(answer.country_user_info) ? answer.country_user_info : [];
      const seller = (users[0] ?? {}) as JsonObject;
      return [
        {
          externalShopId: textOf(platform, seller, 'seller_id', 'Lazada country_user_info'),
          name: optionalTextOf(answer, 'account'),
          tokens,
          authorizationExpiresAt: tokens.refreshTokenExpiresAt,
        },
      ];
    },

    async refresh({ shopId, refreshToken, refreshTokenExpiresAt, now }) {
      const spent = refreshTokenOf(platform, `seller ${shopId}`, refreshToken);
      const answer = await call(LAZADA_AUTH_PATHS.refresh, { refresh_token: spent }, now);
      const tokens = tokensOf(answer, now, 'Lazada token/refresh');
      // The new refresh token lives no longer than the one it replaces, whatever
      // refresh_expires_in says; 0 ("cannot be refreshed") keeps the stored end.
      const ends = [tokens.refreshTokenExpiresAt, refreshTokenExpiresAt ?? null].filter(
        (end): end is Date => end !== null,
      );
      return {
        ...tokens,
        refreshTokenExpiresAt:
          ends.length > 0 ? new Date(Math.min(...ends.map((end) => end.getTime()))) : null,
      };
    },
  };
}
