/**
 * The one HTTP path of the order-API clients: global fetch with a timeout,
 * and the mapping of every failure to the three error classes callers back
 * off on (types.ts).
 */
import { asObject, type JsonObject } from '../payload';
import { PayloadError, type MarketplacePlatform } from '../types';
import type { Platform } from '../../entities/enums';
import { scalarText } from './fields';
import { PlatformRateLimited, PlatformRejected, PlatformUnavailable } from './types';

/** Used when a 429 carries no readable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;

export type HttpSettings = {
  baseUrl: string;
  timeoutMs: number;
};

export type HttpRequest = {
  method: 'GET' | 'POST';
  /** Path below the base URL, already carrying any signed query. */
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  /**
   * The platform's own error code in a 4xx body (Graph's `error.code`), which
   * then stands for the HTTP status as the PlatformRejected's code.
   */
  errorCode?: (body: unknown) => string | undefined;
};

/** A URL below `base` that keeps base's own path (Lazada's `/rest`). */
export function apiUrl(base: string, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url;
}

export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : DEFAULT_RETRY_AFTER_MS;
}

/** Sends one request and returns its JSON object body, or throws a PlatformError. */
export async function requestJson(
  /** Any platform: the chat send adapters (Messenger, Zalo) share this path too. */
  platform: Platform,
  settings: HttpSettings,
  request: HttpRequest,
): Promise<JsonObject> {
  let response: Response;
  let text: string;
  const what = `${request.method} ${request.url.pathname}`;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body: request.body,
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    // Inside the try: the timeout also covers a body that trickles in.
    text = await response.text();
  } catch (error) {
    // AbortSignal.timeout rejects with a DOMException, which is not always an Error instance.
    const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : '';
    const reason =
      name === 'TimeoutError'
        ? `timed out after ${settings.timeoutMs} ms`
        : `network error (${error instanceof Error ? error.message : String(error)})`;
    throw new PlatformUnavailable(platform, `${what}: ${reason}`);
  }
  if (response.status === 429) {
    throw new PlatformRateLimited(
      platform,
      retryAfterMs(response.headers.get('retry-after')),
      `${what}: HTTP 429`,
    );
  }
  if (response.status >= 500) {
    throw new PlatformUnavailable(platform, `${what}: HTTP ${response.status}`);
  }
  if (response.status >= 400) {
    throw new PlatformRejected(
      platform,
      `${what}: HTTP ${response.status} ${text.slice(0, 200)}`,
      errorCodeOf(request, text) ?? String(response.status),
    );
  }
  try {
    return asObject(JSON.parse(text), `${what} response`);
  } catch {
    // A 2xx that is not a JSON object is a gateway or maintenance page: transient.
    throw new PlatformUnavailable(platform, `${what}: the response is not a JSON object`);
  }
}

function errorCodeOf(request: HttpRequest, text: string): string | undefined {
  if (!request.errorCode) return undefined;
  try {
    return request.errorCode(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Runs a response reader: a field this code cannot read is the platform's
 * answer, and asking again will not change it, so it is a PlatformRejected.
 */
export function readResponse<T>(platform: MarketplacePlatform, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PayloadError) {
      throw new PlatformRejected(platform, `unreadable response: ${error.message}`);
    }
    throw error;
  }
}

/**
 * The error a 200 answer names in its body (Lazada, Shopee, TikTok): a rate
 * limit is worth retrying later, any other code is the platform's refusal.
 */
export function answerError(
  platform: MarketplacePlatform,
  path: string,
  body: JsonObject,
  code: string,
  rateLimited: boolean,
): PlatformRateLimited | PlatformRejected {
  return rateLimited
    ? new PlatformRateLimited(platform, DEFAULT_RETRY_AFTER_MS, `${path}: ${code}`)
    : new PlatformRejected(platform, `${path}: ${code} ${scalarText(body.message, '')}`, code);
}

/**
 * The seller's token, or a rejection: without one no call can succeed, and
 * retrying will not change that until someone (re)connects the shop.
 */
export function accessTokenOf(
  platform: MarketplacePlatform,
  credentials: { shopId: string; accessToken?: string },
): string {
  if (!credentials.accessToken) {
    throw new PlatformRejected(platform, `shop ${credentials.shopId} has no access token`);
  }
  return credentials.accessToken;
}

/** Every client's page size is clamped to what its platform allows. */
export function pageSizeOf(requested: number | undefined, max: number): number {
  if (requested === undefined) return max;
  return Math.min(max, Math.max(1, Math.floor(requested)));
}
