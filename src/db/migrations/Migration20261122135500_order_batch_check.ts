import { Migration } from '@mikro-orm/migrations';

/**
 * Lets one statement undo itself: the unlocked batch apply
 * (src/services/orders/inbound-batch.ts) writes a whole batch of order changes in
 * a single statement whose last step calls this with "every row was as
 * read". A false check raises, so the statement, and every row it wrote,
 * is rolled back, and the batch is applied again on the locked path. The
 * SQLSTATE is our own, so the caller tells this apart from a real failure.
 */
export class Migration20261122135500_order_batch_check extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function "order_batch_check"("unchanged" boolean) returns boolean language plpgsql as $$
      begin
        if not "unchanged" then
          raise exception using errcode = 'CR001',
            message = 'order batch conflict: an order or inbox row changed after the batch read it';
        end if;
        return true;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function "order_batch_check"(boolean);`);
  }

}
