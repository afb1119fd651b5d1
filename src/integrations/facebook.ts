/**
 * Facebook Messenger Platform webhooks (platforms.md section 6): the GET
 * verify handshake, X-Hub-Signature-256 over the raw bytes, and the page
 * envelope normalized to chat messages.
 */
import { createHmac } from 'node:crypto';
import { Platform } from '../entities/enums';
import { z } from 'zod';
import {
  attachmentsField,
  CHAT_KEY_PREFIX,
  type ChatPushModule,
  type InboundChatMessage,
} from './chat-types';
import {
  idField,
  isObject,
  objectOf,
  objectsField,
  readPayload,
  textOr,
  timeField,
} from './payload';
import { constantTimeEqual, headerValue, rejected, verified } from './signature';
import type { VerifyResult, WebhookHeaders } from './types';

export type FacebookSecrets = { appSecret: string };

const PUSH = 'Messenger push';
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * The subscription handshake: the bare challenge for the right token, null
 * (answer 403) otherwise. PHP-style senders turn the dots into underscores.
 */
export function facebookHandshake(
  query: Record<string, unknown>,
  verifyToken: string,
): string | null {
  const param = (name: string): string | undefined => {
    const value = query[`hub.${name}`] ?? query[`hub_${name}`];
    return typeof value === 'string' ? value : undefined;
  };
  const token = param('verify_token');
  const challenge = param('challenge');
  if (param('mode') !== 'subscribe' || token === undefined || challenge === undefined) return null;
  return constantTimeEqual(Buffer.from(token), Buffer.from(verifyToken)) ? challenge : null;
}

/**
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. Meta
 * signs the escaped-unicode bytes it sent, so only the raw bytes match. The
 * legacy sha1 `X-Hub-Signature` is not accepted.
 */
function verify(rawBody: Buffer, headers: WebhookHeaders, secrets: FacebookSecrets): VerifyResult {
  const header = headerValue(headers, 'x-hub-signature-256')?.trim();
  if (!header) return rejected('missing X-Hub-Signature-256 header');
  const match = SIGNATURE.exec(header);
  if (!match?.[1]) return rejected('malformed X-Hub-Signature-256 header: expected sha256=<hex>');
  const mac = createHmac('sha256', secrets.appSecret).update(rawBody).digest();
  return constantTimeEqual(mac, Buffer.from(match[1], 'hex'))
    ? verified
    : rejected('signature mismatch');
}

/** Any push; only `object: "page"` carries Messenger messages. */
const ENVELOPE = objectOf({ object: z.unknown().optional(), entry: objectsField });

/** One entry: a page and its messaging items. */
const ENTRY = objectOf({ id: idField, time: z.unknown().optional(), messaging: objectsField });

/** A messaging item with a message; `timestamp` dates it, the entry's `time` is a fallback. */
const MESSAGE_ITEM = objectOf({
  sender: objectOf({ id: idField }),
  recipient: objectOf({ id: idField }),
  timestamp: z.unknown().optional(),
  message: objectOf({
    mid: idField,
    text: textOr(''),
    is_echo: z.unknown().optional(),
    attachments: attachmentsField('fallback', 'title'),
  }),
});

/**
 * Every entry and every messaging item (a delivery batches up to 1000).
 * Delivery and read receipts, postbacks without a message and handover
 * `standby` items carry no buyer text and are skipped; echoes of the page's
 * own messages are returned flagged.
 */
function normalize(payload: unknown): InboundChatMessage[] {
  const push = readPayload(ENVELOPE, payload, PUSH);
  if (push.object !== 'page') return [];
  const messages: InboundChatMessage[] = [];
  for (const rawEntry of push.entry) {
    const entry = readPayload(ENTRY, rawEntry, `${PUSH} entry`);
    const pageId = entry.id;
    for (const rawItem of entry.messaging) {
      if (!isObject(rawItem.message)) continue;
      const item = readPayload(MESSAGE_ITEM, rawItem, PUSH);
      const { message } = item;
      const echo = message.is_echo === true;
      // On an echo the page is the sender and the buyer the recipient.
      const buyer = echo ? item.recipient.id : item.sender.id;
      messages.push({
        platform: Platform.FACEBOOK,
        channelExternalId: pageId,
        threadId: buyer,
        senderUserId: buyer,
        externalMessageId: message.mid,
        text: message.text,
        attachments: message.attachments,
        sentAt: readPayload(timeField, item.timestamp ?? entry.time, `${PUSH} timestamp`),
        echo,
        eventKey: `${CHAT_KEY_PREFIX}fb:${pageId}:${message.mid}`,
      });
    }
  }
  return messages;
}

export const facebook: ChatPushModule<FacebookSecrets> = {
  platform: Platform.FACEBOOK,
  verify,
  normalize,
};
