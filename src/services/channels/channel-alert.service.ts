import type { EntityManager } from '@mikro-orm/postgresql';
import { Channel } from '../../entities';
import { ChannelAlertKind, type Platform } from '../../entities/enums';
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
         and "status" not in ('DISCONNECTED', 'NEEDS_REAUTHORIZATION')
         -- Tokens the refresh job renews are its business (REFRESH_FAILED, REAUTHORIZE_SOON).
         and "refresh_token" is null
         and not ("platform" = 'SENDO' and "shop_key" is not null and "shop_secret" is not null)
         and ("token_alerted_for" is distinct from "token_expires_at"
              or "token_alerted_at" is null or "token_alerted_at" < ?)
       returning "id", "token_expires_at"`,
      [now, new Date(now.getTime() + TOKEN_ALERT_WINDOW_DAYS * DAY_MS), startOfBusinessDay(now)],
    );
    return rows.map((row) => {
      const expiresAt = new Date(row.token_expires_at);
      // claimDue's own kinds; the refresh job raises the others.
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

  /**
   * Claims REAUTHORIZE_SOON alerts: channels whose refresh token or
   * authorization ends within the window, once per end (a renewed
   * authorization is a new end and is announced afresh).
   */
  async claimReauthorizeSoon(em: EntityManager, now = new Date()): Promise<ChannelAlertEvent[]> {
    const ends = `least("refresh_token_expires_at", "authorization_expires_at")`;
    const rows = await em.execute<{ id: string; ends_at: Date | string }[]>(
      `update "channel" set "reauthorize_alerted_for" = ${ends}
       where "status" <> 'DISCONNECTED' and ${ends} is not null and ${ends} <= ?
         and "reauthorize_alerted_for" is distinct from ${ends}
       returning "id", "reauthorize_alerted_for" as "ends_at"`,
      [new Date(now.getTime() + TOKEN_ALERT_WINDOW_DAYS * DAY_MS)],
    );
    return rows.map((row) => reauthorizeSoon(row.id, new Date(row.ends_at), now));
  },

  /**
   * A platform's own "authorization expiring" push (Lazada type 8, Shopee
   * code 12, TikTok type 7): records the end it names and raises
   * REAUTHORIZE_SOON once for it. The webhook pipeline calls this with what
   * the platform module's notice reader found; an unknown shop is ignored.
   */
  async noteAuthorizationExpiring(
    em: EntityManager,
    notice: { platform: Platform; shopId: string; endsAt: Date | null },
    now = new Date(),
  ): Promise<ChannelAlertEvent | null> {
    // Without a date the platform's own warning window stands for it.
    const endsAt = notice.endsAt ?? new Date(now.getTime() + TOKEN_ALERT_WINDOW_DAYS * DAY_MS);
    const [row] = await em.execute<{ id: string; ends_at: Date | string }[]>(
      `update "channel" set
         "authorization_expires_at" = least("authorization_expires_at", ?),
         "reauthorize_alerted_for" = least("refresh_token_expires_at", "authorization_expires_at", ?)
       where "platform" = ? and "external_shop_id" = ? and "status" <> 'DISCONNECTED'
         and "reauthorize_alerted_for" is distinct from least("refresh_token_expires_at", "authorization_expires_at", ?)
       returning "id", "reauthorize_alerted_for" as "ends_at"`,
      [endsAt, endsAt, notice.platform, notice.shopId, endsAt],
    );
    return row ? reauthorizeSoon(row.id, new Date(row.ends_at), now) : null;
  },
};

const reauthorizeSoon = (channelId: string, endsAt: Date, now: Date): ChannelAlertEvent => ({
  channelId,
  kind: ChannelAlertKind.REAUTHORIZE_SOON,
  tokenExpiresAt: endsAt.toISOString(),
  daysLeft: tokenDaysLeft(endsAt, now),
});

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
