import type { MikroORM } from '@mikro-orm/postgresql';
import type { Channel } from '../../src/entities';

/**
 * Inserts `count` orders of `channel` in one statement, each with a buyer
 * name of `nameRepeats` words, dated a minute ago (so exports take them at
 * once): enough bytes that an export is still streaming when a test acts.
 */
export async function insertBulkOrders(
  orm: MikroORM,
  channel: Channel,
  { count, nameRepeats }: { count: number; nameRepeats: number },
): Promise<void> {
  await orm.em.fork().execute(
    `insert into "customer_order" ("id", "platform", "channel_id", "shop_id", "external_id", "status",
       "raw_status", "buyer_name", "subtotal", "total", "placed_at", "created_at", "updated_at")
     select gen_random_uuid(), 'SHOPEE', ?, ?, 'bulk-' || n, 'CONFIRMED', 'READY_TO_SHIP',
       repeat('Nguyễn Văn ', ?), 1, 1, now(), now(), now() - interval '1 minute'
     from generate_series(1, ?) n`,
    [channel.id, channel.externalShopId, nameRepeats, count],
  );
}
