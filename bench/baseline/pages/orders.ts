import type { Pool } from 'pg';
import type { UserViewer } from '../../../src/auth/viewer';
import { groupBy, iso, pageOf, safeInt } from '../page';
import { PAGE_SIZE } from '../queries';
import { customerRef } from '../viewer';

type Row = {
  id: string;
  external_id: string;
  platform: string;
  status: string;
  total: string;
  currency: string;
  placed_at: Date;
  customer_id: string | null;
  full_name: string | null;
  phone: string | null;
  channel_id: string;
  channel_name: string;
  channel_platform: string;
};

type ItemRow = {
  id: string;
  order_id: string;
  sku: string;
  name: string;
  quantity: number;
  unit_price: string;
  total: string;
};

/** The order board: newest orders with their items, customer and channel (every CRM user sees all). */
export async function ordersPage(pool: Pool, viewer: UserViewer) {
  const { rows } = await pool.query<Row>(
    `select o.id, o.external_id, o.platform, o.status, o.total, o.currency, o.placed_at,
            c.id as customer_id, c.full_name, c.phone,
            ch.id as channel_id, ch.name as channel_name, ch.platform as channel_platform
     from customer_order o
     join channel ch on ch.id = o.channel_id
     left join customer c on c.id = o.customer_id
     order by o.placed_at desc, o.id desc
     limit $1`,
    [PAGE_SIZE + 1],
  );
  const ids = rows.slice(0, PAGE_SIZE).map((row) => row.id);
  const items = await pool.query<ItemRow>(
    `select id, order_id, sku, name, quantity, unit_price, total
     from order_item where order_id = any($1::uuid[]) order by id`,
    [ids],
  );
  const itemsOf = groupBy(items.rows, (item) => item.order_id);
  const page = pageOf(
    rows,
    PAGE_SIZE,
    { key: 'placedAt:DESC', value: (row) => row.placed_at },
    (row) => ({
      id: row.id,
      externalId: row.external_id,
      platform: row.platform,
      status: row.status,
      total: safeInt(row.total),
      currency: row.currency,
      placedAt: iso(row.placed_at),
      items: (itemsOf.get(row.id) ?? []).map((item) => ({
        id: item.id,
        sku: item.sku,
        name: item.name,
        quantity: item.quantity,
        unitPrice: safeInt(item.unit_price),
        total: safeInt(item.total),
      })),
      customer: customerRef(viewer, row),
      channel: { id: row.channel_id, name: row.channel_name, platform: row.channel_platform },
    }),
  );
  return { orders: page };
}
