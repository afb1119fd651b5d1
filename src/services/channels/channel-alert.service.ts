import type { EntityManager } from '@mikro-orm/postgresql';
import { Channel } from '../../entities';
import { ChannelAlertKind } from '../../entities/enums';
import type { ChannelAlertEvent } from '../../kernel/topics';
import { tokenDaysLeft } from './channel-health.service';
import { startOfBusinessDay } from '../tickets/ticket-filter';

const DAY_MS = 86_400_000;

/** How long before its expiry a channel's token is announced. */
export const TOKEN_ALERT_WINDOW_DAYS = 7;

export type ChannelAlert = {
  channel: Channel;
  kind: ChannelAlertKind;
  tokenExpiresAt: Date;
  daysLeft: number;
};

export const channelAlertService = {
  /**
   * Claims the alerts due now: channels (not disconnected) whose token expires
   * within the window or already has, not yet alerted about this very expiry
   * today (business day). Selecting and marking are one UPDATE ... RETURNING,
   * so two runs, even at once on two instances, never claim a channel twice;
   * an expired token is announced again each day until it is renewed.
   */
  async claimDue(em: EntityManager, now = new Date()): Promise<ChannelAlertEvent[]> {
    const rows = await em.execute<{ id: string; token_expires_at: Date | string }[]>(
      `update "channel" set "token_alerted_for" = "token_expires_at", "token_alerted_at" = ?
       where "token_expires_at" is not null and "token_expires_at" <= ?
         and "status" <> 'DISCONNECTED'
         and ("token_alerted_for" is distinct from "token_expires_at"
              or "token_alerted_at" is null or "token_alerted_at" < ?)
       returning "id", "token_expires_at"`,
      [now, new Date(now.getTime() + TOKEN_ALERT_WINDOW_DAYS * DAY_MS), startOfBusinessDay(now)],
    );
    return rows.map((row) => {
      const expiresAt = new Date(row.token_expires_at);
      return {
        channelId: row.id,
        kind:
          expiresAt.getTime() <= now.getTime()
            ? ChannelAlertKind.TOKEN_EXPIRED
            : ChannelAlertKind.TOKEN_EXPIRING,
        tokenExpiresAt: expiresAt.toISOString(),
        // The same count as `channels { tokenExpiresInDays }`.
        daysLeft: tokenDaysLeft(expiresAt, now),
      };
    });
  },
};

/** The alert an event announces, with its channel as it is now; a removed channel is skipped. */
export async function channelAlertOfEvent(
  em: EntityManager,
  event: ChannelAlertEvent,
): Promise<ChannelAlert | null> {
  const channel = await em.findOne(Channel, { id: event.channelId });
  return channel
    ? {
        channel,
        kind: event.kind,
        tokenExpiresAt: new Date(event.tokenExpiresAt),
        daysLeft: event.daysLeft,
      }
    : null;
}
