import { Migration } from '@mikro-orm/migrations';

/** Order-API credentials on channels, the enrichment marker on orders, and customer identities for linking. */
export class Migration20261122075954_order_enrichment extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "customer_identity" ("id" uuid not null, "customer_id" uuid not null, "kind" text not null, "value" text not null, "created_at" timestamptz not null, constraint "customer_identity_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_identity_customer_id_index" on "customer_identity" ("customer_id");`);
    this.addSql(`alter table "customer_identity" add constraint "customer_identity_kind_value_unique" unique ("kind", "value");`);

    this.addSql(`alter table "customer_identity" add constraint "customer_identity_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "channel" add column "shop_secret" text null, add column "access_token" text null;`);

    this.addSql(`alter table "customer_order" add column "enriched_at" timestamptz null;`);
    this.addSql(`create index "customer_order_unenriched_idx" on "customer_order" ("created_at") where "enriched_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "customer_identity" cascade;`);

    this.addSql(`alter table "channel" drop column "shop_secret", drop column "access_token";`);

    this.addSql(`drop index "customer_order_unenriched_idx";`);
    this.addSql(`alter table "customer_order" drop column "enriched_at";`);
  }

}
