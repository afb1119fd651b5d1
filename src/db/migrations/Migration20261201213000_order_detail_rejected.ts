import { Migration } from '@mikro-orm/migrations';

/**
 * An order whose detail the platform refused was asked for again by every
 * enrichment sweep on every instance, each time logging the same refusal.
 */
export class Migration20261201213000_order_detail_rejected extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "customer_order" add column "detail_rejected_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customer_order" drop column "detail_rejected_at";`);
  }

}
