/**
 * Zalo Official Account webhooks (platforms.md section 7). The signature is a
 * plain SHA-256 (not an HMAC) of app_id + raw body + timestamp + OA secret.
 */
import { createHash } from 'node:crypto';
import { Platform } from '../entities/enums';
import { z } from 'zod';
import {
  attachmentsField,
  CHAT_KEY_PREFIX,
  type ChatPushModule,
  type InboundChatMessage,
} from './chat-types';
import { idField, isObject, objectOf, readPayload, textOr, timeField } from './payload';
import { constantTimeEqual, headerValue, rejected, verified } from './signature';
import type { VerifyResult, WebhookHeaders } from './types';

export type ZaloSecrets = { appId: string; oaSecret: string };

const PUSH = 'Zalo OA push';
const SIGNATURE = /^mac=([0-9a-fA-F]{64})$/;

/** Events that carry a buyer's message; receipts, follows and the like are not messages. */
const INBOUND_EVENT = /^(user|anonymous)_send_/;
/** The OA's own messages (sent from Zalo's console or through the API). */
const ECHO_EVENT = /^oa_send_/;

/** The two ids Zalo puts in the hashed text come from the body; the body is only read, never re-encoded. */
function signedFields(rawBody: Buffer): { appId: string; timestamp: string } | null {
  try {
    const body = JSON.parse(rawBody.toString('utf8')) as unknown;
    if (!isObject(body)) return null;
    const { app_id: appId, timestamp } = body;
    const text = (value: unknown) =>
      typeof value === 'string' || typeof value === 'number' ? String(value) : null;
    const app = text(appId);
    const time = text(timestamp);
    return app && time ? { appId: app, timestamp: time } : null;
  } catch {
    return null;
  }
}

function verify(rawBody: Buffer, headers: WebhookHeaders, secrets: ZaloSecrets): VerifyResult {
  const header = headerValue(headers, 'x-zevent-signature')?.trim();
  if (!header) return rejected('missing X-ZEvent-Signature header');
  const match = SIGNATURE.exec(header);
  if (!match?.[1]) return rejected('malformed X-ZEvent-Signature header: expected mac=<hex>');
  const fields = signedFields(rawBody);
  if (!fields) return rejected('the body has no app_id and timestamp to check the signature with');
  // Another app's push signed with its own secret would not match anyway; this names the cause.
  if (fields.appId !== secrets.appId) return rejected(`app_id ${fields.appId} is not ZALO_APP_ID`);
  const digest = createHash('sha256')
    .update(fields.appId)
    .update(rawBody)
    .update(fields.timestamp)
    .update(secrets.oaSecret)
    .digest();
  return constantTimeEqual(digest, Buffer.from(match[1], 'hex'))
    ? verified
    : rejected('signature mismatch');
}

/** Any push: its event name says whether it is a message. */
const ENVELOPE = objectOf({ event_name: textOr('') });

/** A message event, a user's to the OA or the OA's own (an echo), dated by `timestamp`. */
const MESSAGE_PUSH = objectOf({
  sender: objectOf({ id: idField }),
  recipient: objectOf({ id: idField }),
  message: objectOf({
    msg_id: idField,
    text: textOr(''),
    attachments: attachmentsField('file', 'name'),
  }),
  timestamp: z.unknown().optional(),
});

function normalize(payload: unknown): InboundChatMessage[] {
  const event = readPayload(ENVELOPE, payload, PUSH).event_name;
  const echo = ECHO_EVENT.test(event);
  if (!echo && !INBOUND_EVENT.test(event)) return [];
  const push = readPayload(MESSAGE_PUSH, payload, PUSH);
  const { message } = push;
  // Inbound: the user writes to the OA; an OA echo goes the other way.
  const [user, oa] = echo
    ? [push.recipient.id, push.sender.id]
    : [push.sender.id, push.recipient.id];
  return [
    {
      platform: Platform.ZALO,
      channelExternalId: oa,
      threadId: user,
      senderUserId: user,
      externalMessageId: message.msg_id,
      text: message.text,
      attachments: message.attachments,
      sentAt: readPayload(timeField, push.timestamp, `${PUSH} timestamp`),
      echo,
      eventKey: `${CHAT_KEY_PREFIX}zl:${oa}:${message.msg_id}`,
    },
  ];
}

export const zalo: ChatPushModule<ZaloSecrets> = { platform: Platform.ZALO, verify, normalize };
