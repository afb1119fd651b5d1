/**
 * Facebook Login for a page (platforms.md 6.5): the code becomes a user
 * token, the user token a long-lived one, and /me/accounts lists the pages
 * with their page tokens, which do not expire and have no refresh: a page
 * token that stops working needs the admin to authorize again.
 */
import { Platform } from '../../entities/enums';
import type { JsonObject } from '../payload';
import { requestJson, type HttpSettings } from '../order-api/http';
import { PlatformRejected } from '../order-api/types';
import { optionalTextOf, requireSettings, textOf, urlWith } from './common';
import type { OAuthClient } from './types';

export const FACEBOOK_DIALOG_DEFAULT_URL = 'https://www.facebook.com/v19.0/dialog/oauth';
const SCOPES = 'pages_show_list,pages_messaging,pages_manage_metadata';

export function createFacebookOAuth(
  settings: { appId?: string; appSecret?: string; dialogUrl?: string },
  http: HttpSettings,
): OAuthClient {
  const platform = Platform.FACEBOOK;
  const app = () =>
    requireSettings(
      platform,
      { appId: settings.appId, appSecret: settings.appSecret },
      { appId: 'FACEBOOK_APP_ID', appSecret: 'FACEBOOK_APP_SECRET' },
    );
  const graph = async (path: string, query: Record<string, string>): Promise<JsonObject> => {
    const answer = await requestJson(platform, http, {
      method: 'GET',
      url: urlWith(http.baseUrl, path, query),
    });
    if (typeof answer.error === 'object' && answer.error !== null) {
      const error = answer.error as JsonObject;
      throw new PlatformRejected(
        platform,
        `${path}: ${optionalTextOf(error, 'message') ?? 'error'}`,
        optionalTextOf(error, 'code') ?? undefined,
      );
    }
    return answer;
  };

  return {
    platform,
    usesPkce: false,
    authorizes: true,
    authorizationUrl({ state, redirectUri }) {
      const url = new URL(settings.dialogUrl ?? FACEBOOK_DIALOG_DEFAULT_URL);
      url.searchParams.set('client_id', app().appId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', state);
      url.searchParams.set('scope', SCOPES);
      return url.toString();
    },

    async exchange({ query, redirectUri }) {
      if (!query.code)
        throw new PlatformRejected(platform, 'the callback carries no code', 'no_code');
      const { appId, appSecret } = app();
      const short = await graph('/oauth/access_token', {
        client_id: appId,
        client_secret: appSecret,
        redirect_uri: redirectUri,
        code: query.code,
      });
      const long = await graph('/oauth/access_token', {
        grant_type: 'fb_exchange_token',
        client_id: appId,
        client_secret: appSecret,
        fb_exchange_token: textOf(platform, short, 'access_token', 'Facebook code exchange'),
      });
      const pages = await graph('/me/accounts', {
        access_token: textOf(platform, long, 'access_token', 'Facebook long-lived token'),
      });
      const rows = Array.isArray(pages.data) ? pages.data : [];
      if (rows.length === 0)
        throw new PlatformRejected(platform, 'no page was authorized', 'no_shop');
      return rows.map((page) => {
        const row = (typeof page === 'object' && page !== null ? page : {}) as JsonObject;
        return {
          externalShopId: textOf(platform, row, 'id', 'Facebook page'),
          name: optionalTextOf(row, 'name'),
          tokens: {
            accessToken: textOf(platform, row, 'access_token', 'Facebook page'),
            accessTokenExpiresAt: null,
            refreshToken: null,
            refreshTokenExpiresAt: null,
          },
          authorizationExpiresAt: null,
        };
      });
    },

    async refresh({ shopId }) {
      throw new PlatformRejected(
        platform,
        `page ${shopId}: page tokens have no refresh; authorize the page again`,
        'no_refresh_token',
      );
    },
  };
}
