/**
 * The right to be forgotten. Personal data goes from the customer (and every
 * tombstone merged into it), their customer notes, the notes, titles,
 * descriptions and history of their tickets, their messages, the buyer
 * fields of their orders and the tickets' search text. Orders and payments stay, under a pseudonym, for accounting.
 * Every key that could link the buyer again (identities, phone, e-mail,
 * the orders' buyer ids) is replaced by a hash in erased_identity, which
 * linking checks, so a later webhook does not bring the person back.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { placeholders } from '../../db/raw-sql';
import { Customer } from '../../entities';
import type { EventBus } from '../../realtime/event-bus';
import { audit } from '../shared/audit';
import { publishCustomerChanged, resolveCustomerId } from './customer.service';
import { recordErasedKeys, type ErasableKey } from './erased-identity';
import { badInput, notFound } from '../../kernel/errors';
import { normalizePhone, phoneSpellings } from './phone';
import type { RequestScope } from '../../kernel/request-scope';
import { MAX_LENGTH, assertMaxLength } from '../../kernel/text-limits';

export const ERASED_TEXT = '[erased]';

const regexLiteral = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The spellings under which the buyer's keys appear in raw webhook bodies:
 * ids as sent, phones as stored on orders and in every E.164/national form.
 * Values shorter than five characters are left out: they would match
 * unrelated numbers in other people's events.
 */
function rawKeyValues(keys: ErasableKey[], phones: (string | null)[]): string[] {
  const values = new Set<string>();
  for (const key of keys) {
    if (key.kind === 'PHONE')
      for (const spelling of phoneSpellings(key.value)) values.add(spelling);
    else values.add(key.value);
  }
  for (const phone of phones) if (phone) values.add(phone);
  return [...values].filter((value) => value.length >= 5);
}

/**
 * Raw webhook bodies carrying any of these values (as a whole token, not
 * inside a longer number) lose their body. One not yet applied is closed as
 * DEAD, so a replay cannot bring the buyer back.
 */
async function scrubInboundEvents(em: EntityManager, values: string[]): Promise<void> {
  if (values.length === 0) return;
  const pattern = `(^|[^0-9A-Za-z_@.+-])(${values.map(regexLiteral).join('|')})([^0-9A-Za-z_@.-]|$)`;
  await em.execute(
    `update "inbound_event" set "raw_body" = '{"erased":true}', "headers" = '{}',
       "status" = case when "status" = 'APPLIED' then "status" else 'DEAD'::inbound_event_status end,
       "last_error" = case when "status" = 'APPLIED' then "last_error" else 'The buyer was erased; the payload was removed' end
     where "raw_body" ~ ?`,
    [pattern],
  );
}

/**
 * The customer's tickets: a title a person typed may name them (the system's
 * own titles never do, see tickets/ticket-title.ts), so each personal value
 * in it becomes ERASED_TEXT; descriptions are free text about the person and
 * go whole, like notes, and so do the earlier titles and descriptions in the
 * tickets' history.
 */
async function scrubTickets(
  em: EntityManager,
  inIds: string,
  ids: string[],
  personal: (string | null)[],
): Promise<void> {
  const values = [...new Set(personal.map((value) => value?.trim() ?? ''))].filter(
    (value) => value.length >= 3,
  );
  if (values.length > 0) {
    const pattern = values.map(regexLiteral).join('|');
    await em.execute(
      `update "ticket" set "title" = regexp_replace("title", ?, ?, 'gi')
        where "customer_id" in ${inIds} and "title" ~* ?`,
      [pattern, ERASED_TEXT, ...ids, pattern],
    );
  }
  await em.execute(
    `update "ticket" set "description" = ? where "customer_id" in ${inIds} and "description" is not null`,
    [ERASED_TEXT, ...ids],
  );
  await em.execute(
    `update "ticket_history"
        set "before" = case when "before" is null or "before" = 'null' then "before" else to_jsonb(?::text) end,
            "after" = case when "after" is null or "after" = 'null' then "after" else to_jsonb(?::text) end
      where "field" in ('title', 'description')
        and "ticket_id" in (select "id" from "ticket" where "customer_id" in ${inIds})`,
    [ERASED_TEXT, ERASED_TEXT, ...ids],
  );
}

export const customerErasureService = {
  async erase(
    { em, viewer }: RequestScope,
    bus: EventBus,
    id: string,
    reasonRaw: string,
  ): Promise<Customer> {
    const reason = reasonRaw.trim();
    if (!reason) throw badInput('reason: say why (e.g. the request reference)', 'reason');
    assertMaxLength(reason, MAX_LENGTH.reason, 'reason');
    const resolved = await resolveCustomerId(em, id);
    if (!resolved) throw notFound('Customer', id);

    const outcome = await em.transactional(async (tx) => {
      const locked = await tx.execute<
        {
          id: string;
          erased_at: Date | null;
          full_name: string;
          phone: string | null;
          email: string | null;
        }[]
      >(
        `select "id", "erased_at", "full_name", "phone", "email" from "customer" where "id" = ? or "merged_into_id" = ? order by "id" for update`,
        [resolved, resolved],
      );
      const main = locked.find((row) => row.id === resolved);
      if (!main) throw notFound('Customer', id);
      if (main.erased_at) return { fresh: false }; // idempotent
      const ids = locked.map((row) => row.id);
      const inIds = `(${placeholders(ids)})`;

      const keys: ErasableKey[] = [];
      const identities = await tx.execute<{ kind: string; value: string }[]>(
        `select "kind", "value" from "customer_identity" where "customer_id" in ${inIds}`,
        ids,
      );
      keys.push(...identities);
      const buyers = await tx.execute<
        {
          platform: string;
          buyer_name: string | null;
          buyer_phone: string | null;
          buyer_platform_id: string | null;
        }[]
      >(
        `select "platform", "buyer_name", "buyer_phone", "buyer_platform_id" from "customer_order" where "customer_id" in ${inIds}`,
        ids,
      );
      const chats = await tx.execute<{ platform: string; external_user_id: string }[]>(
        `select ch."platform", c."external_user_id" from "conversation" c join "channel" ch on ch."id" = c."channel_id"
         where c."customer_id" in ${inIds} and c."external_user_id" is not null`,
        ids,
      );
      const phones = [...locked.map((row) => row.phone), ...buyers.map((row) => row.buyer_phone)];
      for (const raw of phones) {
        const phone = normalizePhone(raw);
        if (phone) keys.push({ kind: 'PHONE', value: phone });
      }
      for (const row of locked)
        if (row.email) keys.push({ kind: 'EMAIL', value: row.email.toLowerCase() });
      for (const row of buyers) {
        if (row.buyer_platform_id) keys.push({ kind: row.platform, value: row.buyer_platform_id });
      }
      for (const row of chats) keys.push({ kind: row.platform, value: row.external_user_id });
      await recordErasedKeys(tx, keys);

      const pseudonym = `Erased customer ${resolved.slice(0, 8)}`;
      const now = new Date();
      await tx.execute(`delete from "customer_identity" where "customer_id" in ${inIds}`, ids);
      await tx.execute(
        `update "customer" set "full_name" = ?, "phone" = null, "email" = null, "birthday" = null,
           "gender" = null, "notes" = null, "erased_at" = ?, "updated_at" = ? where "id" in ${inIds}`,
        [pseudonym, now, now, ...ids],
      );
      await tx.execute(`update "customer_note" set "body" = ? where "customer_id" in ${inIds}`, [
        ERASED_TEXT,
        ...ids,
      ]);
      await tx.execute(
        `update "ticket_note" set "body" = ? where "ticket_id" in (select "id" from "ticket" where "customer_id" in ${inIds})`,
        [ERASED_TEXT, ...ids],
      );
      await scrubTickets(tx, inIds, ids, [
        ...locked.map((row) => row.full_name),
        ...buyers.map((row) => row.buyer_name),
        ...rawKeyValues(keys, phones),
      ]);
      // The tickets' search text held the name and phone digits.
      await tx.execute(
        `update "ticket" set "keywords" = lower("title" || ' ' || ?), "phone_digits" = '' where "customer_id" in ${inIds}`,
        [pseudonym, ...ids],
      );
      await tx.execute(
        `update "message" set "body" = ?, "attachments" = '[]'
         where "conversation_id" in (select "id" from "conversation" where "customer_id" in ${inIds})`,
        [ERASED_TEXT, ...ids],
      );
      // The thread id is often the buyer's platform id: it goes too, so a new message opens a new, unlinked thread.
      await tx.execute(
        `update "conversation" set "external_user_id" = null, "external_thread_id" = 'erased:' || "id"
         where "customer_id" in ${inIds}`,
        ids,
      );
      await tx.execute(
        `update "customer_order" set "buyer_name" = null, "buyer_phone" = null, "buyer_platform_id" = null
         where "customer_id" in ${inIds}`,
        ids,
      );
      await scrubInboundEvents(tx, rawKeyValues(keys, phones));
      // Merge records held the erased fields to undo a merge; they can no longer be undone.
      await tx.execute(
        `update "customer_merge" set "before" = null
         where "survivor_id" in ${inIds} or jsonb_exists_any("merged_ids", ?::text[])`,
        [...ids, `{${ids.join(',')}}`],
      );
      // Ids and the reason only: the audit trail must not keep what was erased.
      await audit(tx, {
        actor: viewer,
        action: 'customer.erased',
        entityType: 'Customer',
        entityId: resolved,
        data: { reason, erasedIds: ids, erasedKeys: keys.length },
      });
      return { fresh: true };
    });
    if (outcome.fresh) publishCustomerChanged(bus, resolved, 'ERASED');
    const customer = await em.fork().findOne(Customer, { id: resolved });
    if (!customer) throw notFound('Customer', id);
    return customer;
  },
};
