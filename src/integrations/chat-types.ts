/**
 * The one shape every chat push is normalized to (Messenger, Zalo OA and the
 * marketplaces' chat), whatever its envelope. Normalizers are pure, like the
 * order modules: no I/O, no clock.
 */
import type { Platform } from '../entities/enums';
import { z } from 'zod';
import { objectOf, objectOrEmptyOf, objectsField, textOr } from './payload';
import type { VerifyResult, WebhookHeaders } from './types';

export type ChatAttachment = { type: string; url?: string; name?: string };

export type InboundChatMessage = {
  platform: Platform;
  /** The page id, OA id or shop/seller id: `Channel.externalShopId`. */
  channelExternalId: string;
  /** One Conversation per (channel, thread): a PSID, a Zalo user id, a marketplace session. */
  threadId: string;
  /** The buyer's id on the platform: the send API's recipient and the customer identity. */
  senderUserId: string;
  /** The dedup key of the message table (unique per channel). */
  externalMessageId: string;
  text: string;
  attachments: ChatAttachment[];
  sentAt: Date;
  /** Sent by the shop itself (a page echo, an OA message, a seller reply): not stored as inbound. */
  echo: boolean;
  /** The inbox key (platforms.md section 8); always starts with CHAT_KEY_PREFIX. */
  eventKey: string;
};

/** Inbox rows of chat messages are told apart from order events by this key prefix. */
export const CHAT_KEY_PREFIX = 'chat:';

export const isChatEventKey = (eventKey: string): boolean => eventKey.startsWith(CHAT_KEY_PREFIX);

export type ChatNormalizer = (payload: unknown) => InboundChatMessage[];

/** A messaging platform's receiver: verify the raw bytes, then normalize. */
export interface ChatPushModule<Secrets> {
  readonly platform: Platform;
  verify(rawBody: Buffer, headers: WebhookHeaders, secrets: Secrets): VerifyResult;
  normalize: ChatNormalizer;
}

const optionalText = z.string().optional().catch(undefined);

/**
 * `message.attachments[] = { type, payload: { url, <name key> } }`, the shape
 * Messenger and Zalo share; an attachment without a payload (Messenger's
 * fallback) keeps only its type. Never an error: what does not fit is left out.
 */
export const attachmentsField = (fallbackType: string, nameKey: string) =>
  objectsField.pipe(
    z.array(
      objectOf({
        type: textOr(fallbackType),
        payload: objectOrEmptyOf({ url: optionalText, [nameKey]: optionalText }),
      }).transform(({ type, payload }): ChatAttachment => {
        const name = payload[nameKey];
        return {
          type,
          ...(payload.url !== undefined ? { url: payload.url } : {}),
          ...(name !== undefined ? { name } : {}),
        };
      }),
    ),
  );
