/**
 * The one place a platform call told "your access token is invalid or
 * expired" gets a new token and one more try. The order-API clients and the
 * chat senders are wrapped with it when they are built (createOrderApiClients,
 * createChatSenders); the renewal itself (a refresh under the channel's row
 * lock) is services/channels' channelTokenRenewer, handed in as a function so
 * this layer stays free of the database.
 */
import { Platform } from '../../entities/enums';
import { PlatformRejected } from './types';

/**
 * How each platform answers a call whose access token it no longer accepts:
 * an HTTP 401 everywhere, or the platform's code in the body.
 * - Lazada `IllegalAccessToken` ("The specified access token is invalid or
 *   expired", the error tables of the Lazada API reference).
 * - Shopee `error_auth` ("Invalid access_token.", v2.order.get_order_detail's
 *   error list); `invalid_access_token` is what third-party clients report
 *   from live shops (unverified).
 * - TikTok 105001 (token deauthorized), 105002 (expired credentials) and
 *   36009004 (invalid x-tts-access-token header), from TikTok Shop's
 *   common-errors and authorization guides.
 * - Tiki and Sendo: HTTP 401 (bearer tokens).
 * - Zalo -216 (access token invalid) and -124 (access token expired):
 *   third-party lists, unverified.
 * - Facebook 190 (Graph API OAuthException): not in platforms.md.
 * A code here that does not mean "token" costs one refresh, never a loop.
 */
export const TOKEN_INVALID: Readonly<Record<Platform, RegExp>> = {
  [Platform.LAZADA]: /^(IllegalAccessToken|401)$/,
  [Platform.SHOPEE]: /^(error_auth|invalid_access_token|401)$/,
  [Platform.TIKTOK]: /^(105001|105002|36009004|401)$/,
  [Platform.TIKI]: /^401$/,
  [Platform.SENDO]: /^401$/,
  [Platform.ZALO]: /^(-216|-124|401)$/,
  [Platform.FACEBOOK]: /^(190|401)$/,
};

export function isTokenInvalid(error: unknown): error is PlatformRejected {
  return (
    error instanceof PlatformRejected &&
    error.code !== undefined &&
    TOKEN_INVALID[error.platform].test(error.code)
  );
}

/**
 * Renews a channel's token after the platform refused `refusedToken`: the
 * token to try again with, or null when there is none (the refresh failed,
 * or the channel cannot be refreshed), and the refusal then stands.
 */
export type TokenRenewer = (
  channelId: string,
  refusedToken: string | undefined,
) => Promise<string | null>;

/**
 * Runs `call` with the channel's token; a token-invalid answer renews the
 * token once and retries once with the new one. A second refusal is thrown
 * as it is: one refresh and one retry per call, never a loop.
 */
export async function withTokenRenewal<T>(
  renew: TokenRenewer | undefined,
  channel: { channelId?: string; accessToken?: string | undefined },
  call: (accessToken: string | undefined) => Promise<T>,
): Promise<T> {
  try {
    return await call(channel.accessToken);
  } catch (error) {
    if (!renew || !channel.channelId || !isTokenInvalid(error)) throw error;
    const renewed = await renew(channel.channelId, channel.accessToken);
    if (renewed === null) throw error;
    return call(renewed);
  }
}
