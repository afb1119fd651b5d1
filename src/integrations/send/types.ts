/**
 * One interface over the platforms' chat send APIs. Failures are the
 * order-API error classes (order-api/types.ts), so delivery backs off the
 * same way: PlatformRateLimited (429, Retry-After), PlatformUnavailable
 * (5xx, network, timeout: retried), PlatformRejected (never retried).
 */
import type { Platform } from '../../entities/enums';
import type { ChatAttachment } from '../chat-types';

export type OutboundChatMessage = {
  /** Channel.externalShopId: page id, OA id, shop id. */
  channelExternalId: string;
  /** Channel.accessToken (page token, OA token, seller token). */
  accessToken: string | undefined;
  /** Conversation.externalThreadId (a marketplace session, or the buyer id). */
  threadId: string;
  /** Conversation.externalUserId: the buyer (PSID, Zalo user id). */
  recipientId: string | undefined;
  text: string;
  attachments: ChatAttachment[];
};

export interface ChatSender {
  readonly platform: Platform;
  /** Sends one message; returns the platform's message id. */
  send(message: OutboundChatMessage): Promise<{ externalMessageId: string }>;
}

export type ChatSenders = Readonly<Partial<Record<Platform, ChatSender>>>;
