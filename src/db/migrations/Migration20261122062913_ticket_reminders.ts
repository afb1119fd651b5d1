import { Migration } from '@mikro-orm/migrations';

export class Migration20261122062913_ticket_reminders extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "ticket" add column "reminded_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ticket" drop column "reminded_at";`);
  }

}
