import { Migration } from '@mikro-orm/migrations';

/** Manual order sync jobs; at most one queued or running per channel. */
export class Migration20261122082523_order_sync extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "order_sync_status" as enum ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');`);
    this.addSql(`create table "order_sync_job" ("id" uuid not null, "channel_id" uuid not null, "from" timestamptz not null, "to" timestamptz not null, "status" "order_sync_status" not null default 'QUEUED', "pages" int not null default 0, "orders_seen" int not null default 0, "created" int not null default 0, "updated" int not null default 0, "unchanged" int not null default 0, "failed" int not null default 0, "last_error" text null, "requested_by_id" uuid null, "cursor" jsonb null, "heartbeat_at" timestamptz null, "started_at" timestamptz null, "finished_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "order_sync_job_pkey" primary key ("id"));`);
    this.addSql(`create unique index "order_sync_job_one_active_per_channel" on "order_sync_job" ("channel_id") where "status" in ('QUEUED', 'RUNNING');`);
    this.addSql(`create index "order_sync_job_created_at_id_index" on "order_sync_job" ("created_at", "id");`);
    this.addSql(`create index "order_sync_job_channel_id_created_at_id_index" on "order_sync_job" ("channel_id", "created_at", "id");`);

    this.addSql(`alter table "order_sync_job" add constraint "order_sync_job_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_sync_job" add constraint "order_sync_job_requested_by_id_foreign" foreign key ("requested_by_id") references "app_user" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "order_sync_job" cascade;`);

    this.addSql(`drop type "order_sync_status";`);
  }

}
