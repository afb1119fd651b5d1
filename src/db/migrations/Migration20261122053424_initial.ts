import { Migration } from '@mikro-orm/migrations';

/** The whole initial data model of the foundation issue. */
export class Migration20261122053424_initial extends Migration {
  override async up(): Promise<void> {
    // Trigram indexes back the ticket keyword search.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(
      `create type "platform" as enum ('LAZADA', 'SHOPEE', 'TIKI', 'SENDO', 'TIKTOK', 'FACEBOOK', 'ZALO');`,
    );
    this.addSql(
      `create type "channel_status" as enum ('ACTIVE', 'TOKEN_EXPIRED', 'DISCONNECTED');`,
    );
    this.addSql(`create type "gender" as enum ('MALE', 'FEMALE', 'OTHER');`);
    this.addSql(
      `create type "inbound_event_status" as enum ('RECEIVED', 'APPLIED', 'FAILED', 'DEAD');`,
    );
    this.addSql(`create type "knowledge_base_type" as enum ('TELESALES', 'CUSTOMER_SERVICE');`);
    this.addSql(
      `create type "order_status" as enum ('PENDING_PAYMENT', 'CONFIRMED', 'PACKED', 'READY_TO_SHIP', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'FAILED', 'RETURN_REQUESTED', 'RETURNED');`,
    );
    this.addSql(`create type "payment_status" as enum ('PENDING', 'PAID', 'REFUNDED', 'FAILED');`);
    this.addSql(
      `create type "user_role" as enum ('ADMIN', 'BOD', 'IT', 'TELESALES_LEADER', 'CUSTOMER_SERVICE_LEADER', 'TELESALES', 'CUSTOMER_SERVICE', 'PARTNER');`,
    );
    this.addSql(`create type "ticket_target" as enum ('TELESALES', 'CUSTOMER_SERVICE');`);
    this.addSql(
      `create type "ticket_source" as enum ('NEW_CUSTOMER', 'ORDER_EVENT', 'FOLLOW_UP', 'COMPLAINT', 'CONVERSATION', 'MANUAL', 'CAMPAIGN', 'BIRTHDAY');`,
    );
    this.addSql(
      `create type "ticket_result" as enum ('CALL_LATER', 'TURN_OFF', 'NOT_AVAILABLE_CALL', 'MISSED_CALL', 'WRONG_NUMBER', 'WRONG_INFORMATION', 'HOLD_POTENTIAL_APPOINTMENT', 'CANCEL_SERVICE', 'COMPLETED', 'NOT_INTERESTED');`,
    );
    this.addSql(
      `create type "ticket_status" as enum ('NEW', 'ASSIGNED', 'COMPLETED', 'CANCELED');`,
    );
    this.addSql(
      `create type "conversation_status" as enum ('OPEN', 'PENDING_BOT', 'ASSIGNED', 'RESOLVED');`,
    );
    this.addSql(`create type "message_direction" as enum ('INBOUND', 'OUTBOUND');`);
    this.addSql(`create type "message_sender" as enum ('CUSTOMER', 'AGENT', 'BOT');`);
    this.addSql(
      `create table "branch" ("id" uuid not null, "code" text not null, "name" text not null, "created_at" timestamptz not null, constraint "branch_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "branch" add constraint "branch_code_unique" unique ("code");`);

    this.addSql(
      `create table "channel" ("id" uuid not null, "platform" "platform" not null, "external_shop_id" text not null, "name" text not null, "shop_key" text null, "token_expires_at" timestamptz null, "status" "channel_status" not null default 'ACTIVE', "branch_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "channel_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "channel_branch_id_index" on "channel" ("branch_id");`);
    this.addSql(
      `alter table "channel" add constraint "channel_platform_external_shop_id_unique" unique ("platform", "external_shop_id");`,
    );

    this.addSql(
      `create table "customer" ("id" uuid not null, "full_name" text not null, "phone" text null, "email" text null, "birthday" date null, "gender" "gender" null, "branch_id" uuid null, "notes" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "customer_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "customer_phone_index" on "customer" ("phone");`);
    this.addSql(`create index "customer_email_index" on "customer" ("email");`);
    this.addSql(`create index "customer_branch_id_index" on "customer" ("branch_id");`);
    this.addSql(`create index "customer_created_at_id_index" on "customer" ("created_at", "id");`);

    this.addSql(
      `create table "customer_label" ("id" uuid not null, "code" text not null, "name" text not null, "color" text null, "created_at" timestamptz not null, constraint "customer_label_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "customer_label" add constraint "customer_label_code_unique" unique ("code");`,
    );

    this.addSql(
      `create table "customer_label_link" ("customer_id" uuid not null, "customer_label_id" uuid not null, constraint "customer_label_link_pkey" primary key ("customer_id", "customer_label_id"));`,
    );
    this.addSql(
      `create index "customer_label_link_customer_label_id_index" on "customer_label_link" ("customer_label_id");`,
    );

    this.addSql(
      `create table "inbound_event" ("id" uuid not null, "platform" "platform" not null, "event_key" text not null, "shop_id" text null, "headers" jsonb not null default '{}', "raw_body" text not null, "status" "inbound_event_status" not null default 'RECEIVED', "attempts" int not null default 0, "last_error" text null, "received_at" timestamptz not null, "processed_at" timestamptz null, constraint "inbound_event_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "inbound_event_status_received_at_index" on "inbound_event" ("status", "received_at");`,
    );
    this.addSql(
      `alter table "inbound_event" add constraint "inbound_event_platform_event_key_unique" unique ("platform", "event_key");`,
    );

    this.addSql(
      `create table "knowledge_base_article" ("id" uuid not null, "type" "knowledge_base_type" not null, "title" text not null, "body" text not null, "keywords" text not null default '', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "knowledge_base_article_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "knowledge_base_article_type_index" on "knowledge_base_article" ("type");`,
    );
    this.addSql(
      `create index "knowledge_base_article_search_idx" on "knowledge_base_article" using gin (to_tsvector('simple', "title" || ' ' || "keywords" || ' ' || "body"));`,
    );

    this.addSql(
      `create table "customer_order" ("id" uuid not null, "platform" "platform" not null, "channel_id" uuid not null, "shop_id" text not null, "external_id" text not null, "status" "order_status" not null, "raw_status" text not null, "flags" jsonb not null default '{}', "status_source_time" timestamptz null, "customer_id" uuid null, "buyer_name" text null, "buyer_phone" text null, "buyer_platform_id" text null, "currency" char(3) not null default 'VND', "subtotal" bigint not null, "shipping_fee" bigint not null default 0, "discount" bigint not null default 0, "total" bigint not null, "placed_at" timestamptz not null, "platform_updated_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "customer_order_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "customer_order_channel_id_index" on "customer_order" ("channel_id");`,
    );
    this.addSql(`create index "customer_order_status_index" on "customer_order" ("status");`);
    this.addSql(
      `create index "customer_order_customer_id_index" on "customer_order" ("customer_id");`,
    );
    this.addSql(
      `create index "customer_order_platform_status_index" on "customer_order" ("platform", "status");`,
    );
    this.addSql(
      `create index "customer_order_updated_at_id_index" on "customer_order" ("updated_at", "id");`,
    );
    this.addSql(
      `create index "customer_order_placed_at_id_index" on "customer_order" ("placed_at", "id");`,
    );
    this.addSql(
      `alter table "customer_order" add constraint "customer_order_platform_shop_id_external_id_unique" unique ("platform", "shop_id", "external_id");`,
    );

    this.addSql(
      `create table "order_item" ("id" uuid not null, "order_id" uuid not null, "sku" text not null, "name" text not null, "quantity" int not null, "unit_price" bigint not null, "total" bigint not null, constraint "order_item_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "order_item_order_id_index" on "order_item" ("order_id");`);

    this.addSql(
      `create table "order_status_event" ("id" uuid not null, "order_id" uuid not null, "raw_status" text not null, "status" "order_status" null, "applied" boolean not null default true, "event_time" timestamptz not null, "received_at" timestamptz not null, "event_key" text null, constraint "order_status_event_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "order_status_event_order_id_event_time_index" on "order_status_event" ("order_id", "event_time");`,
    );

    this.addSql(
      `create table "payment" ("id" uuid not null, "order_id" uuid null, "customer_id" uuid null, "method" text not null, "amount" bigint not null, "currency" char(3) not null default 'VND', "status" "payment_status" not null, "paid_at" timestamptz null, "created_at" timestamptz not null, constraint "payment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "payment_order_id_index" on "payment" ("order_id");`);
    this.addSql(`create index "payment_customer_id_index" on "payment" ("customer_id");`);

    this.addSql(
      `create table "app_user" ("id" uuid not null, "email" text not null, "password_hash" text not null, "full_name" text not null, "role" "user_role" not null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "app_user_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(
      `create table "ticket" ("id" uuid not null, "title" text not null, "description" text null, "assignee_id" uuid null, "in_charge_id" uuid null, "target" "ticket_target" not null, "belong_to" "ticket_target" not null, "branch_id" uuid not null, "customer_id" uuid not null, "source" "ticket_source" not null, "result" "ticket_result" null, "status" "ticket_status" not null default 'NEW', "due_at" timestamptz null, "is_missed" boolean not null default false, "keywords" text not null default '', "root_ticket_id" uuid null, "version" int not null default 1, "completed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "ticket_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ticket_assignee_id_index" on "ticket" ("assignee_id");`);
    this.addSql(`create index "ticket_in_charge_id_index" on "ticket" ("in_charge_id");`);
    this.addSql(`create index "ticket_branch_id_index" on "ticket" ("branch_id");`);
    this.addSql(`create index "ticket_customer_id_index" on "ticket" ("customer_id");`);
    this.addSql(`create index "ticket_source_index" on "ticket" ("source");`);
    this.addSql(`create index "ticket_result_index" on "ticket" ("result");`);
    this.addSql(`create index "ticket_status_index" on "ticket" ("status");`);
    this.addSql(`create index "ticket_root_ticket_id_index" on "ticket" ("root_ticket_id");`);
    this.addSql(`create index "ticket_missed_idx" on "ticket" ("is_missed") where "is_missed";`);
    this.addSql(
      `create index "ticket_keywords_trgm_idx" on "ticket" using gin ("keywords" gin_trgm_ops);`,
    );
    this.addSql(`create index "ticket_due_at_id_index" on "ticket" ("due_at", "id");`);
    this.addSql(`create index "ticket_updated_at_id_index" on "ticket" ("updated_at", "id");`);
    this.addSql(`create index "ticket_created_at_id_index" on "ticket" ("created_at", "id");`);
    this.addSql(
      `create index "ticket_belong_to_target_index" on "ticket" ("belong_to", "target");`,
    );

    this.addSql(
      `create table "ticket_note" ("id" uuid not null, "ticket_id" uuid not null, "author_id" uuid null, "body" text not null, "created_at" timestamptz not null, constraint "ticket_note_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ticket_note_author_id_index" on "ticket_note" ("author_id");`);
    this.addSql(
      `create index "ticket_note_ticket_id_created_at_index" on "ticket_note" ("ticket_id", "created_at");`,
    );

    this.addSql(
      `create table "ticket_history" ("id" uuid not null, "ticket_id" uuid not null, "actor_id" uuid null, "field" text not null, "before" jsonb null, "after" jsonb null, "created_at" timestamptz not null, constraint "ticket_history_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ticket_history_actor_id_index" on "ticket_history" ("actor_id");`);
    this.addSql(
      `create index "ticket_history_ticket_id_created_at_index" on "ticket_history" ("ticket_id", "created_at");`,
    );

    this.addSql(
      `create table "conversation" ("id" uuid not null, "channel_id" uuid not null, "external_thread_id" text not null, "customer_id" uuid null, "assignee_id" uuid null, "status" "conversation_status" not null default 'OPEN', "unread_count" int not null default 0, "last_message_at" timestamptz null, "first_response_at" timestamptz null, "resolved_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "conversation_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "conversation_customer_id_index" on "conversation" ("customer_id");`);
    this.addSql(`create index "conversation_assignee_id_index" on "conversation" ("assignee_id");`);
    this.addSql(`create index "conversation_status_index" on "conversation" ("status");`);
    this.addSql(
      `create index "conversation_updated_at_id_index" on "conversation" ("updated_at", "id");`,
    );
    this.addSql(
      `create index "conversation_last_message_at_id_index" on "conversation" ("last_message_at", "id");`,
    );
    this.addSql(
      `alter table "conversation" add constraint "conversation_channel_id_external_thread_id_unique" unique ("channel_id", "external_thread_id");`,
    );

    this.addSql(
      `create table "message" ("id" uuid not null, "conversation_id" uuid not null, "channel_id" uuid not null, "external_message_id" text null, "direction" "message_direction" not null, "sender" "message_sender" not null, "author_id" uuid null, "body" text not null, "bot_step" text null, "sent_at" timestamptz not null, "created_at" timestamptz not null, constraint "message_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "message_channel_id_index" on "message" ("channel_id");`);
    this.addSql(`create index "message_author_id_index" on "message" ("author_id");`);
    this.addSql(
      `create index "message_conversation_id_sent_at_id_index" on "message" ("conversation_id", "sent_at", "id");`,
    );
    this.addSql(
      `alter table "message" add constraint "message_channel_id_external_message_id_unique" unique ("channel_id", "external_message_id");`,
    );

    this.addSql(
      `create table "audit_log" ("id" uuid not null, "actor_id" uuid null, "action" text not null, "entity_type" text not null, "entity_id" text null, "data" jsonb not null default '{}', "created_at" timestamptz not null, constraint "audit_log_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "audit_log_actor_id_index" on "audit_log" ("actor_id");`);
    this.addSql(
      `create index "audit_log_entity_type_entity_id_index" on "audit_log" ("entity_type", "entity_id");`,
    );

    this.addSql(
      `create table "user_branch" ("user_id" uuid not null, "branch_id" uuid not null, constraint "user_branch_pkey" primary key ("user_id", "branch_id"));`,
    );
    this.addSql(`create index "user_branch_branch_id_index" on "user_branch" ("branch_id");`);

    this.addSql(
      `alter table "channel" add constraint "channel_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "customer" add constraint "customer_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "customer_label_link" add constraint "customer_label_link_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "customer_label_link" add constraint "customer_label_link_customer_label_id_foreign" foreign key ("customer_label_id") references "customer_label" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "customer_order" add constraint "customer_order_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "customer_order" add constraint "customer_order_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "order_item" add constraint "order_item_order_id_foreign" foreign key ("order_id") references "customer_order" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "order_status_event" add constraint "order_status_event_order_id_foreign" foreign key ("order_id") references "customer_order" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "payment" add constraint "payment_order_id_foreign" foreign key ("order_id") references "customer_order" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "payment" add constraint "payment_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "ticket" add constraint "ticket_assignee_id_foreign" foreign key ("assignee_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "ticket" add constraint "ticket_in_charge_id_foreign" foreign key ("in_charge_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "ticket" add constraint "ticket_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "ticket" add constraint "ticket_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "ticket" add constraint "ticket_root_ticket_id_foreign" foreign key ("root_ticket_id") references "ticket" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "ticket_note" add constraint "ticket_note_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "ticket_note" add constraint "ticket_note_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "ticket_history" add constraint "ticket_history_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "ticket_history" add constraint "ticket_history_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "conversation" add constraint "conversation_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "conversation" add constraint "conversation_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "conversation" add constraint "conversation_assignee_id_foreign" foreign key ("assignee_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "message" add constraint "message_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "message" add constraint "message_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "message" add constraint "message_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "audit_log" add constraint "audit_log_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "user_branch" add constraint "user_branch_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "user_branch" add constraint "user_branch_branch_id_foreign" foreign key ("branch_id") references "branch" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "channel" drop constraint "channel_branch_id_foreign";`);

    this.addSql(`alter table "customer" drop constraint "customer_branch_id_foreign";`);

    this.addSql(`alter table "ticket" drop constraint "ticket_branch_id_foreign";`);

    this.addSql(`alter table "user_branch" drop constraint "user_branch_branch_id_foreign";`);

    this.addSql(
      `alter table "customer_order" drop constraint "customer_order_channel_id_foreign";`,
    );

    this.addSql(`alter table "conversation" drop constraint "conversation_channel_id_foreign";`);

    this.addSql(`alter table "message" drop constraint "message_channel_id_foreign";`);

    this.addSql(
      `alter table "customer_label_link" drop constraint "customer_label_link_customer_id_foreign";`,
    );

    this.addSql(
      `alter table "customer_order" drop constraint "customer_order_customer_id_foreign";`,
    );

    this.addSql(`alter table "payment" drop constraint "payment_customer_id_foreign";`);

    this.addSql(`alter table "ticket" drop constraint "ticket_customer_id_foreign";`);

    this.addSql(`alter table "conversation" drop constraint "conversation_customer_id_foreign";`);

    this.addSql(
      `alter table "customer_label_link" drop constraint "customer_label_link_customer_label_id_foreign";`,
    );

    this.addSql(`alter table "order_item" drop constraint "order_item_order_id_foreign";`);

    this.addSql(
      `alter table "order_status_event" drop constraint "order_status_event_order_id_foreign";`,
    );

    this.addSql(`alter table "payment" drop constraint "payment_order_id_foreign";`);

    this.addSql(`alter table "ticket" drop constraint "ticket_assignee_id_foreign";`);

    this.addSql(`alter table "ticket" drop constraint "ticket_in_charge_id_foreign";`);

    this.addSql(`alter table "ticket_note" drop constraint "ticket_note_author_id_foreign";`);

    this.addSql(`alter table "ticket_history" drop constraint "ticket_history_actor_id_foreign";`);

    this.addSql(`alter table "conversation" drop constraint "conversation_assignee_id_foreign";`);

    this.addSql(`alter table "message" drop constraint "message_author_id_foreign";`);

    this.addSql(`alter table "audit_log" drop constraint "audit_log_actor_id_foreign";`);

    this.addSql(`alter table "user_branch" drop constraint "user_branch_user_id_foreign";`);

    this.addSql(`alter table "ticket" drop constraint "ticket_root_ticket_id_foreign";`);

    this.addSql(`alter table "ticket_note" drop constraint "ticket_note_ticket_id_foreign";`);

    this.addSql(`alter table "ticket_history" drop constraint "ticket_history_ticket_id_foreign";`);

    this.addSql(`alter table "message" drop constraint "message_conversation_id_foreign";`);

    this.addSql(`drop table if exists "branch" cascade;`);

    this.addSql(`drop table if exists "channel" cascade;`);

    this.addSql(`drop table if exists "customer" cascade;`);

    this.addSql(`drop table if exists "customer_label" cascade;`);

    this.addSql(`drop table if exists "customer_label_link" cascade;`);

    this.addSql(`drop table if exists "inbound_event" cascade;`);

    this.addSql(`drop table if exists "knowledge_base_article" cascade;`);

    this.addSql(`drop table if exists "customer_order" cascade;`);

    this.addSql(`drop table if exists "order_item" cascade;`);

    this.addSql(`drop table if exists "order_status_event" cascade;`);

    this.addSql(`drop table if exists "payment" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "ticket" cascade;`);

    this.addSql(`drop table if exists "ticket_note" cascade;`);

    this.addSql(`drop table if exists "ticket_history" cascade;`);

    this.addSql(`drop table if exists "conversation" cascade;`);

    this.addSql(`drop table if exists "message" cascade;`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "user_branch" cascade;`);

    this.addSql(`drop type "platform";`);
    this.addSql(`drop type "channel_status";`);
    this.addSql(`drop type "gender";`);
    this.addSql(`drop type "inbound_event_status";`);
    this.addSql(`drop type "knowledge_base_type";`);
    this.addSql(`drop type "order_status";`);
    this.addSql(`drop type "payment_status";`);
    this.addSql(`drop type "user_role";`);
    this.addSql(`drop type "ticket_target";`);
    this.addSql(`drop type "ticket_source";`);
    this.addSql(`drop type "ticket_result";`);
    this.addSql(`drop type "ticket_status";`);
    this.addSql(`drop type "conversation_status";`);
    this.addSql(`drop type "message_direction";`);
    this.addSql(`drop type "message_sender";`);
  }
}
