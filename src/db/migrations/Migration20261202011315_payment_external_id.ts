import { Migration } from '@mikro-orm/migrations';

/** Payments are recorded idempotently on their source and external id (recordPayment, marketplace paid statuses). */
export class Migration20261202011315_payment_external_id extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "payment_source" as enum ('API', 'MARKETPLACE');`);
    this.addSql(`alter table "payment" add column "source" "payment_source" not null default 'API', add column "external_id" text null;`);
    this.addSql(`alter table "payment" add constraint "payment_source_external_id_unique" unique ("source", "external_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payment" drop constraint "payment_source_external_id_unique";`);
    this.addSql(`alter table "payment" drop column "source", drop column "external_id";`);

    this.addSql(`drop type "payment_source";`);
  }

}
