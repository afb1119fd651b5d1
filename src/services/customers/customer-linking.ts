/**
 * Links an order's buyer to a Customer: by normalized phone, else by the
 * platform's buyer id, else a new Customer. Runs inside the caller's
 * transaction. Concurrent links of one new buyer meet on the unique
 * (kind, value) of customer_identity: the loser's insert waits for the
 * winner's commit, finds the key taken, drops its own new customer and
 * takes the winner's. No lookup-then-insert window is left open.
 */
import { randomUUID } from 'node:crypto';
import { placeholders } from '../../db/raw-sql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CustomerIdentityKind } from '../../entities/customer-identity.entity';
import type { OrderBuyer } from '../../integrations/order-api/types';
import type { Platform } from '../../entities/enums';
import { anyKeyErased } from './erased-identity';
import { normalizePhone, phoneSpellings } from './phone';

type IdentityKey = { kind: CustomerIdentityKind; value: string };

export type LinkedCustomer = { customerId: string; created: boolean };

/**
 * The customer for this buyer, or null when the buyer carries no key at all
 * (no valid phone and no platform id): a customer known only by a name could
 * never be matched again, so every order would make another one.
 */
export async function linkCustomer(
  em: EntityManager,
  platform: Platform,
  buyer: OrderBuyer,
  branchId: string | null,
): Promise<LinkedCustomer | null> {
  const phone = normalizePhone(buyer.phone);
  // Always the same order (phone first): two transactions claiming keys of one
  // buyer then queue on the same first key instead of deadlocking.
  const keys: IdentityKey[] = [
    ...(phone ? [{ kind: 'PHONE' as const, value: phone }] : []),
    ...(buyer.platformId ? [{ kind: platform, value: buyer.platformId }] : []),
  ];
  if (keys.length === 0) return null;
  // A buyer who asked to be forgotten is not re-created by their next order or message.
  const email = buyer.email?.trim().toLowerCase();
  const erasable = email ? [...keys, { kind: 'EMAIL', value: email }] : keys;
  if (await anyKeyErased(em, erasable)) return null;

  let customerId =
    (await findByIdentity(em, keys)) ?? (phone ? await findByPhone(em, phone) : null);
  let created = false;
  if (!customerId) {
    customerId = await insertCustomer(em, buyer, phone, platform, branchId);
    created = true;
  }
  for (const [index, key] of keys.entries()) {
    const owner = await claim(em, key, customerId);
    if (owner === customerId) continue;
    if (created) {
      // Another transaction created this buyer first: ours goes (its earlier
      // claims cascade with it) and theirs gets every key.
      await em.execute('delete from "customer" where "id" = ?', [customerId]);
      customerId = owner;
      created = false;
      for (const earlier of keys.slice(0, index)) await claim(em, earlier, customerId);
    }
    // Found, not created: the key already names another customer (a duplicate
    // that merging will resolve); linking keeps the customer it found.
  }
  return { customerId, created };
}

async function findByIdentity(em: EntityManager, keys: IdentityKey[]): Promise<string | null> {
  const rows = await em.execute<{ customer_id: string; kind: string }[]>(
    `select "customer_id", "kind" from "customer_identity"
     where ${keys.map(() => '("kind" = ? and "value" = ?)').join(' or ')}`,
    keys.flatMap((key) => [key.kind, key.value]),
  );
  // A phone match outranks a buyer id: the phone is the person, a buyer id only one account.
  const byPhone = rows.find((row) => row.kind === 'PHONE');
  return (byPhone ?? rows[0])?.customer_id ?? null;
}

/**
 * Customers saved before phones were normalized may hold 0912... or 84912...;
 * the oldest wins. A merged tombstone answers with its survivor.
 */
async function findByPhone(em: EntityManager, phone: string): Promise<string | null> {
  const spellings = phoneSpellings(phone);
  const rows = await em.execute<{ id: string }[]>(
    `select coalesce("merged_into_id", "id") as "id" from "customer"
     where "phone" in (${placeholders(spellings)})
     order by "created_at", "id" limit 1`,
    spellings,
  );
  return rows[0]?.id ?? null;
}

async function insertCustomer(
  em: EntityManager,
  buyer: OrderBuyer,
  phone: string | null,
  platform: Platform,
  branchId: string | null,
): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await em.execute(
    `insert into "customer" ("id", "full_name", "phone", "email", "branch_id", "created_at", "updated_at")
     values (?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      buyer.name ?? phone ?? `${platform} ${buyer.platformId ?? ''}`.trim(),
      phone,
      buyer.email,
      branchId,
      now,
      now,
    ],
  );
  return id;
}

/** The key's owner after trying to take it for `customerId`. */
async function claim(em: EntityManager, key: IdentityKey, customerId: string): Promise<string> {
  const inserted = await em.execute<{ customer_id: string }[]>(
    `insert into "customer_identity" ("id", "customer_id", "kind", "value", "created_at")
     values (?, ?, ?, ?, ?)
     on conflict ("kind", "value") do nothing
     returning "customer_id"`,
    [randomUUID(), customerId, key.kind, key.value, new Date()],
  );
  if (inserted[0]) return inserted[0].customer_id;
  // A separate statement on purpose: under READ COMMITTED it sees the row the
  // conflicting transaction committed, which the insert's own snapshot does not.
  const owner = await em.execute<{ customer_id: string }[]>(
    'select "customer_id" from "customer_identity" where "kind" = ? and "value" = ?',
    [key.kind, key.value],
  );
  if (!owner[0])
    throw new Error(`customer identity ${key.kind}:${key.value} vanished while linking`);
  return owner[0].customer_id;
}
