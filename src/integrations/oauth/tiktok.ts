/**
 * TikTok Shop authorization (platforms.md 3.5): the code (auth_code) and the
 * refresh token are exchanged by GET on auth.tiktok-shops.com with the app
 * key and secret in the query; `access_token_expire_in` and
 * `refresh_token_expire_in` are Unix times, not durations. The refresh
 * token ends with the authorization. The shops come from Get Authorized
 * Shops (202309), signed like the order API.
 */
import { Platform } from '../../entities/enums';
import type { JsonObject } from '../payload';
import { requestJson, type HttpSettings } from '../order-api/http';
import { tiktokSign } from '../order-api/tiktok';
import { PlatformRejected } from '../order-api/types';
import { optionalTextOf, refreshTokenOf, requireSettings, textOf, urlWith } from './common';
import { unixTime, type OAuthClient, type TokenSet } from './types';

export const TIKTOK_AUTH_DEFAULT_BASE_URL = 'https://auth.tiktok-shops.com';
export const TIKTOK_AUTHORIZE_DEFAULT_URL = 'https://services.tiktokshop.com/open/authorize';
export const TIKTOK_AUTH_PATHS = {
  token: '/api/v2/token/get',
  refresh: '/api/v2/token/refresh',
  shops: '/authorization/202309/shops',
} as const;

export function createTiktokOAuth(
  settings: { appKey?: string; appSecret?: string; serviceId?: string; authorizeUrl?: string },
  http: HttpSettings & { apiBaseUrl: string },
): OAuthClient {
  const platform = Platform.TIKTOK;
  const app = () =>
    requireSettings(
      platform,
      { appKey: settings.appKey, appSecret: settings.appSecret },
      { appKey: 'TIKTOK_APP_KEY', appSecret: 'TIKTOK_APP_SECRET' },
    );
  const dataOf = (answer: JsonObject, what: string): JsonObject => {
    if (answer.code !== 0 && answer.code !== '0') {
      throw new PlatformRejected(
        platform,
        `${what}: ${String(answer.code)} ${optionalTextOf(answer, 'message') ?? ''}`,
        String(answer.code),
      );
    }
    const data = answer.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new PlatformRejected(platform, `${what}: no data in the answer`);
    }
    return data as JsonObject;
  };
  const token = async (path: string, query: Record<string, string>): Promise<TokenSet> => {
    const { appKey, appSecret } = app();
    const answer = await requestJson(platform, http, {
      method: 'GET',
      url: urlWith(http.baseUrl, path, { app_key: appKey, app_secret: appSecret, ...query }),
    });
    const data = dataOf(answer, path);
    return {
      accessToken: textOf(platform, data, 'access_token', path),
      accessTokenExpiresAt: unixTime(data.access_token_expire_in),
      refreshToken: textOf(platform, data, 'refresh_token', path),
      refreshTokenExpiresAt: unixTime(data.refresh_token_expire_in),
    };
  };

  return {
    platform,
    usesPkce: false,
    authorizes: true,
    authorizationUrl({ state }) {
      const serviceId = requireSettings(
        platform,
        { serviceId: settings.serviceId },
        { serviceId: 'TIKTOK_SERVICE_ID' },
      ).serviceId;
      const url = new URL(settings.authorizeUrl ?? TIKTOK_AUTHORIZE_DEFAULT_URL);
      url.searchParams.set('service_id', serviceId);
      url.searchParams.set('state', state);
      return url.toString();
    },

    async exchange({ query, now }) {
      const code = query.code ?? query.auth_code;
      if (!code) throw new PlatformRejected(platform, 'the callback carries no code', 'no_code');
      const tokens = await token(TIKTOK_AUTH_PATHS.token, {
        auth_code: code,
        grant_type: 'authorized_code',
      });
      const { appKey, appSecret } = app();
      const params = { app_key: appKey, timestamp: String(Math.floor(now.getTime() / 1000)) };
      const answer = await requestJson(platform, http, {
        method: 'GET',
        url: urlWith(http.apiBaseUrl, TIKTOK_AUTH_PATHS.shops, {
          ...params,
          sign: tiktokSign(appSecret, TIKTOK_AUTH_PATHS.shops, params, ''),
        }),
        headers: { 'x-tts-access-token': tokens.accessToken },
      });
      const shops = dataOf(answer, TIKTOK_AUTH_PATHS.shops).shops;
      if (!Array.isArray(shops) || shops.length === 0) {
        throw new PlatformRejected(platform, 'the seller authorized no shop', 'no_shop');
      }
      return shops.map((shop) => {
        const row = (typeof shop === 'object' && shop !== null ? shop : {}) as JsonObject;
        return {
          externalShopId: textOf(platform, row, 'id', 'TikTok shop'),
          name: optionalTextOf(row, 'name'),
          tokens,
          authorizationExpiresAt: tokens.refreshTokenExpiresAt,
        };
      });
    },

    refresh({ shopId, refreshToken }) {
      const spent = refreshTokenOf(platform, `shop ${shopId}`, refreshToken);
      return token(TIKTOK_AUTH_PATHS.refresh, {
        refresh_token: spent,
        grant_type: 'refresh_token',
      });
    },
  };
}
