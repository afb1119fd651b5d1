import { Migration } from '@mikro-orm/migrations';

/** Session versions (a password change ends the sessions signed before) and one-time password reset tokens. */
export class Migration20261201212800_user_sessions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "password_reset_token" ("id" uuid not null, "user_id" uuid not null, "token_hash" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_by_id" uuid null, "created_at" timestamptz not null, constraint "password_reset_token_pkey" primary key ("id"));`);
    this.addSql(`create index "password_reset_token_user_id_index" on "password_reset_token" ("user_id");`);
    this.addSql(`alter table "password_reset_token" add constraint "password_reset_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "password_reset_token" add constraint "password_reset_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "password_reset_token" add constraint "password_reset_token_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "app_user" add column "session_version" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "password_reset_token" cascade;`);

    this.addSql(`alter table "app_user" drop column "session_version";`);
  }

}
