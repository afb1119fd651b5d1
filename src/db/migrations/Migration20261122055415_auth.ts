import { Migration } from '@mikro-orm/migrations';

export class Migration20261122055415_auth extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "assignment_setting" ("id" uuid not null, "branch_id" uuid not null, "user_id" uuid not null, "active" boolean not null default true, "max_open_tickets" int null, "updated_by_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "assignment_setting_pkey" primary key ("id"));`);
    this.addSql(`create index "assignment_setting_user_id_index" on "assignment_setting" ("user_id");`);
    this.addSql(`create index "assignment_setting_updated_by_id_index" on "assignment_setting" ("updated_by_id");`);
    this.addSql(`alter table "assignment_setting" add constraint "assignment_setting_branch_id_user_id_unique" unique ("branch_id", "user_id");`);

    this.addSql(`create table "api_key" ("id" uuid not null, "name" text not null, "prefix" text not null, "secret_hash" text not null, "channel_ids" text[] not null, "scopes" text[] not null default '{ORDERS_READ}', "created_by_id" uuid null, "created_at" timestamptz not null, "revoked_at" timestamptz null, constraint "api_key_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_key" add constraint "api_key_secret_hash_unique" unique ("secret_hash");`);
    this.addSql(`create index "api_key_created_by_id_index" on "api_key" ("created_by_id");`);

    this.addSql(`alter table "assignment_setting" add constraint "assignment_setting_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`);
    this.addSql(`alter table "assignment_setting" add constraint "assignment_setting_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade;`);
    this.addSql(`alter table "assignment_setting" add constraint "assignment_setting_updated_by_id_foreign" foreign key ("updated_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "api_key" add constraint "api_key_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "assignment_setting" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);
  }

}
