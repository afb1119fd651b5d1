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

export type { AuthorizedShop, OAuthClient, TokenSet } from './types';
