import type { Pool } from 'pg';
import type { UserViewer } from '../../../src/auth/viewer';
import { groupBy, iso, pageOf, safeInt } from '../page';
import { PAGE_SIZE } from '../queries';
import { contactFor } from '../viewer';

type Row = {
  id: string;
  full_name: string;
  phone: string | null;
  email: string | null;
  created_at: Date;
  order_id: string | null;
  external_id: string | null;
  order_status: string | null;
  order_total: string | null;
  placed_at: Date | null;
};

type LabelRow = {
  customer_id: string;
  id: string;
  code: string;
  name: string;
  color: string | null;
};

/** Customers, newest first (merged tombstones are not people any more), with labels and latest order. */
export async function customersPage(pool: Pool, viewer: UserViewer) {
  const { rows } = await pool.query<Row>(
    `select c.id, c.full_name, c.phone, c.email, c.created_at,
            o.id as order_id, o.external_id, o.status as order_status, o.total as order_total, o.placed_at
     from customer c
     left join lateral (
       select id, external_id, status, total, placed_at from customer_order
       where customer_id = c.id order by placed_at desc, id desc limit 1
     ) o on true
     where c.merged_into_id is null
     order by c.created_at desc, c.id desc
     limit $1`,
    [PAGE_SIZE + 1],
  );
  const ids = rows.slice(0, PAGE_SIZE).map((row) => row.id);
  const labels = await pool.query<LabelRow>(
    `select k.customer_id, l.id, l.code, l.name, l.color
     from customer_label_link k join customer_label l on l.id = k.customer_label_id
     where k.customer_id = any($1::uuid[]) order by l.name`,
    [ids],
  );
  const labelsOf = groupBy(labels.rows, (label) => label.customer_id);
  const page = pageOf(
    rows,
    PAGE_SIZE,
    { key: 'createdAt:DESC', value: (row) => row.created_at },
    (row) => ({
      id: row.id,
      fullName: row.full_name,
      phone: contactFor(viewer, row.phone),
      email: contactFor(viewer, row.email),
      createdAt: iso(row.created_at),
      labels: (labelsOf.get(row.id) ?? []).map(({ id, code, name, color }) => ({
        id,
        code,
        name,
        color,
      })),
      orders:
        row.order_id === null
          ? []
          : [
              {
                id: row.order_id,
                externalId: row.external_id,
                status: row.order_status,
                total: safeInt(row.order_total ?? '0'),
                placedAt: iso(row.placed_at),
              },
            ],
    }),
  );
  return { customers: page };
}
