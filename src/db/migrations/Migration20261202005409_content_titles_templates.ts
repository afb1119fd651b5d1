import { Migration } from '@mikro-orm/migrations';

/**
 * Automatic tickets stop carrying the customer's name in their title (it is
 * appended when read, see services/tickets/ticket-title.ts): existing ones
 * lose the ": <name>" the rules wrote, so an erased customer's name leaves
 * them too. Reply templates get platform-specific variants.
 */
const AUTOMATIC_TITLES = [
  'Gọi lại / follow up',
  'Xác minh số điện thoại / verify contact',
  'Chăm sóc sau mua / after-sale care',
  'Chúc mừng sinh nhật / birthday',
];

export class Migration20261202005409_content_titles_templates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "reply_template" add column "variants" jsonb not null default '[]';`);
    this.addSql(
      `alter table "ticket" add column "title_names_customer" boolean not null default false;`,
    );
    for (const prefix of AUTOMATIC_TITLES) {
      const literal = prefix.replace(/'/g, "''");
      this.addSql(
        `update "ticket" set "title" = '${literal}', "title_names_customer" = true
          where "origin_key" is not null and starts_with("title", '${literal}: ');`,
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql(
      `update "ticket" t set "title" = t."title" || ': ' || c."full_name"
         from "customer" c where c."id" = t."customer_id" and t."title_names_customer";`,
    );
    this.addSql(`alter table "reply_template" drop column "variants";`);
    this.addSql(`alter table "ticket" drop column "title_names_customer";`);
  }
}
