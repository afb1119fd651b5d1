import type { Platform } from '../../entities/enums';
import type { JsonObject } from '../payload';
import { requestJson, type HttpSettings } from '../order-api/http';
import { PlatformRejected } from '../order-api/types';
import type { AuthorizedShop, TokenSet } from './types';

/** A URL with its query set, keeping the base's own path. */
export function urlWith(base: string, path: string, query: Record<string, string>): URL {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url;
}

/** POST of an application/x-www-form-urlencoded body to a path below the base URL (Zalo, Tiki). */
export function postForm(
  platform: Platform,
  http: HttpSettings,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonObject> {
  return requestJson(platform, http, {
    method: 'POST',
    url: urlWith(http.baseUrl, path, {}),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** A required text field of a token answer; its absence is the platform's refusal. */
export function textOf(platform: Platform, body: JsonObject, key: string, what: string): string {
  const value = body[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new PlatformRejected(platform, `${what}: no ${key} in the answer`);
}

export function optionalTextOf(body: JsonObject, key: string): string | null {
  const value = body[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

/** The app settings a platform needs before any call; missing ones name their variables. */
export function requireSettings<T extends Record<string, string | undefined>>(
  platform: Platform,
  settings: T,
  variables: Record<keyof T, string>,
): { [K in keyof T]-?: string } {
  const missing = (Object.keys(variables) as (keyof T)[]).filter((key) => !settings[key]);
  if (missing.length > 0) {
    throw new PlatformRejected(
      platform,
      `${missing.map((key) => variables[key]).join(' and ')} must be set to authorize channels`,
      'not_configured',
    );
  }
  return settings as unknown as { [K in keyof T]-?: string };
}

/**
 * The one shop a token opens (Tiki's seller, Zalo's OA), read from the
 * profile the platform answers with that token; the authorization itself
 * does not end.
 */
export function profileShop(
  platform: Platform,
  profile: JsonObject,
  idKey: string,
  what: string,
  tokens: TokenSet,
): AuthorizedShop[] {
  return [
    {
      externalShopId: textOf(platform, profile, idKey, what),
      name: optionalTextOf(profile, 'name'),
      tokens,
      authorizationExpiresAt: null,
    },
  ];
}

/** The refresh token a refresh needs; without one nothing can be retried until the seller authorizes again. */
export function refreshTokenOf(
  platform: Platform,
  what: string,
  refreshToken: string | undefined,
): string {
  if (!refreshToken) {
    throw new PlatformRejected(platform, `${what} has no refresh token`, 'no_refresh_token');
  }
  return refreshToken;
}
