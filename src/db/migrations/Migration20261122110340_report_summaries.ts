import { Migration } from '@mikro-orm/migrations';

/**
 * Report summaries (issue 8, speed). The order report read every order in its
 * range (200,000 at the demo's scale 10, about 500 ms); it now reads
 * order_report_cell, one row per business day, channel, platform and status,
 * plus the deltas not folded in yet (entities/order-report.entity.ts).
 *
 * Triggers keep the summary exact in the transaction that changes the rows,
 * whoever writes them (the ORM, the webhook batch path in raw SQL, the seed):
 * - customer_order INSERT and UPDATE: one statement-level trigger each, over
 *   the transition tables, appends one delta per cell the statement touched
 *   (a batch of 200 orders appends a handful of rows, not 200). An UPDATE
 *   moves the order's whole contribution, lead times included, from its old
 *   cell to its new one.
 * - customer_order DELETE: a row trigger BEFORE the delete, because the
 *   cascade removes the order's milestone before any AFTER trigger of the
 *   order could read it.
 * - order_milestone: a row trigger adds the change of the order's lead times
 *   to the order's current cell. Milestones of applied events are written in
 *   the transaction that moves the order, which holds the order's row lock,
 *   so a concurrent move of the same order reads the milestone after it (and
 *   the milestone trigger reads the order after the move): a lead time is
 *   never counted in a cell its order left.
 *
 * Deltas are appended, never updated in place: every webhook batch of new
 * orders lands in today's cell of its shop, and a cell row updated by each
 * of them would serialize the batches until commit. order_report_compact()
 * folds the deltas into the cells in one transaction (a report sees either
 * both sides before or both after); a job runs it every minute.
 */
export class Migration20261122110340_report_summaries extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "order_report_cell" ("id" bigserial primary key, "day" date not null, "channel_id" uuid not null, "platform" "platform" not null, "status" "order_status" not null, "orders" int not null, "total" bigint not null, "confirmed_to_shipped_micros" bigint not null, "confirmed_to_shipped" int not null, "shipped_to_delivered_micros" bigint not null, "shipped_to_delivered" int not null);`);
    this.addSql(`alter table "order_report_cell" add constraint "order_report_cell_day_channel_id_platform_status_unique" unique ("day", "channel_id", "platform", "status");`);

    this.addSql(`create table "order_report_delta" ("id" bigserial primary key, "day" date not null, "channel_id" uuid not null, "platform" "platform" not null, "status" "order_status" not null, "orders" int not null, "total" bigint not null, "confirmed_to_shipped_micros" bigint not null, "confirmed_to_shipped" int not null, "shipped_to_delivered_micros" bigint not null, "shipped_to_delivered" int not null);`);

    this.addSql(`drop index "customer_order_customer_id_index";`);
    this.addSql(`create index "customer_order_customer_id_placed_at_index" on "customer_order" ("customer_id", "placed_at");`);

    // UTC+7 all year, as report.service.ts and BUSINESS_OFFSET_MS shift it.
    this.addSql(`create function "order_report_day"(at timestamptz) returns date
      language sql immutable parallel safe as $$ select ((at at time zone 'UTC') + interval '7 hours')::date $$;`);
    // Exact: intervals are whole microseconds. Null when either end is missing, as count() skips it.
    this.addSql(`create function "order_report_micros"(from_at timestamptz, to_at timestamptz) returns bigint
      language sql immutable parallel safe as $$ select (extract(epoch from to_at - from_at) * 1000000)::bigint $$;`);

    this.addSql(`create function "order_report_on_insert"() returns trigger language plpgsql as $$
      begin
        -- A new order has no milestone yet: the milestone's foreign key needs the order first.
        insert into "order_report_delta" ("day", "channel_id", "platform", "status", "orders", "total",
          "confirmed_to_shipped_micros", "confirmed_to_shipped", "shipped_to_delivered_micros", "shipped_to_delivered")
        select "order_report_day"(n."placed_at"), n."channel_id", n."platform", n."status", count(*), sum(n."total"), 0, 0, 0, 0
        from new_rows n
        group by 1, 2, 3, 4;
        return null;
      end $$;`);
    this.addSql(`create trigger "order_report_after_insert" after insert on "customer_order"
      referencing new table as new_rows for each statement execute function "order_report_on_insert"();`);

    this.addSql(`create function "order_report_on_update"() returns trigger language plpgsql as $$
      begin
        insert into "order_report_delta" ("day", "channel_id", "platform", "status", "orders", "total",
          "confirmed_to_shipped_micros", "confirmed_to_shipped", "shipped_to_delivered_micros", "shipped_to_delivered")
        select v."day", v."channel_id", v."platform", v."status", sum(v.sign), sum(v.sign * v."total"),
          coalesce(sum(v.sign * l.cs), 0), sum(v.sign * (l.cs is not null)::int),
          coalesce(sum(v.sign * l.sd), 0), sum(v.sign * (l.sd is not null)::int)
        from old_rows o
        join new_rows n on n."id" = o."id"
        left join "order_milestone" m on m."order_id" = n."id"
        cross join lateral (select "order_report_micros"(m."confirmed_at", m."shipped_at") as cs,
          "order_report_micros"(m."shipped_at", m."delivered_at") as sd) l
        cross join lateral (values
          (-1, "order_report_day"(o."placed_at"), o."channel_id", o."platform", o."status", o."total"),
          (1, "order_report_day"(n."placed_at"), n."channel_id", n."platform", n."status", n."total")
        ) v(sign, "day", "channel_id", "platform", "status", "total")
        where (o."placed_at", o."channel_id", o."platform", o."status", o."total")
          is distinct from (n."placed_at", n."channel_id", n."platform", n."status", n."total")
        group by 1, 2, 3, 4
        -- An order that stays in its cell nets out to nothing unless its total changed.
        having sum(v.sign) <> 0 or sum(v.sign * v."total") <> 0;
        return null;
      end $$;`);
    // Transition tables rule out a column list (UPDATE OF ...): unchanged rows are skipped above.
    this.addSql(`create trigger "order_report_after_update" after update on "customer_order"
      referencing old table as old_rows new table as new_rows for each statement execute function "order_report_on_update"();`);

    this.addSql(`create function "order_report_on_delete"() returns trigger language plpgsql as $$
      begin
        insert into "order_report_delta" ("day", "channel_id", "platform", "status", "orders", "total",
          "confirmed_to_shipped_micros", "confirmed_to_shipped", "shipped_to_delivered_micros", "shipped_to_delivered")
        select "order_report_day"(old."placed_at"), old."channel_id", old."platform", old."status", -1, -old."total",
          -coalesce(l.cs, 0), -(l.cs is not null)::int, -coalesce(l.sd, 0), -(l.sd is not null)::int
        from (select "order_report_micros"(m."confirmed_at", m."shipped_at") as cs,
            "order_report_micros"(m."shipped_at", m."delivered_at") as sd
          from (select 1) one left join "order_milestone" m on m."order_id" = old."id") l;
        return old;
      end $$;`);
    this.addSql(`create trigger "order_report_before_delete" before delete on "customer_order"
      for each row execute function "order_report_on_delete"();`);

    this.addSql(`create function "order_report_on_milestone"() returns trigger language plpgsql as $$
      declare
        target_order uuid;
        cs bigint := 0;
        cs_n int := 0;
        sd bigint := 0;
        sd_n int := 0;
      begin
        if tg_op = 'DELETE' then
          target_order := old."order_id";
        else
          target_order := new."order_id";
          cs := coalesce("order_report_micros"(new."confirmed_at", new."shipped_at"), 0);
          cs_n := (new."shipped_at" - new."confirmed_at" is not null)::int;
          sd := coalesce("order_report_micros"(new."shipped_at", new."delivered_at"), 0);
          sd_n := (new."delivered_at" - new."shipped_at" is not null)::int;
        end if;
        if tg_op <> 'INSERT' then
          cs := cs - coalesce("order_report_micros"(old."confirmed_at", old."shipped_at"), 0);
          cs_n := cs_n - (old."shipped_at" - old."confirmed_at" is not null)::int;
          sd := sd - coalesce("order_report_micros"(old."shipped_at", old."delivered_at"), 0);
          sd_n := sd_n - (old."delivered_at" - old."shipped_at" is not null)::int;
        end if;
        if cs = 0 and cs_n = 0 and sd = 0 and sd_n = 0 then
          return null;
        end if;
        -- No order: it is being deleted, and its BEFORE DELETE trigger took the lead times out already.
        insert into "order_report_delta" ("day", "channel_id", "platform", "status", "orders", "total",
          "confirmed_to_shipped_micros", "confirmed_to_shipped", "shipped_to_delivered_micros", "shipped_to_delivered")
        select "order_report_day"(o."placed_at"), o."channel_id", o."platform", o."status", 0, 0, cs, cs_n, sd, sd_n
        from "customer_order" o where o."id" = target_order;
        return null;
      end $$;`);
    this.addSql(`create trigger "order_report_after_milestone_insert" after insert on "order_milestone"
      for each row execute function "order_report_on_milestone"();`);
    this.addSql(`create trigger "order_report_after_milestone_update" after update on "order_milestone"
      for each row when ((old."confirmed_at", old."shipped_at", old."delivered_at")
        is distinct from (new."confirmed_at", new."shipped_at", new."delivered_at"))
      execute function "order_report_on_milestone"();`);
    this.addSql(`create trigger "order_report_after_milestone_delete" after delete on "order_milestone"
      for each row execute function "order_report_on_milestone"();`);

    // Row triggers do not see a TRUNCATE: emptying the orders empties their summary.
    this.addSql(`create function "order_report_on_truncate"() returns trigger language plpgsql as $$
      begin
        delete from "order_report_cell";
        delete from "order_report_delta";
        return null;
      end $$;`);
    this.addSql(`create trigger "order_report_after_truncate" after truncate on "customer_order"
      for each statement execute function "order_report_on_truncate"();`);

    this.addSql(`create function "order_report_compact"() returns integer language plpgsql as $$
      declare
        folded integer;
      begin
        -- One at a time: a second compaction would find the same deltas locked.
        if not pg_try_advisory_xact_lock(hashtext('order_report_compact')) then
          return 0;
        end if;
        with gone as (delete from "order_report_delta" returning *)
        insert into "order_report_cell" as c ("day", "channel_id", "platform", "status", "orders", "total",
          "confirmed_to_shipped_micros", "confirmed_to_shipped", "shipped_to_delivered_micros", "shipped_to_delivered")
        select "day", "channel_id", "platform", "status", sum("orders"), sum("total"),
          sum("confirmed_to_shipped_micros"), sum("confirmed_to_shipped"),
          sum("shipped_to_delivered_micros"), sum("shipped_to_delivered")
        from gone
        group by 1, 2, 3, 4
        order by 1, 2, 3, 4
        on conflict ("day", "channel_id", "platform", "status") do update set
          "orders" = c."orders" + excluded."orders",
          "total" = c."total" + excluded."total",
          "confirmed_to_shipped_micros" = c."confirmed_to_shipped_micros" + excluded."confirmed_to_shipped_micros",
          "confirmed_to_shipped" = c."confirmed_to_shipped" + excluded."confirmed_to_shipped",
          "shipped_to_delivered_micros" = c."shipped_to_delivered_micros" + excluded."shipped_to_delivered_micros",
          "shipped_to_delivered" = c."shipped_to_delivered" + excluded."shipped_to_delivered";
        get diagnostics folded = row_count;
        -- Cells every order left. Only all-zero ones: a cell that nets to no order but
        -- to some money would be a bug to see in the report, not to hide.
        delete from "order_report_cell" where "orders" = 0 and "total" = 0
          and "confirmed_to_shipped" = 0 and "confirmed_to_shipped_micros" = 0
          and "shipped_to_delivered" = 0 and "shipped_to_delivered_micros" = 0;
        return folded;
      end $$;`);

    // The orders already there; the triggers above (same transaction) take the rest.
    this.addSql(`insert into "order_report_cell" ("day", "channel_id", "platform", "status", "orders", "total",
        "confirmed_to_shipped_micros", "confirmed_to_shipped", "shipped_to_delivered_micros", "shipped_to_delivered")
      select "order_report_day"(o."placed_at"), o."channel_id", o."platform", o."status", count(*), sum(o."total"),
        coalesce(sum("order_report_micros"(m."confirmed_at", m."shipped_at")), 0), count(m."shipped_at" - m."confirmed_at"),
        coalesce(sum("order_report_micros"(m."shipped_at", m."delivered_at")), 0), count(m."delivered_at" - m."shipped_at")
      from "customer_order" o left join "order_milestone" m on m."order_id" = o."id"
      group by 1, 2, 3, 4;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "order_report_after_milestone_delete" on "order_milestone";`);
    this.addSql(`drop trigger "order_report_after_milestone_update" on "order_milestone";`);
    this.addSql(`drop trigger "order_report_after_milestone_insert" on "order_milestone";`);
    this.addSql(`drop trigger "order_report_after_truncate" on "customer_order";`);
    this.addSql(`drop trigger "order_report_before_delete" on "customer_order";`);
    this.addSql(`drop trigger "order_report_after_update" on "customer_order";`);
    this.addSql(`drop trigger "order_report_after_insert" on "customer_order";`);
    this.addSql(`drop function "order_report_compact"();`);
    this.addSql(`drop function "order_report_on_truncate"();`);
    this.addSql(`drop function "order_report_on_milestone"();`);
    this.addSql(`drop function "order_report_on_delete"();`);
    this.addSql(`drop function "order_report_on_update"();`);
    this.addSql(`drop function "order_report_on_insert"();`);
    this.addSql(`drop function "order_report_micros"(timestamptz, timestamptz);`);
    this.addSql(`drop function "order_report_day"(timestamptz);`);

    this.addSql(`drop table if exists "order_report_cell" cascade;`);
    this.addSql(`drop table if exists "order_report_delta" cascade;`);

    this.addSql(`drop index "customer_order_customer_id_placed_at_index";`);
    this.addSql(`create index "customer_order_customer_id_index" on "customer_order" ("customer_id");`);
  }

}
