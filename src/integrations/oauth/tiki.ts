/**
 * Tiki authorization, OAuth2 authorization code at api.tiki.vn/sc/oauth2
 * (platforms.md 4.5): the refresh_token grant returns a new access token and
 * a new refresh token; lifetimes come from expires_in. The seller id comes
 * from /integration/v2/sellers/me with the new token.
 */
import { Platform } from '../../entities/enums';
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
import { secondsFrom, type OAuthClient, type TokenSet } from './types';

export const TIKI_OAUTH_PATHS = {
  authorize: '/sc/oauth2/auth',
  token: '/sc/oauth2/token',
  seller: '/integration/v2/sellers/me',
} as const;

export function createTikiOAuth(
  settings: { clientId?: string; clientSecret?: string },
  http: HttpSettings,
): OAuthClient {
  const platform = Platform.TIKI;
  const app = () =>
    requireSettings(platform, settings, {
      clientId: 'TIKI_CLIENT_ID',
      clientSecret: 'TIKI_CLIENT_SECRET',
    });
  const token = async (form: Record<string, string>, now: Date): Promise<TokenSet> => {
    const { clientId, clientSecret } = app();
    const answer = await postForm(
      platform,
      http,
      TIKI_OAUTH_PATHS.token,
      { client_id: clientId, ...form },
      { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    );
    return {
      accessToken: textOf(platform, answer, 'access_token', 'Tiki token'),
      accessTokenExpiresAt: secondsFrom(now, answer.expires_in),
      refreshToken: optionalTextOf(answer, 'refresh_token'),
      refreshTokenExpiresAt: secondsFrom(now, answer.refresh_token_expires_in),
    };
  };

  return {
    platform,
    usesPkce: false,
    authorizes: true,
    authorizationUrl({ state, redirectUri }) {
      return urlWith(http.baseUrl, TIKI_OAUTH_PATHS.authorize, {
        response_type: 'code',
        client_id: app().clientId,
        redirect_uri: redirectUri,
        scope: 'offline all',
        state,
      }).toString();
    },

    async exchange({ query, redirectUri, now }) {
      if (!query.code)
        throw new PlatformRejected(platform, 'the callback carries no code', 'no_code');
      const tokens = await token(
        { grant_type: 'authorization_code', code: query.code, redirect_uri: redirectUri },
        now,
      );
      const seller = await requestJson(platform, http, {
        method: 'GET',
        url: urlWith(http.baseUrl, TIKI_OAUTH_PATHS.seller, {}),
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      return profileShop(platform, seller, 'id', 'Tiki seller', tokens);
    },

    refresh({ shopId, refreshToken, now }) {
      const spent = refreshTokenOf(platform, `seller ${shopId}`, refreshToken);
      return token({ grant_type: 'refresh_token', refresh_token: spent }, now);
    },
  };
}
