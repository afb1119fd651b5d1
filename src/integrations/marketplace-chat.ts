/**
 * Chat pushes of the marketplace receivers, normalized to chat messages:
 * Lazada IM (message_type 2, platforms.md 1.4), TikTok Shop new message
 * (type 14, 3.4) and Shopee webchat (code 10, 2.4). Keys of `content` for
 * non-text messages are unverified, so they are read from a short list of
 * candidates here, in one place that is easy to correct.
 */
import { Platform } from '../entities/enums';
import { CHAT_KEY_PREFIX, type ChatAttachment, type InboundChatMessage } from './chat-types';
import {
  asObject,
  asObjectOrJsonText,
  firstPresent,
  has,
  isObject,
  readId,
  readInteger,
  toEventTime,
  type JsonObject,
} from './payload';

/** Lazada `template_id` -> attachment type (1 text and 4 emoji are text). */
const LAZADA_TEMPLATES: Readonly<Record<number, string>> = {
  3: 'image',
  6: 'video',
  10006: 'item',
  10007: 'order',
  10008: 'voucher',
  10010: 'follow-invite',
};
/** Candidate keys of a media URL inside a content object (unverified for Lazada and Shopee). */
const URL_KEYS = ['url', 'imgUrl', 'img_url', 'image_url', 'videoUrl', 'video_url'] as const;
const TEXT_KEYS = ['txt', 'text', 'content'] as const;

function contentOf(value: unknown, what: string): JsonObject {
  if (value === undefined || value === null || value === '') return {};
  try {
    return asObjectOrJsonText(value, what);
  } catch {
    // Plain text where JSON was expected: keep it as the text.
    return typeof value === 'string' ? { text: value } : {};
  }
}

function textOf(content: JsonObject): string {
  const key = firstPresent(content, TEXT_KEYS);
  const value = key ? content[key] : undefined;
  return typeof value === 'string' ? value : '';
}

function attachmentOf(type: string | undefined, content: JsonObject): ChatAttachment[] {
  if (!type) return [];
  const key = firstPresent(content, URL_KEYS);
  const url = key ? content[key] : undefined;
  return [{ type, ...(typeof url === 'string' ? { url } : {}) }];
}

/**
 * Lazada IM: `from_account_type` 1 is the buyer, 2 the seller; a seller's
 * message (or a system one, `type` 2) is an echo. A recalled message
 * (`status` 1) is skipped: the buyer took it back.
 */
export function lazadaChat(payload: unknown): InboundChatMessage[] {
  const what = 'Lazada IM push';
  const push = asObject(payload, what);
  if (readInteger(push, 'message_type', what) !== 2) return [];
  const shop = readId(push, 'seller_id', what);
  const data = asObject(push.data, `${what} data`);
  if (has(data, 'status') && readInteger(data, 'status', `${what} data`) === 1) return [];
  const fromBuyer =
    readInteger(data, 'from_account_type', `${what} data`) === 1 &&
    (!has(data, 'type') || readInteger(data, 'type', `${what} data`) === 1);
  const buyer = readId(data, fromBuyer ? 'from_account_id' : 'to_account_id', `${what} data`);
  const messageId = readId(data, 'message_id', `${what} data`);
  const content = contentOf(data.content, `${what} data.content`);
  const template = has(data, 'template_id') ? readInteger(data, 'template_id', what) : 1;
  return [
    {
      platform: Platform.LAZADA,
      channelExternalId: shop,
      threadId: readId(data, 'session_id', `${what} data`),
      senderUserId: buyer,
      externalMessageId: messageId,
      text: textOf(content),
      attachments: attachmentOf(LAZADA_TEMPLATES[template], content),
      sentAt: toEventTime(data.send_time ?? push.timestamp, `${what} data.send_time`),
      echo: !fromBuyer,
      eventKey: `${CHAT_KEY_PREFIX}lz:${shop}:${messageId}`,
    },
  ];
}

/** TikTok Shop type 14: roles other than BUYER (shop, agents, system, robot) are echoes. */
export function tiktokChat(payload: unknown): InboundChatMessage[] {
  const what = 'TikTok Shop message webhook';
  const push = asObject(payload, what);
  if (readInteger(push, 'type', what) !== 14) return [];
  const shop = readId(push, 'shop_id', what);
  const data = asObject(push.data, `${what} data`);
  const sender = isObject(data.sender) ? data.sender : {};
  const messageId = readId(data, 'message_id', `${what} data`);
  const type = typeof data.type === 'string' ? data.type : 'TEXT';
  const content = contentOf(data.content, `${what} data.content`);
  const media: Readonly<Record<string, string>> = { IMAGE: 'image', VIDEO: 'video' };
  const cards: Readonly<Record<string, string>> = {
    PRODUCT_CARD: 'product',
    ORDER_CARD: 'order',
    COUPON_CARD: 'coupon',
  };
  return [
    {
      platform: Platform.TIKTOK,
      channelExternalId: shop,
      threadId: readId(data, 'conversation_id', `${what} data`),
      // An IM id (it cannot be used to query orders): a chat identity only.
      senderUserId: has(sender, 'im_user_id') ? readId(sender, 'im_user_id', what) : '',
      externalMessageId: messageId,
      text: type === 'TEXT' ? textOf(content) : '',
      attachments: attachmentOf(media[type] ?? cards[type], content),
      sentAt: toEventTime(data.create_time ?? push.timestamp, `${what} data.create_time`),
      echo: sender.role !== 'BUYER',
      eventKey: `${CHAT_KEY_PREFIX}tt:${shop}:${messageId}`,
    },
  ];
}

/**
 * Shopee code 10 (unverified fields): platforms.md calls it a trigger. When
 * the push carries a message in the chat API's shape (message_id,
 * conversation_id, from_id, content) it is stored; a bare trigger yields
 * nothing, since reading the message back through the chat API is not built.
 */
export function shopeeChat(payload: unknown): InboundChatMessage[] {
  const what = 'Shopee webchat push';
  const push = asObject(payload, what);
  if (readInteger(push, 'code', what) !== 10) return [];
  const shop = readId(push, 'shop_id', what);
  const data = isObject(push.data) ? push.data : {};
  const message = isObject(data.content) && has(data.content, 'message_id') ? data.content : data;
  if (!has(message, 'message_id') || !has(message, 'conversation_id') || !has(message, 'from_id')) {
    return [];
  }
  const messageId = readId(message, 'message_id', what);
  const fromShop = has(message, 'from_shop_id') && String(message.from_shop_id) === shop;
  const buyer = readId(message, fromShop ? 'to_id' : 'from_id', what);
  const content = contentOf(message.content, `${what} content`);
  const type = typeof message.message_type === 'string' ? message.message_type : 'text';
  return [
    {
      platform: Platform.SHOPEE,
      channelExternalId: shop,
      threadId: readId(message, 'conversation_id', what),
      senderUserId: buyer,
      externalMessageId: messageId,
      text: textOf(content),
      attachments: type === 'text' ? [] : attachmentOf(type, content),
      sentAt: toEventTime(message.created_timestamp ?? push.timestamp, `${what} created_timestamp`),
      echo: fromShop,
      eventKey: `${CHAT_KEY_PREFIX}sp:${shop}:${messageId}`,
    },
  ];
}
