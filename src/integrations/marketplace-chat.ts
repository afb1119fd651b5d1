/**
 * Chat pushes of the marketplace receivers, normalized to chat messages:
 * Lazada IM (message_type 2, platforms.md 1.4), TikTok Shop new message
 * (type 14, 3.4) and Shopee webchat (code 10, 2.4). Keys of `content` for
 * non-text messages are unverified, so they are read from a short list of
 * candidates here, in one place that is easy to correct.
 */
import { Platform } from '../entities/enums';
import { CHAT_KEY_PREFIX, type ChatAttachment, type InboundChatMessage } from './chat-types';
import { z } from 'zod';
import {
  firstPresent,
  has,
  idField,
  integerField,
  isObject,
  lenientField,
  objectOf,
  objectOrEmptyOf,
  objectOrJsonTextOf,
  readPayload,
  textOr,
  timeField,
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

const jsonContent = objectOrJsonTextOf({});

/**
 * `content`, an object or its JSON text. Never an error: plain text where
 * JSON was expected is kept as the text, anything else reads as no content.
 */
const contentField = lenientField((value): JsonObject => {
  if (value === undefined || value === null || value === '') return {};
  const read = jsonContent.safeParse(value);
  if (read.success) return read.data;
  return typeof value === 'string' ? { text: value } : {};
});

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
 * A push's one message, from `shop`. Message ids are the marketplace's own,
 * so the inbox key names the marketplace (`tag`) and the shop as well.
 */
function shopMessage(
  platform: Platform,
  tag: string,
  shop: string,
  message: Omit<InboundChatMessage, 'platform' | 'channelExternalId' | 'eventKey'>,
): InboundChatMessage[] {
  return [
    {
      platform,
      channelExternalId: shop,
      ...message,
      eventKey: `${CHAT_KEY_PREFIX}${tag}:${shop}:${message.externalMessageId}`,
    },
  ];
}

/** Lazada: only message_type 2 is a chat message. */
const LAZADA_ENVELOPE = objectOf({ message_type: integerField });

/** A Lazada IM push, as far as telling a recalled message (`status` 1) apart. */
const LAZADA_RECALL = objectOf({
  seller_id: idField,
  data: objectOf({ status: integerField.nullish() }),
});

/**
 * A Lazada IM message. The buyer is the sender or the recipient depending on
 * who wrote, so both account ids are read once that is known; `send_time`
 * dates it, the envelope `timestamp` (when Lazada pushed) is a fallback.
 */
const LAZADA_IM_PUSH = objectOf({
  seller_id: idField,
  timestamp: z.unknown().optional(),
  data: objectOf({
    from_account_type: integerField,
    type: integerField.nullish(),
    from_account_id: z.unknown().optional(),
    to_account_id: z.unknown().optional(),
    message_id: idField,
    content: contentField,
    template_id: integerField.nullish(),
    session_id: idField,
    send_time: z.unknown().optional(),
  }),
});

/**
 * Lazada IM: `from_account_type` 1 is the buyer, 2 the seller; a seller's
 * message (or a system one, `type` 2) is an echo. A recalled message
 * (`status` 1) is skipped: the buyer took it back.
 */
export function lazadaChat(payload: unknown): InboundChatMessage[] {
  const what = 'Lazada IM push';
  if (readPayload(LAZADA_ENVELOPE, payload, what).message_type !== 2) return [];
  if (readPayload(LAZADA_RECALL, payload, what).data.status === 1) return [];
  const push = readPayload(LAZADA_IM_PUSH, payload, what);
  const shop = push.seller_id;
  const { data } = push;
  const fromBuyer = data.from_account_type === 1 && (data.type ?? 1) === 1;
  const buyerKey = fromBuyer ? 'from_account_id' : 'to_account_id';
  const buyer = readPayload(idField, data[buyerKey], `${what} data.${buyerKey}`);
  return shopMessage(Platform.LAZADA, 'lz', shop, {
    threadId: data.session_id,
    senderUserId: buyer,
    externalMessageId: data.message_id,
    text: textOf(data.content),
    attachments: attachmentOf(LAZADA_TEMPLATES[data.template_id ?? 1], data.content),
    sentAt: readPayload(timeField, data.send_time ?? push.timestamp, `${what} data.send_time`),
    echo: !fromBuyer,
  });
}

/** TikTok Shop: only type 14 is a chat message. */
const TIKTOK_ENVELOPE = objectOf({ type: integerField });

/**
 * A TikTok Shop type 14 message. The sender may be left out (read as not the
 * buyer); `create_time` dates it, the envelope `timestamp` is a fallback.
 */
const TIKTOK_MESSAGE_PUSH = objectOf({
  shop_id: idField,
  timestamp: z.unknown().optional(),
  data: objectOf({
    message_id: idField,
    conversation_id: idField,
    sender: objectOrEmptyOf({ im_user_id: idField.nullish(), role: z.unknown().optional() }),
    type: textOr('TEXT'),
    content: contentField,
    create_time: z.unknown().optional(),
  }),
});

const TIKTOK_MEDIA: Readonly<Record<string, string>> = { IMAGE: 'image', VIDEO: 'video' };
const TIKTOK_CARDS: Readonly<Record<string, string>> = {
  PRODUCT_CARD: 'product',
  ORDER_CARD: 'order',
  COUPON_CARD: 'coupon',
};

/** TikTok Shop type 14: roles other than BUYER (shop, agents, system, robot) are echoes. */
export function tiktokChat(payload: unknown): InboundChatMessage[] {
  const what = 'TikTok Shop message webhook';
  if (readPayload(TIKTOK_ENVELOPE, payload, what).type !== 14) return [];
  const push = readPayload(TIKTOK_MESSAGE_PUSH, payload, what);
  const shop = push.shop_id;
  const { data } = push;
  const { type, content } = data;
  return shopMessage(Platform.TIKTOK, 'tt', shop, {
    threadId: data.conversation_id,
    // An IM id (it cannot be used to query orders): a chat identity only.
    senderUserId: data.sender.im_user_id ?? '',
    externalMessageId: data.message_id,
    text: type === 'TEXT' ? textOf(content) : '',
    attachments: attachmentOf(TIKTOK_MEDIA[type] ?? TIKTOK_CARDS[type], content),
    sentAt: readPayload(timeField, data.create_time ?? push.timestamp, `${what} data.create_time`),
    echo: data.sender.role !== 'BUYER',
  });
}

/** Shopee: only code 10 is a chat push. */
const SHOPEE_ENVELOPE = objectOf({ code: integerField });

/** A Shopee code 10 push: a trigger whose `data` may hold a message, or hold it in `content`. */
const SHOPEE_WEBCHAT_PUSH = objectOf({
  shop_id: idField,
  timestamp: z.unknown().optional(),
  data: objectOrEmptyOf({ content: z.unknown().optional() }),
});

/**
 * A message in the chat API's shape. The buyer is `from_id`, or `to_id` when
 * the shop wrote; `created_timestamp` dates it, the push `timestamp` is a fallback.
 */
const SHOPEE_MESSAGE = objectOf({
  message_id: idField,
  conversation_id: idField,
  from_id: z.unknown(),
  to_id: z.unknown().optional(),
  from_shop_id: z.unknown().optional(),
  content: contentField,
  message_type: textOr('text'),
  created_timestamp: z.unknown().optional(),
});

/**
 * Shopee code 10 (unverified fields): platforms.md calls it a trigger. When
 * the push carries a message in the chat API's shape (message_id,
 * conversation_id, from_id, content) it is stored; a bare trigger yields
 * nothing, since reading the message back through the chat API is not built.
 */
export function shopeeChat(payload: unknown): InboundChatMessage[] {
  const what = 'Shopee webchat push';
  if (readPayload(SHOPEE_ENVELOPE, payload, what).code !== 10) return [];
  const push = readPayload(SHOPEE_WEBCHAT_PUSH, payload, what);
  const shop = push.shop_id;
  const { data } = push;
  const part = isObject(data.content) && has(data.content, 'message_id') ? data.content : data;
  if (!has(part, 'message_id') || !has(part, 'conversation_id') || !has(part, 'from_id')) {
    return [];
  }
  const message = readPayload(SHOPEE_MESSAGE, part, what);
  const fromShop = has(message, 'from_shop_id') && String(message.from_shop_id) === shop;
  const buyerKey = fromShop ? 'to_id' : 'from_id';
  const buyer = readPayload(idField, message[buyerKey], `${what}.${buyerKey}`);
  const type = message.message_type;
  return shopMessage(Platform.SHOPEE, 'sp', shop, {
    threadId: message.conversation_id,
    senderUserId: buyer,
    externalMessageId: message.message_id,
    text: textOf(message.content),
    attachments: type === 'text' ? [] : attachmentOf(type, message.content),
    sentAt: readPayload(
      timeField,
      message.created_timestamp ?? push.timestamp,
      `${what} created_timestamp`,
    ),
    echo: fromShop,
  });
}
