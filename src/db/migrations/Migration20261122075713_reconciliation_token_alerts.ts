import { Migration } from '@mikro-orm/migrations';

/** Reconciliation runs and their mismatches; token alerts remembered per channel. */
export class Migration20261122075713_reconciliation_token_alerts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "reconciliation_mismatch_kind" as enum ('AMOUNT_MISMATCH', 'MISSING_PAYMENT', 'MISSING_ORDER', 'CURRENCY_MISMATCH');`);
    this.addSql(`create table "reconciliation_run" ("id" uuid not null, "date" date not null, "started_at" timestamptz not null, "finished_at" timestamptz not null, "orders_checked" int not null, "payments_checked" int not null, "mismatches" int not null, constraint "reconciliation_run_pkey" primary key ("id"));`);
    this.addSql(`alter table "reconciliation_run" add constraint "reconciliation_run_date_unique" unique ("date");`);

    this.addSql(`create table "reconciliation_mismatch" ("id" uuid not null, "run_id" uuid not null, "kind" "reconciliation_mismatch_kind" not null, "order_id" uuid null, "payment_ids" uuid[] not null, "expected" bigint not null, "actual" bigint not null, "currency" char(3) not null, "detail" text not null, "occurred_at" timestamptz not null, constraint "reconciliation_mismatch_pkey" primary key ("id"));`);
    this.addSql(`create index "reconciliation_mismatch_order_id_index" on "reconciliation_mismatch" ("order_id");`);
    this.addSql(`create index "reconciliation_mismatch_run_id_occurred_at_id_index" on "reconciliation_mismatch" ("run_id", "occurred_at", "id");`);

    this.addSql(`alter table "reconciliation_mismatch" add constraint "reconciliation_mismatch_run_id_foreign" foreign key ("run_id") references "reconciliation_run" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "reconciliation_mismatch" add constraint "reconciliation_mismatch_order_id_foreign" foreign key ("order_id") references "customer_order" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "channel" add column "token_alerted_for" timestamptz null, add column "token_alerted_at" timestamptz null;`);

    this.addSql(`create index "customer_order_status_source_time_index" on "customer_order" ("status_source_time");`);

    this.addSql(`create index "payment_paid_day_idx" on "payment" (coalesce("paid_at", "created_at"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "reconciliation_mismatch" drop constraint "reconciliation_mismatch_run_id_foreign";`);

    this.addSql(`drop table if exists "reconciliation_run" cascade;`);

    this.addSql(`drop table if exists "reconciliation_mismatch" cascade;`);

    this.addSql(`alter table "channel" drop column "token_alerted_for", drop column "token_alerted_at";`);

    this.addSql(`drop index "customer_order_status_source_time_index";`);

    this.addSql(`drop index "payment_paid_day_idx";`);

    this.addSql(`drop type "reconciliation_mismatch_kind";`);
  }

}
