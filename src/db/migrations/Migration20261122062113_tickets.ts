import { Migration } from '@mikro-orm/migrations';

/**
 * Ticket sources follow the BR-CRM numbering (2 complaint, 4 after-sale care,
 * 7 contact verification): renamed in place so every stored number keeps its
 * meaning; automatic tickets get a unique idempotency key.
 */
export class Migration20261122062113_tickets extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter type "ticket_source" rename value 'COMPLAINT' to 'AFTER_SALE_CARE';`);
    this.addSql(`alter type "ticket_source" rename value 'ORDER_EVENT' to 'COMPLAINT';`);
    this.addSql(`alter type "ticket_source" rename value 'CAMPAIGN' to 'CONTACT_VERIFICATION';`);

    this.addSql(`alter table "ticket" add column "origin_key" text null;`);
    this.addSql(`alter table "ticket" add constraint "ticket_origin_key_unique" unique ("origin_key");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ticket" drop constraint "ticket_origin_key_unique";`);
    this.addSql(`alter table "ticket" drop column "origin_key";`);

    this.addSql(`alter type "ticket_source" rename value 'CONTACT_VERIFICATION' to 'CAMPAIGN';`);
    this.addSql(`alter type "ticket_source" rename value 'COMPLAINT' to 'ORDER_EVENT';`);
    this.addSql(`alter type "ticket_source" rename value 'AFTER_SALE_CARE' to 'COMPLAINT';`);
  }

}
