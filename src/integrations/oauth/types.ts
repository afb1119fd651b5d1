/**
 * The contract of the OAuth clients, one per platform (platforms.md 1.5,
 * 2.5, 3.5, 4.5, 5.4, 6.5, 7.4). Like the order-API clients they do HTTP and
 * nothing else: the callback and the refresh job (services/channels) decide
 * what is stored, under which lock. Failures are the order API's
 * PlatformError classes.
 */
import type { Platform } from '../../entities/enums';

export type TokenSet = {
  accessToken: string;
  /** Null: the token does not expire (a Facebook page token). */
  accessTokenExpiresAt: Date | null;
  /** Null: the platform has none (Sendo logs in again, Facebook page tokens live on). */
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
};

/** A shop, page or OA the seller authorized, with its own tokens. */
export type AuthorizedShop = {
  /** From the platform's answer to the code exchange, never from the browser. */
  externalShopId: string;
  name: string | null;
  tokens: TokenSet;
  /** When the authorization itself ends (Shopee 365 days, TikTok the refresh token's end). */
  authorizationExpiresAt: Date | null;
};

export type AuthorizationUrlInput = {
  state: string;
  redirectUri: string;
  /** PKCE S256 challenge, for the clients with usesPkce. */
  codeChallenge?: string;
  now: Date;
};

export type ExchangeInput = {
  /** The callback's query string, as the platform sent it. */
  query: Record<string, string>;
  redirectUri: string;
  codeVerifier?: string;
  now: Date;
};

export type RefreshInput = {
  shopId: string;
  refreshToken?: string;
  /** Sendo: a new login instead of a refresh token. */
  shopKey?: string;
  shopSecret?: string;
  /** When the refresh token being spent ends, as stored (Lazada's refresh never moves it later). */
  refreshTokenExpiresAt?: Date | null;
  now: Date;
};

export interface OAuthClient {
  readonly platform: Platform;
  readonly usesPkce: boolean;
  /** Sendo has no authorization page: its shops connect with key and secret. */
  readonly authorizes: boolean;
  authorizationUrl(input: AuthorizationUrlInput): string;
  exchange(input: ExchangeInput): Promise<AuthorizedShop[]>;
  refresh(input: RefreshInput): Promise<TokenSet>;
}

/** Seconds from now, or null when the platform sent nothing usable. */
export function secondsFrom(now: Date, value: unknown): Date | null {
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(now.getTime() + seconds * 1000);
}

/** A Unix time in seconds (TikTok's `*_expire_in`), or null. */
export function unixTime(value: unknown): Date | null {
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000);
}

export const DAY_MS = 86_400_000;
