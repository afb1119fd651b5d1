import { Migration } from '@mikro-orm/migrations';

/**
 * order_milestone is now written at COMMIT by a deferred row trigger instead
 * of at INSERT by a statement trigger. Upserting at INSERT held the
 * milestone row's lock until the end of the inserting transaction, so two
 * transactions adding events to one order waited on each other, which the
 * order event log had never made them do (test/order-events.test.ts: "sequence
 * numbers follow commit order"). At commit the lock is held for the commit
 * only, like the log's own sequence trigger. An event whose order was deleted
 * in the same transaction is skipped (its milestone row would have no order).
 */
export class Migration20261122091900_order_milestone_at_commit extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop trigger "order_milestone_after_insert" on "order_status_event";`);
    this.addSql(`drop function "order_milestone_from_events"();`);
    this.addSql(`create function "order_milestone_from_event"() returns trigger language plpgsql as $$
      begin
        insert into "order_milestone" as m ("order_id", "confirmed_at", "shipped_at", "delivered_at")
        select new."order_id",
          case when new."status" = 'CONFIRMED' then new."event_time" end,
          case when new."status" = 'SHIPPED' then new."event_time" end,
          case when new."status" = 'DELIVERED' then new."event_time" end
        where exists (select 1 from "customer_order" o where o."id" = new."order_id")
        on conflict ("order_id") do update set
          "confirmed_at" = least(m."confirmed_at", excluded."confirmed_at"),
          "shipped_at" = least(m."shipped_at", excluded."shipped_at"),
          "delivered_at" = least(m."delivered_at", excluded."delivered_at");
        return null;
      end $$;`);
    this.addSql(`create constraint trigger "order_milestone_at_commit"
      after insert on "order_status_event" deferrable initially deferred
      for each row when (new."applied" and new."status" in ('CONFIRMED', 'SHIPPED', 'DELIVERED'))
      execute function "order_milestone_from_event"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "order_milestone_at_commit" on "order_status_event";`);
    this.addSql(`drop function "order_milestone_from_event"();`);
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
  }

}
