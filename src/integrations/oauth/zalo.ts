/**
 * Zalo OA authorization, OAuth v4 with PKCE (platforms.md 7.4): the token
 * endpoint takes the app secret in a `secret_key` header and a form body.
 * The access token lives about 25 hours (trust expires_in / expire_in), the
 * refresh token 3 months and is single use. The OA id comes from
 * /v2.0/oa/getoa with the new token.
 */
import { Platform } from '../../entities/enums';
import type { JsonObject } from '../payload';
import { requestJson, type HttpSettings } from '../order-api/http';
import { PlatformRejected } from '../order-api/types';
import {
  optionalTextOf,
  refreshTokenOf,
  postForm,
  profileShop,
  requireSettings,
  textOf,
  urlWith,
} from './common';
import { DAY_MS, secondsFrom, type OAuthClient, type TokenSet } from './types';

export const ZALO_OAUTH_DEFAULT_BASE_URL = 'https://oauth.zaloapp.com';
export const ZALO_OAUTH_PATHS = {
  authorize: '/v4/oa/permission',
  token: '/v4/oa/access_token',
  getOa: '/v2.0/oa/getoa',
} as const;

const REFRESH_TOKEN_DAYS = 90;

export function createZaloOAuth(
  settings: { appId?: string; appSecret?: string },
  http: HttpSettings & { apiBaseUrl: string },
): OAuthClient {
  const platform = Platform.ZALO;
  const app = () =>
    requireSettings(platform, settings, { appId: 'ZALO_APP_ID', appSecret: 'ZALO_APP_SECRET' });
  const token = async (form: Record<string, string>, now: Date): Promise<TokenSet> => {
    const { appId, appSecret } = app();
    const answer = await postForm(
      platform,
      http,
      ZALO_OAUTH_PATHS.token,
      { app_id: appId, ...form },
      { secret_key: appSecret },
    );
    rejectError(answer, 'access_token');
    return {
      accessToken: textOf(platform, answer, 'access_token', 'Zalo access_token'),
      accessTokenExpiresAt: secondsFrom(now, answer.expires_in ?? answer.expire_in),
      refreshToken: textOf(platform, answer, 'refresh_token', 'Zalo access_token'),
      refreshTokenExpiresAt: new Date(now.getTime() + REFRESH_TOKEN_DAYS * DAY_MS),
    };
  };
  const rejectError = (answer: JsonObject, what: string) => {
    const error = optionalTextOf(answer, 'error');
    if (error !== null && error !== '0') {
      const name = optionalTextOf(answer, 'error_name') ?? optionalTextOf(answer, 'message') ?? '';
      throw new PlatformRejected(platform, `${what}: ${error} ${name}`, error);
    }
  };

  return {
    platform,
    usesPkce: true,
    authorizes: true,
    authorizationUrl({ state, redirectUri, codeChallenge }) {
      return urlWith(http.baseUrl, ZALO_OAUTH_PATHS.authorize, {
        app_id: app().appId,
        redirect_uri: redirectUri,
        code_challenge: codeChallenge ?? '',
        state,
      }).toString();
    },

    async exchange({ query, codeVerifier, now }) {
      if (!query.code)
        throw new PlatformRejected(platform, 'the callback carries no code', 'no_code');
      if (!codeVerifier)
        throw new PlatformRejected(platform, 'no PKCE verifier for this state', 'no_verifier');
      const tokens = await token(
        { code: query.code, grant_type: 'authorization_code', code_verifier: codeVerifier },
        now,
      );
      const oa = await requestJson(platform, http, {
        method: 'GET',
        url: urlWith(http.apiBaseUrl, ZALO_OAUTH_PATHS.getOa, {}),
        headers: { access_token: tokens.accessToken },
      });
      rejectError(oa, 'getoa');
      const data = (typeof oa.data === 'object' && oa.data !== null ? oa.data : {}) as JsonObject;
      return profileShop(platform, data, 'oa_id', 'Zalo getoa', tokens);
    },

    refresh({ shopId, refreshToken, now }) {
      const spent = refreshTokenOf(platform, `OA ${shopId}`, refreshToken);
      return token({ refresh_token: spent, grant_type: 'refresh_token' }, now);
    },
  };
}
