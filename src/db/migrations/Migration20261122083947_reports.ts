import { Migration } from '@mikro-orm/migrations';

/**
 * Reports and exports. `order_milestone` keeps when each order first reached
 * CONFIRMED, SHIPPED and DELIVERED, so the order report's lead times need no
 * scan of the whole event history. It is written by a statement-level trigger
 * on order_status_event: every writer (the ORM, the webhook batch path in raw
 * SQL, enrichment, the demo seed) keeps it current in the same transaction as
 * the events, one upsert per INSERT statement however many rows it carries,
 * and nothing in the application has to remember it. Only applied events
 * count: a stale push the lattice dropped never moved the order.
 * `least()` ignores nulls, so an earlier milestone always wins.
 */
export class Migration20261122083947_reports extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "order_milestone" ("order_id" uuid not null, "confirmed_at" timestamptz null, "shipped_at" timestamptz null, "delivered_at" timestamptz null, constraint "order_milestone_pkey" primary key ("order_id"));`);

    this.addSql(`alter table "order_milestone" add constraint "order_milestone_order_id_foreign" foreign key ("order_id") references "customer_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`create index "customer_updated_at_id_index" on "customer" ("updated_at", "id");`);

    this.addSql(`create function "order_milestone_from_events"() returns trigger language plpgsql as $$
      begin
        insert into "order_milestone" as m ("order_id", "confirmed_at", "shipped_at", "delivered_at")
        select "order_id",
          min("event_time") filter (where "status" = 'CONFIRMED'),
          min("event_time") filter (where "status" = 'SHIPPED'),
          min("event_time") filter (where "status" = 'DELIVERED')
        from inserted
        where "applied" and "status" in ('CONFIRMED', 'SHIPPED', 'DELIVERED')
        group by "order_id"
        -- One lock order for every writer: two batches never wait on each other crosswise.
        order by "order_id"
        on conflict ("order_id") do update set
          "confirmed_at" = least(m."confirmed_at", excluded."confirmed_at"),
          "shipped_at" = least(m."shipped_at", excluded."shipped_at"),
          "delivered_at" = least(m."delivered_at", excluded."delivered_at");
        return null;
      end $$;`);
    this.addSql(`create trigger "order_milestone_after_insert"
      after insert on "order_status_event" referencing new table as inserted
      for each statement execute function "order_milestone_from_events"();`);
    this.addSql(`insert into "order_milestone" ("order_id", "confirmed_at", "shipped_at", "delivered_at")
      select "order_id",
        min("event_time") filter (where "status" = 'CONFIRMED'),
        min("event_time") filter (where "status" = 'SHIPPED'),
        min("event_time") filter (where "status" = 'DELIVERED')
      from "order_status_event"
      where "applied" and "status" in ('CONFIRMED', 'SHIPPED', 'DELIVERED')
      group by "order_id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "order_milestone_after_insert" on "order_status_event";`);
    this.addSql(`drop function "order_milestone_from_events"();`);
    this.addSql(`drop table if exists "order_milestone" cascade;`);

    this.addSql(`drop index "customer_updated_at_id_index";`);
  }

}
