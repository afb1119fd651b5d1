/**
 * The chat send adapters of every platform that has a chat, built once per
 * process from config. Base URLs: FACEBOOK_API_BASE_URL, ZALO_API_BASE_URL
 * and the marketplaces' `<P>_API_BASE_URL`. With `renew` (services/channels)
 * a send whose token the platform refuses renews it once and is tried once
 * more (order-api/token-renewal.ts).
 */
import type { MessagingConfig, PlatformConfig } from '../../config';
import { Platform } from '../../entities/enums';
import { LAZADA_DEFAULT_BASE_URL } from '../order-api/lazada';
import { SHOPEE_DEFAULT_BASE_URL } from '../order-api/shopee';
import { TIKTOK_DEFAULT_BASE_URL } from '../order-api/tiktok';
import { createFacebookSender } from './facebook';
import {
  createLazadaChatSender,
  createShopeeChatSender,
  createTiktokChatSender,
} from './marketplaces';
import { withTokenRenewal, type TokenRenewer } from '../order-api/token-renewal';
import type { ChatSender, ChatSenders } from './types';
import { createZaloSender } from './zalo';

function renewing(sender: ChatSender, renew: TokenRenewer | undefined): ChatSender {
  if (!renew) return sender;
  return {
    platform: sender.platform,
    send: (message) =>
      withTokenRenewal(renew, message, (accessToken) => sender.send({ ...message, accessToken })),
  };
}

export function createChatSenders(
  messaging: MessagingConfig,
  platforms: PlatformConfig,
  renew?: TokenRenewer,
): ChatSenders {
  const timeoutMs = messaging.timeoutMs;
  const senders: ChatSenders = {
    [Platform.FACEBOOK]: createFacebookSender({
      baseUrl: messaging.facebook.apiBaseUrl,
      timeoutMs,
    }),
    [Platform.ZALO]: createZaloSender({ baseUrl: messaging.zalo.apiBaseUrl, timeoutMs }),
    [Platform.LAZADA]: createLazadaChatSender(platforms.lazada.secrets, {
      baseUrl: platforms.lazada.apiBaseUrl ?? LAZADA_DEFAULT_BASE_URL,
      timeoutMs,
    }),
    [Platform.TIKTOK]: createTiktokChatSender(platforms.tiktok.secrets, {
      baseUrl: platforms.tiktok.apiBaseUrl ?? TIKTOK_DEFAULT_BASE_URL,
      timeoutMs,
    }),
    [Platform.SHOPEE]: createShopeeChatSender(platforms.shopee.secrets, {
      baseUrl: platforms.shopee.apiBaseUrl ?? SHOPEE_DEFAULT_BASE_URL,
      timeoutMs,
    }),
  };
  return Object.fromEntries(
    Object.entries(senders).map(([platform, sender]) => [
      platform,
      sender && renewing(sender, renew),
    ]),
  );
}

export type { ChatSender, ChatSenders, OutboundChatMessage } from './types';
