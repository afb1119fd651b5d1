import { Channel } from '../../entities';
import type { RequestScope } from '../../kernel/request-scope';

export type ChannelHealth = {
  channel: Channel;
  lastPushAt: Date | null;
  pushesLastHour: number;
  failuresLastHour: number;
  deadLetters: number;
  /** Whole days until the platform token expires; negative once it has. */
  tokenExpiresInDays: number | null;
};

const DAY_MS = 86_400_000;

/** Whole days until a token expires, negative once it has. */
export const tokenDaysLeft = (expiresAt: Date, now: Date): number =>
  Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS);

/**
 * Integration health per connected shop (the runbook's "top issues" view):
 * one aggregate over the inbox for every channel, not a query per channel.
 */
export const channelHealthService = {
  async list({ em }: RequestScope, now = new Date()): Promise<ChannelHealth[]> {
    const channels = await em.find(Channel, {}, { orderBy: { platform: 'asc', name: 'asc' } });
    const rows = await em.execute<
      {
        platform: string;
        shop_id: string;
        last_push: Date | null;
        pushes: string;
        failures: string;
        dead: string;
      }[]
    >(
      `select "platform", "shop_id",
              max("received_at") as last_push,
              count(*) filter (where "received_at" >= ?) as pushes,
              count(*) filter (where "received_at" >= ? and "status" in ('FAILED', 'DEAD')) as failures,
              count(*) filter (where "status" = 'DEAD') as dead
       from "inbound_event"
       where "shop_id" is not null
       group by "platform", "shop_id"`,
      [new Date(now.getTime() - 3_600_000), new Date(now.getTime() - 3_600_000)],
    );
    const byShop = new Map(rows.map((row) => [`${row.platform}:${row.shop_id}`, row]));
    return channels.map((channel) => {
      const row = byShop.get(`${channel.platform}:${channel.externalShopId}`);
      return {
        channel,
        lastPushAt: row?.last_push ? new Date(row.last_push) : null,
        pushesLastHour: Number(row?.pushes ?? 0),
        failuresLastHour: Number(row?.failures ?? 0),
        deadLetters: Number(row?.dead ?? 0),
        tokenExpiresInDays: channel.tokenExpiresAt
          ? tokenDaysLeft(channel.tokenExpiresAt, now)
          : null,
      };
    });
  },
};
