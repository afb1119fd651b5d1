import { Platform } from '../../entities/enums';
import { apiUrl, DEFAULT_RETRY_AFTER_MS, requestJson, type HttpSettings } from '../order-api/http';
import { PlatformRateLimited, PlatformRejected } from '../order-api/types';
import { asObject } from '../payload';
import { addressOf, sendInParts, type ChatSender, type OutboundChatMessage } from './types';

const platform = Platform.ZALO;

/**
 * Zalo's "too many requests" error codes (unverified: third-party lists give
 * -32 for the OA quota); a hit is backed off like an HTTP 429.
 */
const ZALO_RATE_LIMIT_ERRORS = new Set([-32]);

/**
 * Zalo OA consultation message: `POST {base}/v3.0/oa/message/cs`, header
 * `access_token`, body `{ recipient: { user_id }, message: { text } }`.
 * Errors come as HTTP 200 with a non-zero `error`. An image attachment is
 * sent as a media template with its URL; other files need Zalo's upload
 * API first (not built), so they are refused.
 */
export function createZaloSender(http: HttpSettings): ChatSender {
  const post = async (token: string, userId: string, message: object): Promise<string> => {
    const body = await requestJson(platform, http, {
      method: 'POST',
      url: apiUrl(http.baseUrl, '/v3.0/oa/message/cs'),
      headers: { access_token: token },
      body: JSON.stringify({ recipient: { user_id: userId }, message }),
    });
    const error = typeof body.error === 'number' ? body.error : 0;
    const text = typeof body.message === 'string' ? body.message : '';
    if (ZALO_RATE_LIMIT_ERRORS.has(error)) {
      throw new PlatformRateLimited(platform, DEFAULT_RETRY_AFTER_MS, `error ${error} ${text}`);
    }
    if (error !== 0) throw new PlatformRejected(platform, `error ${error} ${text}`, String(error));
    const data = asObject(body.data ?? {}, 'Zalo send response data');
    if (typeof data.message_id !== 'string') {
      throw new PlatformRejected(platform, 'the OA API answered without a message_id');
    }
    return data.message_id;
  };
  return {
    platform,
    async send(message: OutboundChatMessage) {
      const { token, recipient } = addressOf(platform, message);
      const parts: object[] = [...(message.text ? [{ text: message.text }] : [])];
      for (const attachment of message.attachments) {
        if (attachment.type !== 'image' || !attachment.url) {
          throw new PlatformRejected(
            platform,
            `cannot send a ${attachment.type} attachment by URL`,
          );
        }
        parts.push({
          attachment: {
            type: 'template',
            payload: {
              template_type: 'media',
              elements: [{ media_type: 'image', url: attachment.url }],
            },
          },
        });
      }
      return sendInParts(platform, parts, (part) => post(token, recipient, part));
    },
  };
}
