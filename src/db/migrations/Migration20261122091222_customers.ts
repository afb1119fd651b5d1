import { Migration } from '@mikro-orm/migrations';

/**
 * Customers (issue 7): tombstones (merged_into) and erasure on customer, the
 * merge record that makes an un-merge exact, customer notes, hashed erased
 * identities that linking checks, and customer import jobs.
 */
export class Migration20261122091222_customers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "import_job_status" as enum ('RUNNING', 'SUCCEEDED', 'FAILED');`);
    this.addSql(`create table "erased_identity" ("hash" text not null, "created_at" timestamptz not null, constraint "erased_identity_pkey" primary key ("hash"));`);

    this.addSql(`create table "import_job" ("id" uuid not null, "status" "import_job_status" not null default 'RUNNING', "processed" int not null default 0, "imported" int not null default 0, "merged" int not null default 0, "rejected" int not null default 0, "rejections" jsonb not null default '[]', "error" text null, "created_by_id" uuid null, "created_at" timestamptz not null, "finished_at" timestamptz null, constraint "import_job_pkey" primary key ("id"));`);

    this.addSql(`create table "customer_note" ("id" uuid not null, "customer_id" uuid not null, "author_id" uuid null, "body" text not null, "created_at" timestamptz not null, constraint "customer_note_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_note_author_id_index" on "customer_note" ("author_id");`);
    this.addSql(`create index "customer_note_customer_id_created_at_id_index" on "customer_note" ("customer_id", "created_at", "id");`);

    this.addSql(`create table "customer_merge" ("id" uuid not null, "survivor_id" uuid not null, "merged_ids" jsonb not null, "before" jsonb null, "actor_id" uuid null, "created_at" timestamptz not null, "undone_at" timestamptz null, constraint "customer_merge_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_merge_survivor_id_created_at_index" on "customer_merge" ("survivor_id", "created_at");`);

    this.addSql(`alter table "import_job" add constraint "import_job_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "customer_note" add constraint "customer_note_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_note" add constraint "customer_note_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "customer_merge" add constraint "customer_merge_survivor_id_foreign" foreign key ("survivor_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "customer_merge" add constraint "customer_merge_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "customer" add column "merged_into_id" uuid null, add column "erased_at" timestamptz null;`);
    this.addSql(`alter table "customer" add constraint "customer_merged_into_id_foreign" foreign key ("merged_into_id") references "customer" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "customer_merged_into_id_index" on "customer" ("merged_into_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "erased_identity" cascade;`);

    this.addSql(`drop table if exists "import_job" cascade;`);

    this.addSql(`drop table if exists "customer_note" cascade;`);

    this.addSql(`drop table if exists "customer_merge" cascade;`);

    this.addSql(`alter table "customer" drop constraint "customer_merged_into_id_foreign";`);

    this.addSql(`drop index "customer_merged_into_id_index";`);
    this.addSql(`alter table "customer" drop column "merged_into_id", drop column "erased_at";`);

    this.addSql(`drop type "import_job_status";`);
  }

}
