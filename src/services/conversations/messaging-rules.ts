/**
 * Platform rules checked before an outbound message is stored or sent, in
 * one table that is easy to correct.
 *
 * - Messenger: a standard (RESPONSE) message may be sent within 24 hours of
 *   the buyer's last message (Meta's messaging policy). Message tags and
 *   the human-agent 7-day tag are not used here.
 * - Zalo OA: a consultation ("cs") message may be sent within 48 hours of
 *   the user's last interaction. **Unverified**: third-party guides give
 *   48 h for OA API v3; older ones give 7 days.
 * - Marketplaces: no window is documented (unverified); none is enforced.
 */
import { Platform } from '../../entities/enums';
import type { ChatAttachment } from '../../integrations/chat-types';
import { DomainError, badInput } from '../../kernel/errors';
import { MAX_LENGTH, assertMaxLength } from '../../kernel/text-limits';

const HOUR_MS = 3_600_000;

export const REPLY_WINDOWS: Readonly<
  Partial<Record<Platform, { hours: number; verified: boolean }>>
> = {
  [Platform.FACEBOOK]: { hours: 24, verified: true },
  [Platform.ZALO]: { hours: 48, verified: false },
};

/** `extensions.reason` of the BAD_USER_INPUT error a closed window gives. */
export const WINDOW_CLOSED = 'MESSAGING_WINDOW_CLOSED';

/** Throws when the platform would refuse this message; nothing has been written yet. */
export function assertSendable(
  platform: Platform,
  lastInboundAt: Date | null | undefined,
  text: string,
  attachments: readonly ChatAttachment[],
  now: Date,
): void {
  if (text.trim() === '' && attachments.length === 0) {
    throw badInput('A message needs text or at least one attachment', 'text');
  }
  assertMaxLength(text, MAX_LENGTH.messageText, 'text');
  const closed = windowClosedAt(platform, lastInboundAt);
  if (closed && closed <= now) {
    const window = REPLY_WINDOWS[platform];
    throw new DomainError(
      'BAD_USER_INPUT',
      `The ${window?.hours ?? 0}-hour reply window of ${platform} closed ${lastInboundAt ? `at ${closed.toISOString()}` : '(the buyer has not written yet)'}: the platform refuses messages until the buyer writes again`,
      { reason: WINDOW_CLOSED, field: 'conversationId', windowClosedAt: closed.toISOString() },
    );
  }
}

/** When the window closes (epoch when the buyer never wrote); null: the platform has none. */
export function windowClosedAt(
  platform: Platform,
  lastInboundAt: Date | null | undefined,
): Date | null {
  const window = REPLY_WINDOWS[platform];
  if (!window) return null;
  return new Date((lastInboundAt?.getTime() ?? 0) + window.hours * HOUR_MS);
}
