import { Migration } from '@mikro-orm/migrations';

/** Partner webhooks: endpoints per API key and one delivery row per event and endpoint (docs/partner-apps.md). */
export class Migration20261202011107_partner_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "webhook_endpoint_status" as enum ('ACTIVE', 'UNHEALTHY', 'DISABLED');`);
    this.addSql(`create type "webhook_delivery_status" as enum ('PENDING', 'SUCCEEDED', 'FAILED');`);
    this.addSql(`create table "webhook_endpoint" ("id" uuid not null, "api_key_id" uuid not null, "url" text not null, "events" "order_status"[] not null, "secret" text not null, "previous_secret" text null, "previous_secret_expires_at" timestamptz null, "status" "webhook_endpoint_status" not null default 'ACTIVE', "consecutive_failures" int not null default 0, "log_position" bigint not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_endpoint_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_endpoint_api_key_id_index" on "webhook_endpoint" ("api_key_id");`);

    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "endpoint_id" uuid not null, "event_id" uuid not null, "order_id" uuid not null, "sequence" bigint not null, "body" text not null, "status" "webhook_delivery_status" not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "retry_until" timestamptz not null, "last_response_code" int null, "last_latency_ms" int null, "last_error" text null, "created_at" timestamptz not null, "delivered_at" timestamptz null, constraint "webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_endpoint_id_sequence_index" on "webhook_delivery" ("endpoint_id", "sequence");`);
    this.addSql(`create index "webhook_delivery_endpoint_id_status_order_id_sequence_index" on "webhook_delivery" ("endpoint_id", "status", "order_id", "sequence");`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_event_id_unique" unique ("endpoint_id", "event_id");`);

    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_api_key_id_foreign" foreign key ("api_key_id") references "api_key" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`drop type "webhook_endpoint_status";`);
    this.addSql(`drop type "webhook_delivery_status";`);
  }

}
