/**
 * Facebook Messenger Platform webhooks (platforms.md section 6): the GET
 * verify handshake, X-Hub-Signature-256 over the raw bytes, and the page
 * envelope normalized to chat messages.
 */
import { createHmac } from 'node:crypto';
import { Platform } from '../entities/enums';
import {
  CHAT_KEY_PREFIX,
  readAttachments,
  type ChatPushModule,
  type InboundChatMessage,
} from './chat-types';
import { asObject, isObject, readId, toEventTime } from './payload';
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

/**
 * Every entry and every messaging item (a delivery batches up to 1000).
 * Delivery and read receipts, postbacks without a message and handover
 * `standby` items carry no buyer text and are skipped; echoes of the page's
 * own messages are returned flagged.
 */
function normalize(payload: unknown): InboundChatMessage[] {
  const push = asObject(payload, PUSH);
  if (push.object !== 'page') return [];
  const entries = Array.isArray(push.entry) ? push.entry : [];
  const messages: InboundChatMessage[] = [];
  for (const entry of entries.filter(isObject)) {
    const pageId = readId(entry, 'id', `${PUSH} entry`);
    const items = Array.isArray(entry.messaging) ? entry.messaging : [];
    for (const item of items.filter(isObject)) {
      if (!isObject(item.message)) continue;
      const message = item.message;
      const echo = message.is_echo === true;
      const sender = readId(asObject(item.sender, `${PUSH} sender`), 'id', `${PUSH} sender`);
      const recipient = readId(
        asObject(item.recipient, `${PUSH} recipient`),
        'id',
        `${PUSH} recipient`,
      );
      const mid = readId(message, 'mid', `${PUSH} message`);
      // On an echo the page is the sender and the buyer the recipient.
      const buyer = echo ? recipient : sender;
      messages.push({
        platform: Platform.FACEBOOK,
        channelExternalId: pageId,
        threadId: buyer,
        senderUserId: buyer,
        externalMessageId: mid,
        text: typeof message.text === 'string' ? message.text : '',
        attachments: readAttachments(message, 'fallback', 'title'),
        sentAt: toEventTime(item.timestamp ?? entry.time, `${PUSH} timestamp`),
        echo,
        eventKey: `${CHAT_KEY_PREFIX}fb:${pageId}:${mid}`,
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
