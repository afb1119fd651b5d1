import { Platform } from '../../entities/enums';
import { apiUrl, requestJson, type HttpSettings } from '../order-api/http';
import { PlatformRejected } from '../order-api/types';
import { isObject } from '../payload';
import { addressOf, sendInParts, type ChatSender, type OutboundChatMessage } from './types';

const platform = Platform.FACEBOOK;

/** Graph API errors: `{ error: { message, type, code, error_subcode } }` with a 4xx. */
function graphErrorCode(body: unknown): string | undefined {
  const error = isObject(body) ? body.error : undefined;
  const code = isObject(error) ? error.code : undefined;
  return typeof code === 'number' || typeof code === 'string' ? String(code) : undefined;
}

/**
 * Messenger Send API: `POST {base}/me/messages?access_token=<page token>`
 * with the buyer's PSID. A message carries text or one attachment, so the
 * text goes first and each attachment follows as its own message; the id
 * kept is the first one's. `messaging_type: RESPONSE` is the in-window
 * reply the 24-hour rule allows.
 */
export function createFacebookSender(http: HttpSettings): ChatSender {
  const post = async (token: string, recipient: string, message: object): Promise<string> => {
    const body = await requestJson(platform, http, {
      method: 'POST',
      url: apiUrl(http.baseUrl, '/me/messages', { access_token: token }),
      body: JSON.stringify({ recipient: { id: recipient }, messaging_type: 'RESPONSE', message }),
      // 190: the page token is invalid (password changed, role lost, app removed).
      errorCode: graphErrorCode,
    });
    if (typeof body.message_id !== 'string') {
      throw new PlatformRejected(platform, 'the Send API answered without a message_id');
    }
    return body.message_id;
  };
  return {
    platform,
    async send(message: OutboundChatMessage) {
      const { token, recipient } = addressOf(platform, message);
      const parts: object[] = [
        ...(message.text ? [{ text: message.text }] : []),
        ...message.attachments.map((attachment) => ({
          attachment: {
            type: ['image', 'audio', 'video'].includes(attachment.type) ? attachment.type : 'file',
            payload: { url: attachment.url, is_reusable: true },
          },
        })),
      ];
      return sendInParts(platform, parts, (part) => post(token, recipient, part));
    },
  };
}
