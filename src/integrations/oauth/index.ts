/**
 * The OAuth clients of every platform, built once per process from config:
 *
 *   const oauth = createOAuthClients(config.oauth);
 *   oauth[Platform.SHOPEE].refresh({ shopId, refreshToken, now });
 */
import type { OAuthConfig } from '../../config';
import { Platform } from '../../entities/enums';
import { SENDO_DEFAULT_BASE_URL } from '../order-api/sendo';
import { SHOPEE_DEFAULT_BASE_URL } from '../order-api/shopee';
import { TIKI_DEFAULT_BASE_URL } from '../order-api/tiki';
import { TIKTOK_DEFAULT_BASE_URL } from '../order-api/tiktok';
import { PlatformRejected, type PlatformError } from '../order-api/types';
import { createFacebookOAuth } from './facebook';
import { createLazadaOAuth, LAZADA_AUTH_DEFAULT_BASE_URL } from './lazada';
import { createSendoOAuth } from './sendo';
import { createShopeeOAuth } from './shopee';
import { createTikiOAuth } from './tiki';
import { createTiktokOAuth, TIKTOK_AUTH_DEFAULT_BASE_URL } from './tiktok';
import type { OAuthClient } from './types';
import { createZaloOAuth, ZALO_OAUTH_DEFAULT_BASE_URL } from './zalo';

export type OAuthClients = Readonly<Record<Platform, OAuthClient>>;

export function createOAuthClients(config: OAuthConfig): OAuthClients {
  const http = (baseUrl: string) => ({ baseUrl, timeoutMs: config.timeoutMs });
  return {
    [Platform.LAZADA]: createLazadaOAuth(
      config.lazada,
      http(config.lazada.authBaseUrl ?? LAZADA_AUTH_DEFAULT_BASE_URL),
    ),
    [Platform.SHOPEE]: createShopeeOAuth(
      config.shopee,
      http(config.shopee.apiBaseUrl ?? SHOPEE_DEFAULT_BASE_URL),
    ),
    [Platform.TIKTOK]: createTiktokOAuth(config.tiktok, {
      ...http(config.tiktok.authBaseUrl ?? TIKTOK_AUTH_DEFAULT_BASE_URL),
      apiBaseUrl: config.tiktok.apiBaseUrl ?? TIKTOK_DEFAULT_BASE_URL,
    }),
    [Platform.TIKI]: createTikiOAuth(
      config.tiki,
      http(config.tiki.apiBaseUrl ?? TIKI_DEFAULT_BASE_URL),
    ),
    [Platform.SENDO]: createSendoOAuth(http(config.sendo.apiBaseUrl ?? SENDO_DEFAULT_BASE_URL)),
    [Platform.ZALO]: createZaloOAuth(config.zalo, {
      ...http(config.zalo.oauthBaseUrl ?? ZALO_OAUTH_DEFAULT_BASE_URL),
      apiBaseUrl: config.zalo.apiBaseUrl,
    }),
    [Platform.FACEBOOK]: createFacebookOAuth(config.facebook, http(config.facebook.apiBaseUrl)),
  };
}

/**
 * How each platform says "this access token is invalid or expired" (an
 * HTTP 401, or an error code in the body): the one case where refreshing
 * and asking again can help.
 */
const TOKEN_INVALID: Record<Platform, RegExp> = {
  [Platform.LAZADA]: /^(IllegalAccessToken|AccessTokenExpired|401)$/i,
  [Platform.SHOPEE]: /^(error_auth|invalid_access_token|invalid_acceess_token|401)$/i,
  [Platform.TIKTOK]: /^(105001|105002|36004004|401)$/,
  [Platform.TIKI]: /^(401|invalid_token)$/,
  [Platform.SENDO]: /^401$/,
  [Platform.ZALO]: /^(-216|-124|-14014|401)$/,
  [Platform.FACEBOOK]: /^(190|401)$/,
};

export function isTokenInvalid(error: unknown): error is PlatformError {
  return (
    error instanceof PlatformRejected &&
    error.code !== undefined &&
    TOKEN_INVALID[error.platform].test(error.code)
  );
}

export type { AuthorizedShop, OAuthClient, TokenSet } from './types';
