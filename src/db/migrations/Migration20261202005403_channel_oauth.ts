import { Migration } from '@mikro-orm/migrations';

/**
 * OAuth connect and token refresh: the single-use states of
 * channelAuthorizationUrl, the refresh token and the ends of an
 * authorization per channel, and the channel status a failed refresh leaves.
 * Existing plain-text secrets are sealed at start (sealChannelCredentials).
 */
export class Migration20261202005403_channel_oauth extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "oauth_state" ("nonce" text not null, "platform" "platform" not null, "branch_id" uuid null, "created_by_id" uuid null, "code_verifier" text null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "oauth_state_pkey" primary key ("nonce"));`);
    this.addSql(`create index "oauth_state_expires_at_index" on "oauth_state" ("expires_at");`);

    this.addSql(`alter table "oauth_state" add constraint "oauth_state_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "oauth_state" add constraint "oauth_state_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter type "channel_status" add value if not exists 'NEEDS_REAUTHORIZATION' after 'DISCONNECTED';`);

    this.addSql(`alter table "channel" add column "refresh_token" text null, add column "refresh_token_expires_at" timestamptz null, add column "authorization_expires_at" timestamptz null, add column "refresh_failures" int not null default 0, add column "next_refresh_at" timestamptz null, add column "reauthorize_alerted_for" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "oauth_state" cascade;`);

    this.addSql(`alter table "channel" drop column "refresh_token", drop column "refresh_token_expires_at", drop column "authorization_expires_at", drop column "refresh_failures", drop column "next_refresh_at", drop column "reauthorize_alerted_for";`);
  }

}
