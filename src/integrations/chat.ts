/**
 * Chat normalizers by platform, for re-reading a stored chat push when it is
 * applied (the inbox keeps the raw body, one row per message key).
 */
import { Platform } from '../entities/enums';
import type { ChatNormalizer, InboundChatMessage } from './chat-types';
import { facebook } from './facebook';
import { lazadaChat, shopeeChat, tiktokChat } from './marketplace-chat';
import { PayloadError } from './types';
import { zalo } from './zalo';

export const CHAT_NORMALIZERS: Readonly<Partial<Record<Platform, ChatNormalizer>>> = {
  [Platform.FACEBOOK]: facebook.normalize,
  [Platform.ZALO]: zalo.normalize,
  [Platform.LAZADA]: lazadaChat,
  [Platform.TIKTOK]: tiktokChat,
  [Platform.SHOPEE]: shopeeChat,
};

/** The message a stored inbox row stands for. */
export function chatMessageOf(
  platform: Platform,
  rawBody: string,
  eventKey: string,
): InboundChatMessage {
  const normalize = CHAT_NORMALIZERS[platform];
  if (!normalize) throw new PayloadError(`${platform} pushes carry no chat messages`);
  const message = normalize(JSON.parse(rawBody)).find((m) => m.eventKey === eventKey);
  if (!message) throw new PayloadError(`the stored push no longer yields message ${eventKey}`);
  return message;
}
