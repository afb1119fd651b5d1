import { Migration } from '@mikro-orm/migrations';

/** Phone digits apart from the search text, so digit searches match phone numbers only. */
export class Migration20261122064822_ticket_phone_digits extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "ticket" add column "phone_digits" text not null default '';`);
    this.addSql(`update "ticket" t set "phone_digits" = trim(d.digits || ' ' || case when d.digits like '84%' then '0' || substr(d.digits, 3) else '' end)
      from (select id, regexp_replace(coalesce(phone, ''), '\\D', '', 'g') as digits from "customer") d
      where d.id = t."customer_id";`);
    this.addSql(`create index "ticket_phone_digits_trgm_idx" on "ticket" using gin ("phone_digits" gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "ticket_phone_digits_trgm_idx";`);
    this.addSql(`alter table "ticket" drop column "phone_digits";`);
  }

}
