/**
 * The chat send adapters of every platform that has a chat, built once per
 * process from config. Base URLs: FACEBOOK_API_BASE_URL, ZALO_API_BASE_URL
 * and the marketplaces' `<P>_API_BASE_URL`.
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
import type { ChatSenders } from './types';
import { createZaloSender } from './zalo';

export function createChatSenders(
  messaging: MessagingConfig,
  platforms: PlatformConfig,
): ChatSenders {
  const timeoutMs = messaging.timeoutMs;
  return {
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
}

export type { ChatSender, ChatSenders, OutboundChatMessage } from './types';
