import { Client } from 'pg';
import { OrderStatusEvent, type Channel, type Customer } from '../src/entities';
import { OrderStatus, Platform } from '../src/entities/enums';
import { compactReportSummaries } from '../src/jobs/compact-report-summaries.job';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The order report's summary (cells plus deltas, report_summaries migration)
 * against a count over the orders themselves, after every kind of write that
 * moves an order between cells or changes what it adds to one.
 */
let t: TestApp;
let f: ReturnType<typeof factories>;
let shopee: Channel;
let lazada: Channel;
let buyer: Customer;
let twin: Customer;

const DAY = new Date('2026-04-10T03:00:00Z');
const hours = (n: number, from = DAY) => new Date(from.getTime() + n * 3_600_000);

/** Keys whose figures differ between the summary and the rows; [] when the summary is exact. */
async function mismatches(): Promise<unknown[]> {
  return t.orm.em.fork().execute(
    `with s as (
       select "day", "channel_id", "platform", "status", sum("orders") as orders, sum("total") as total,
         sum("confirmed_to_shipped_micros") as cs, sum("confirmed_to_shipped") as cs_n,
         sum("shipped_to_delivered_micros") as sd, sum("shipped_to_delivered") as sd_n
       from (select * from "order_report_cell" union all select * from "order_report_delta") x
       group by 1, 2, 3, 4 having sum("orders") <> 0 or sum("total") <> 0
         or sum("confirmed_to_shipped") <> 0 or sum("shipped_to_delivered") <> 0),
     r as (
       select ((o."placed_at" at time zone 'UTC') + interval '7 hours')::date as "day", o."channel_id",
         o."platform", o."status", count(*) as orders, sum(o."total") as total,
         coalesce(sum(extract(epoch from m."shipped_at" - m."confirmed_at") * 1000000), 0) as cs,
         count(m."shipped_at" - m."confirmed_at") as cs_n,
         coalesce(sum(extract(epoch from m."delivered_at" - m."shipped_at") * 1000000), 0) as sd,
         count(m."delivered_at" - m."shipped_at") as sd_n
       from "customer_order" o left join "order_milestone" m on m."order_id" = o."id"
       group by 1, 2, 3, 4)
     (select 'summary only' as side, * from s except select 'summary only', * from r)
     union all
     (select 'rows only', * from r except select 'rows only', * from s)`,
  );
}

async function expectExact(): Promise<void> {
  expect(await mismatches()).toEqual([]);
  // And the same once the deltas are folded into the cells.
  await compactReportSummaries(t.orm);
  const [left] = await t.orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from "order_report_delta"');
  expect(Number(left?.n)).toBe(0);
  expect(await mismatches()).toEqual([]);
}

async function events(orderId: string, steps: [OrderStatus, Date][]): Promise<void> {
  const em = t.orm.em.fork();
  for (const [status, eventTime] of steps) {
    em.create(OrderStatusEvent, { order: orderId, rawStatus: status, status, eventTime });
  }
  await em.flush();
}

beforeAll(async () => {
  t = await startTestApp();
  f = factories(t.orm);
  shopee = await f.channel({ platform: Platform.SHOPEE });
  lazada = await f.channel({ platform: Platform.LAZADA });
  buyer = await f.customer();
  twin = await f.customer();
});

afterAll(() => t.close());

describe('order report summary', () => {
  it('stays exact through inserts, moves, lead times, merges and deletes', async () => {
    const orders = [];
    for (let i = 0; i < 6; i += 1) {
      orders.push(
        await f.order(
          { channel: i % 2 ? lazada : shopee, customer: i % 3 ? buyer : twin },
          { placedAt: hours(i * 5), total: 50_000 * (i + 1), subtotal: 50_000 * (i + 1) },
        ),
      );
    }
    for (const [i, order] of orders.entries()) {
      await events(order.id, [
        [OrderStatus.CONFIRMED, hours(i, order.placedAt)],
        [OrderStatus.SHIPPED, hours(i + 2, order.placedAt)],
      ]);
    }
    await expectExact();

    const [a, b, c, d, e] = orders.map((order) => order.id);
    const em = t.orm.em.fork();
    // Status, channel (and platform), business day and total, each on its own order.
    await em.execute(`update "customer_order" set "status" = 'SHIPPED' where "id" = ?`, [a]);
    await em.execute(
      `update "customer_order" set "channel_id" = ?, "platform" = 'LAZADA' where "id" = ?`,
      [lazada.id, b],
    );
    await em.execute(
      `update "customer_order" set "placed_at" = "placed_at" + interval '20 hours' where "id" = ?`,
      [c],
    );
    await em.execute(`update "customer_order" set "total" = 1 where "id" = ?`, [d]);
    await expectExact();

    // A set-based update like the webhook batch's, and a later milestone moving with its order.
    await em.execute(
      `update "customer_order" o set "status" = v.status::order_status, "updated_at" = now()
       from (values (?, 'DELIVERED'), (?, 'CANCELLED'), (?, 'DELIVERED')) as v(id, status)
       where o."id" = v.id::uuid`,
      [a, c, e],
    );
    await events(a!, [[OrderStatus.DELIVERED, hours(30)]]);
    // An earlier CONFIRMED lowers a lead time already counted.
    await events(e!, [[OrderStatus.CONFIRMED, hours(-3, orders[4]!.placedAt)]]);
    await expectExact();

    // A merge relinks orders: no cell changes, and nothing may drift.
    const merged = await t.gql(
      `mutation($s: ID!, $m: [ID!]!) { mergeCustomers(survivorId: $s, mergedIds: $m) { id } }`,
      { s: buyer.id, m: [twin.id] },
    );
    expect(merged.errors).toBeUndefined();
    await expectExact();

    // Deleting an order takes its lead times with it, though the cascade drops its milestone first.
    await em.execute(`delete from "customer_order" where "id" in (?, ?)`, [a, b]);
    await expectExact();
    await em.execute(`delete from "order_milestone" where "order_id" = ?`, [c]);
    await expectExact();

    // The report reads the same figures as the rows, before and after compaction.
    const report = await t.gql<{ orderReport: { total: { orders: number; revenue: number } } }>(
      `query { orderReport(from: "2026-04-01", to: "2026-04-30") { total { orders revenue } } }`,
    );
    const [rows] = await em.execute<{ orders: string; revenue: string }[]>(
      `select count(*) as orders, coalesce(sum("total") filter (
         where "status" not in ('CANCELLED', 'FAILED', 'RETURNED')), 0) as revenue
       from "customer_order" where "placed_at" >= '2026-03-31T17:00:00Z' and "placed_at" < '2026-04-30T17:00:00Z'`,
    );
    expect(report.data?.orderReport.total).toEqual({
      orders: Number(rows?.orders),
      revenue: Number(rows?.revenue),
    });
  });

  it('empties with the orders on TRUNCATE, which no row trigger sees', async () => {
    const order = await f.order({ channel: shopee }, { placedAt: DAY });
    await events(order.id, [
      [OrderStatus.CONFIRMED, hours(1)],
      [OrderStatus.SHIPPED, hours(2)],
    ]);
    await t.orm.em.fork().execute('truncate "customer_order" cascade');
    await expectExact();
    await f.order({ channel: lazada }, { placedAt: DAY });
    await expectExact();
  });

  it('lets two transactions add orders to the same cell without waiting for each other', async () => {
    const connect = async () => {
      const client = new Client({ connectionString: t.db.url });
      await client.connect();
      await client.query('begin');
      await client.query(`set local lock_timeout = '2s'`);
      return client;
    };
    const insert = (client: Client, n: number) =>
      client.query(
        `insert into "customer_order" ("id", "platform", "channel_id", "shop_id", "external_id", "status",
           "raw_status", "subtotal", "total", "placed_at", "created_at", "updated_at")
         values (gen_random_uuid(), 'SHOPEE', $1, $2, $3, 'CONFIRMED', 'READY_TO_SHIP', 10, 10, $4, now(), now())`,
        [shopee.id, shopee.externalShopId, `same-cell-${n}`, DAY],
      );
    const [first, second] = [await connect(), await connect()];
    try {
      await insert(first, 1);
      // Would time out on the first transaction's lock if both updated one summary row.
      await insert(second, 2);
      await first.query('commit');
      await second.query('commit');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
    await expectExact();
  });
});
