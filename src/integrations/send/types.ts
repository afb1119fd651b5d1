/**
 * One interface over the platforms' chat send APIs. Failures are the
 * order-API error classes (order-api/types.ts), so delivery backs off the
 * same way: PlatformRateLimited (429, Retry-After), PlatformUnavailable
 * (5xx, network, timeout: retried), PlatformRejected (never retried).
 */
import type { Platform } from '../../entities/enums';
import { PlatformRejected } from '../order-api/types';
import type { ChatAttachment } from '../chat-types';

export type OutboundChatMessage = {
  /** Channel.id: whose token to renew when the platform refuses it. */
  channelId?: string;
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

/**
 * A platform message carries text or one attachment, so one of ours may take
 * several calls: each part is sent in order and the first id is kept. A
 * retry after a partial failure repeats the parts already sent.
 */
export async function sendInParts<Part extends object>(
  platform: Platform,
  parts: readonly Part[],
  post: (part: Part) => Promise<string>,
): Promise<{ externalMessageId: string }> {
  let first: string | undefined;
  for (const part of parts) {
    const id = await post(part);
    first ??= id;
  }
  if (!first) throw new PlatformRejected(platform, 'nothing to send');
  return { externalMessageId: first };
}

/** The channel token and the buyer id every direct-message API needs. */
export function addressOf(
  platform: Platform,
  message: OutboundChatMessage,
): { token: string; recipient: string } {
  if (!message.accessToken) throw new PlatformRejected(platform, 'the channel has no access token');
  if (!message.recipientId) throw new PlatformRejected(platform, 'the buyer id is unknown');
  return { token: message.accessToken, recipient: message.recipientId };
}
