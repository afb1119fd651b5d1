import { Migration } from '@mikro-orm/migrations';

/**
 * The bot and handoff: a folded full-text index for the knowledge-base step
 * (buyers type without diacritics), when a conversation got its assignee
 * (handoff picks the least recently assigned agent), and the bot's messages
 * by time for aiStats.
 */
export class Migration20261122084202_bot_assignment extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "knowledge_base_article_folded_search_idx" on "knowledge_base_article" using gin (to_tsvector('simple', translate(lower("title" || ' ' || "keywords" || ' ' || "body"), 'ÀÁÂÃÈÉÊÌÍÎÒÓÔÕÙÚÛÝàáâãèéêìíîòóôõùúûýĂăĔĕĨĩĬĭŎŏŨũŬŭŶŷƠơƯưṌṍṸṹẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹđĐ', 'aaaaeeeiiioooouuuyaaaaeeeiiioooouuuyaaeeiiiioouuuuyyoouuoouuaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyydd')));`);

    this.addSql(`alter table "conversation" add column "assigned_at" timestamptz null;`);
    this.addSql(`create index "conversation_assignee_id_assigned_at_index" on "conversation" ("assignee_id", "assigned_at");`);

    this.addSql(`create index "message_bot_sent_at_idx" on "message" ("sent_at") where "bot_step" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "conversation_assignee_id_assigned_at_index";`);
    this.addSql(`alter table "conversation" drop column "assigned_at";`);

    this.addSql(`drop index "knowledge_base_article_folded_search_idx";`);

    this.addSql(`drop index "message_bot_sent_at_idx";`);
  }

}
