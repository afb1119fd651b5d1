/**
 * The marketplaces' chat send APIs behind the ChatSender interface, signed
 * like their order APIs (order-api/*.ts). Paths and bodies follow the
 * public API references as mirrored in platforms.md's sources; none was
 * exercised against a live shop (unverified), and only text and image URLs
 * are sent.
 */
import { createHash } from 'node:crypto';
import { Platform } from '../../entities/enums';
import { apiUrl, requestJson, type HttpSettings } from '../order-api/http';
import { lazadaSign } from '../order-api/lazada';
import { shopeeErrorCode, shopeeSign } from '../order-api/shopee';
import { tiktokSign } from '../order-api/tiktok';
import { PlatformRejected } from '../order-api/types';
import { isObject, type JsonObject } from '../payload';
import { sendInParts, type ChatSender, type OutboundChatMessage } from './types';

type AppSecrets = { appKey?: string; appSecret?: string };
type ShopeeSecrets = { partnerId?: string; partnerKey?: string };

export const MARKETPLACE_CHAT_PATHS = {
  lazada: '/im/message/send',
  shopee: '/api/v2/sellerchat/send_message',
  tiktok: (conversationId: string) =>
    `/customer_service/202309/conversations/${encodeURIComponent(conversationId)}/messages`,
} as const;

function tokenOf(platform: Platform, message: OutboundChatMessage): string {
  if (!message.accessToken) throw new PlatformRejected(platform, 'the shop has no access token');
  return message.accessToken;
}

function messageIdOf(platform: Platform, data: unknown): string {
  const id = isObject(data) ? (data.message_id ?? data.msg_id) : undefined;
  if (typeof id === 'string' || typeof id === 'number') return String(id);
  // Some answers carry no id; a stable stand-in keeps the unique (channel, id) meaningful.
  return `${platform.toLowerCase()}-sent-${createHash('sha256')
    .update(JSON.stringify(data ?? null))
    .digest('hex')
    .slice(0, 16)}`;
}

/** Text first, then each image: one platform message per part. */
function partsOf(message: OutboundChatMessage): { kind: 'text' | 'image'; value: string }[] {
  return [
    ...(message.text ? [{ kind: 'text' as const, value: message.text }] : []),
    ...message.attachments
      .filter((a) => a.url)
      .map((a) => ({ kind: 'image' as const, value: a.url ?? '' })),
  ];
}

/** Lazada and TikTok answer errors with HTTP 200 and a non-zero `code`. */
function dataOf(platform: Platform, body: JsonObject, what: string): unknown {
  const code =
    typeof body.code === 'string' || typeof body.code === 'number' ? String(body.code) : '0';
  if (code !== '0') throw new PlatformRejected(platform, `${what}: ${code}`, code);
  return body.data;
}

export function createLazadaChatSender(secrets: AppSecrets, http: HttpSettings): ChatSender {
  const platform = Platform.LAZADA;
  return {
    platform,
    async send(message) {
      const { appKey, appSecret } = secrets;
      if (!appKey || !appSecret) {
        throw new PlatformRejected(platform, 'LAZADA_APP_KEY and LAZADA_APP_SECRET are not set');
      }
      return sendInParts(platform, partsOf(message), async (part) => {
        const params: Record<string, string> = {
          session_id: message.threadId,
          // Template 1 is text, 3 a picture (platforms.md 1.4).
          template_id: part.kind === 'text' ? '1' : '3',
          ...(part.kind === 'text' ? { txt: part.value } : { img_url: part.value }),
          app_key: appKey,
          timestamp: String(Date.now()),
          sign_method: 'sha256',
          access_token: tokenOf(platform, message),
        };
        params.sign = lazadaSign(appSecret, MARKETPLACE_CHAT_PATHS.lazada, params);
        const body = await requestJson(platform, http, {
          method: 'POST',
          url: apiUrl(http.baseUrl, MARKETPLACE_CHAT_PATHS.lazada, params),
        });
        return messageIdOf(platform, dataOf(platform, body, 'IM send'));
      });
    },
  };
}

export function createTiktokChatSender(secrets: AppSecrets, http: HttpSettings): ChatSender {
  const platform = Platform.TIKTOK;
  return {
    platform,
    async send(message) {
      const { appKey, appSecret } = secrets;
      if (!appKey || !appSecret) {
        throw new PlatformRejected(platform, 'TIKTOK_APP_KEY and TIKTOK_APP_SECRET are not set');
      }
      const path = MARKETPLACE_CHAT_PATHS.tiktok(message.threadId);
      return sendInParts(platform, partsOf(message), async (part) => {
        const text = JSON.stringify({
          type: part.kind === 'text' ? 'TEXT' : 'IMAGE',
          content: JSON.stringify(
            part.kind === 'text' ? { content: part.value } : { url: part.value },
          ),
        });
        const query: Record<string, string> = {
          app_key: appKey,
          timestamp: String(Math.floor(Date.now() / 1000)),
        };
        query.sign = tiktokSign(appSecret, path, query, text);
        const body = await requestJson(platform, http, {
          method: 'POST',
          url: apiUrl(http.baseUrl, path, query),
          headers: { 'x-tts-access-token': tokenOf(platform, message) },
          body: text,
        });
        return messageIdOf(platform, dataOf(platform, body, 'send message'));
      });
    },
  };
}

export function createShopeeChatSender(secrets: ShopeeSecrets, http: HttpSettings): ChatSender {
  const platform = Platform.SHOPEE;
  return {
    platform,
    async send(message) {
      const { partnerId, partnerKey } = secrets;
      if (!partnerId || !partnerKey) {
        throw new PlatformRejected(
          platform,
          'SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY are not set',
        );
      }
      if (!message.recipientId) throw new PlatformRejected(platform, 'the buyer id is unknown');
      const path = MARKETPLACE_CHAT_PATHS.shopee;
      const token = tokenOf(platform, message);
      return sendInParts(platform, partsOf(message), async (part) => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const content: JsonObject =
          part.kind === 'text' ? { text: part.value } : { image_url: part.value };
        const body = await requestJson(platform, http, {
          method: 'POST',
          url: apiUrl(http.baseUrl, path, {
            partner_id: partnerId,
            timestamp,
            access_token: token,
            shop_id: message.channelExternalId,
            sign: shopeeSign(
              partnerKey,
              partnerId,
              path,
              timestamp,
              token,
              message.channelExternalId,
            ),
          }),
          body: JSON.stringify({
            to_id: Number(message.recipientId),
            message_type: part.kind === 'text' ? 'text' : 'image',
            content,
          }),
          errorCode: shopeeErrorCode,
        });
        const error = typeof body.error === 'string' ? body.error : '';
        if (error !== '') throw new PlatformRejected(platform, `send_message: ${error}`, error);
        return messageIdOf(platform, body.response);
      });
    },
  };
}
