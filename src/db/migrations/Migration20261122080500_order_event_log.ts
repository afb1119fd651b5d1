import { Migration } from '@mikro-orm/migrations';

/**
 * A gap-free, resumable order event log. Sequence numbers are handed out at
 * COMMIT, under one transaction-scoped advisory lock, so they follow commit
 * order: a reader that has seen sequence N can never later find a committed
 * event below N (a value taken at INSERT could commit after a higher one and
 * be skipped by a client resuming from its cursor). Being a deferred trigger,
 * every writer (pushes, enrichment, manual sync) gets this without calling
 * anything; the lock is held only for the commit itself. A writer of many
 * rows may instead take the same lock itself as its last step and insert
 * with nextval() (see inbound-batch.ts): those rows skip the trigger.
 */
export class Migration20261122080500_order_event_log extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create sequence "order_status_event_sequence_seq";`);
    this.addSql(`alter table "order_status_event" add column "sequence" bigint null;`);
    this.addSql(`update "order_status_event" e set "sequence" = s.n
      from (select id, nextval('order_status_event_sequence_seq') as n
            from (select id from "order_status_event" order by "received_at", "id") ordered) s
      where s.id = e.id;`);
    this.addSql(`alter table "order_status_event" add constraint "order_status_event_sequence_unique" unique ("sequence");`);
    this.addSql(`create function "order_status_event_assign_sequence"() returns trigger language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(hashtext('order_status_event_sequence'));
        update "order_status_event" set "sequence" = nextval('order_status_event_sequence_seq')
          where "id" = new."id" and "sequence" is null;
        return null;
      end $$;`);
    this.addSql(`create constraint trigger "order_status_event_sequence_at_commit"
      after insert on "order_status_event" deferrable initially deferred
      for each row when (new."sequence" is null)
      execute function "order_status_event_assign_sequence"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "order_status_event_sequence_at_commit" on "order_status_event";`);
    this.addSql(`drop function "order_status_event_assign_sequence"();`);
    this.addSql(`alter table "order_status_event" drop constraint "order_status_event_sequence_unique";`);
    this.addSql(`alter table "order_status_event" drop column "sequence";`);
    this.addSql(`drop sequence "order_status_event_sequence_seq";`);
  }

}
