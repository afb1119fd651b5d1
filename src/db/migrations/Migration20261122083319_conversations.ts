import { Migration } from '@mikro-orm/migrations';

/** Omnichannel conversations: message delivery state, bot steps and latency, reply templates, platform windows. */
export class Migration20261122083319_conversations extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "message_status" as enum ('RECEIVED', 'PENDING', 'SENT', 'FAILED');`);
    this.addSql(`create type "bot_step" as enum ('AI', 'KNOWLEDGE_BASE', 'TEMPLATE', 'HANDOFF');`);
    this.addSql(`create table "reply_template" ("id" uuid not null, "name" text not null, "keywords" text[] not null default '{}', "body" text not null, "platform" "platform" null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "reply_template_pkey" primary key ("id"));`);

    this.addSql(`alter table "conversation" add column "external_user_id" text null, add column "last_inbound_at" timestamptz null, add column "handed_off_at" timestamptz null;`);

    this.addSql(`alter table "message" add column "status" "message_status" not null default 'RECEIVED', add column "attachments" jsonb not null default '[]', add column "bot_latency_ms" int null, add column "attempts" int not null default 0, add column "last_error" text null, add column "next_attempt_at" timestamptz null;`);
    this.addSql(`alter table "message" alter column "bot_step" type "bot_step" using ("bot_step"::"bot_step");`);
    // Outbound messages stored before delivery states existed were sent.
    this.addSql(`update "message" set "status" = 'SENT' where "direction" = 'OUTBOUND';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "reply_template" cascade;`);

    this.addSql(`alter table "conversation" drop column "external_user_id", drop column "last_inbound_at", drop column "handed_off_at";`);

    this.addSql(`alter table "message" drop column "status", drop column "attachments", drop column "bot_latency_ms", drop column "attempts", drop column "last_error", drop column "next_attempt_at";`);

    this.addSql(`alter table "message" alter column "bot_step" type text using ("bot_step"::text);`);

    this.addSql(`drop type "message_status";`);
    this.addSql(`drop type "bot_step";`);
  }

}
