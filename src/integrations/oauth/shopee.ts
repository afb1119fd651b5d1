/**
 * Shopee Open Platform v2 authorization (platforms.md 2.5). Public calls are
 * signed with HMAC-SHA256(partner_key, partner_id + path + timestamp). The
 * access token lives 4 hours, the refresh token 30 days and is single use;
 * the authorization itself at most 365 days. A main-account authorization
 * answers with shop_id_list: every shop starts from the same pair and, from
 * its first refresh (by its own shop_id), keeps a pair of its own.
 */
import { createHmac } from 'node:crypto';
import { Platform } from '../../entities/enums';
import type { JsonObject } from '../payload';
import { requestJson, type HttpSettings } from '../order-api/http';
import { PlatformRejected } from '../order-api/types';
import { refreshTokenOf, requireSettings, textOf, urlWith } from './common';
import { DAY_MS, secondsFrom, type OAuthClient, type TokenSet } from './types';

export const SHOPEE_AUTH_PATHS = {
  authorize: '/api/v2/shop/auth_partner',
  token: '/api/v2/auth/token/get',
  refresh: '/api/v2/auth/access_token/get',
} as const;

const AUTHORIZATION_DAYS = 365;
const REFRESH_TOKEN_DAYS = 30;

export const shopeePublicSign = (
  partnerKey: string,
  partnerId: string,
  path: string,
  timestamp: string,
) => createHmac('sha256', partnerKey).update(`${partnerId}${path}${timestamp}`).digest('hex');

export function createShopeeOAuth(
  settings: { partnerId?: string; partnerKey?: string },
  http: HttpSettings,
): OAuthClient {
  const platform = Platform.SHOPEE;
  const app = () =>
    requireSettings(platform, settings, {
      partnerId: 'SHOPEE_PARTNER_ID',
      partnerKey: 'SHOPEE_PARTNER_KEY',
    });
  const signed = (path: string, now: Date) => {
    const { partnerId, partnerKey } = app();
    const timestamp = String(Math.floor(now.getTime() / 1000));
    return urlWith(http.baseUrl, path, {
      partner_id: partnerId,
      timestamp,
      sign: shopeePublicSign(partnerKey, partnerId, path, timestamp),
    });
  };
  const post = async (path: string, body: JsonObject, now: Date) => {
    const answer = await requestJson(platform, http, {
      method: 'POST',
      url: signed(path, now),
      body: JSON.stringify(body),
    });
    const error = typeof answer.error === 'string' ? answer.error : '';
    if (error !== '') {
      throw new PlatformRejected(
        platform,
        `${path}: ${error} ${typeof answer.message === 'string' ? answer.message : ''}`,
        error,
      );
    }
    return answer;
  };
  const tokensOf = (answer: JsonObject, now: Date, what: string): TokenSet => ({
    accessToken: textOf(platform, answer, 'access_token', what),
    accessTokenExpiresAt: secondsFrom(now, answer.expire_in ?? answer.expires_in),
    refreshToken: textOf(platform, answer, 'refresh_token', what),
    refreshTokenExpiresAt: new Date(now.getTime() + REFRESH_TOKEN_DAYS * DAY_MS),
  });

  return {
    platform,
    usesPkce: false,
    authorizes: true,
    authorizationUrl({ state, redirectUri, now }) {
      // Shopee passes no state of its own: it comes back inside the redirect URL.
      const redirect = new URL(redirectUri);
      redirect.searchParams.set('state', state);
      const url = signed(SHOPEE_AUTH_PATHS.authorize, now);
      url.searchParams.set('redirect', redirect.toString());
      return url.toString();
    },

    async exchange({ query, now }) {
      const code = query.code;
      if (!code) throw new PlatformRejected(platform, 'the callback carries no code', 'no_code');
      const partnerId = Number(app().partnerId);
      const mainAccount = query.main_account_id;
      const shopId = query.shop_id;
      if (!mainAccount && !shopId) {
        throw new PlatformRejected(
          platform,
          'the callback names no shop_id or main_account_id',
          'no_shop',
        );
      }
      const answer = await post(
        SHOPEE_AUTH_PATHS.token,
        mainAccount
          ? { code, partner_id: partnerId, main_account_id: Number(mainAccount) }
          : { code, partner_id: partnerId, shop_id: Number(shopId) },
        now,
      );
      const tokens = tokensOf(answer, now, 'Shopee token/get');
      // The code is bound to its shop: Shopee answers with the shops it authorized.
      const listed = Array.isArray(answer.shop_id_list) ? answer.shop_id_list.map(String) : [];
      const shops = listed.length > 0 ? listed : mainAccount ? [] : [String(shopId)];
      if (shops.length === 0) {
        throw new PlatformRejected(platform, 'the main account authorized no shop', 'no_shop');
      }
      return shops.map((id) => ({
        externalShopId: id,
        name: null,
        tokens,
        authorizationExpiresAt: new Date(now.getTime() + AUTHORIZATION_DAYS * DAY_MS),
      }));
    },

    async refresh({ shopId, refreshToken, now }) {
      const spent = refreshTokenOf(platform, `shop ${shopId}`, refreshToken);
      const answer = await post(
        SHOPEE_AUTH_PATHS.refresh,
        {
          refresh_token: spent,
          partner_id: Number(app().partnerId),
          shop_id: Number(shopId),
        },
        now,
      );
      return tokensOf(answer, now, 'Shopee access_token/get');
    },
  };
}
