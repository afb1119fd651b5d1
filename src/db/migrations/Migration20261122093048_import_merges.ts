import { Migration } from '@mikro-orm/migrations';

/** Customer imports report which rows were merged into which existing customer. */
export class Migration20261122093048_import_merges extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "import_job" add column "merges" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "import_job" drop column "merges";`);
  }

}
