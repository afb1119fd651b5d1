/**
 * Keys of erased customers, kept only as hashes: enough for linking to
 * recognise a buyer who asked to be forgotten, nothing a reader can turn
 * back into a phone number or an account id without already knowing it.
 */
import { createHash } from 'node:crypto';
import { placeholders } from '../../db/raw-sql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Platform } from '../../entities/enums';
import type { OrderBuyer } from '../../integrations/order-api/types';
import { normalizePhone } from './phone';

export type ErasableKey = { kind: string; value: string };

export const erasedKeyHash = (key: ErasableKey): string =>
  createHash('sha256').update(`${key.kind}:${key.value}`).digest('hex');

/** The keys a buyer carries, in the forms erasure stores them. */
export function buyerKeys(
  platform: Platform,
  buyer: Pick<OrderBuyer, 'phone' | 'platformId' | 'email'>,
): ErasableKey[] {
  const phone = normalizePhone(buyer.phone);
  const email = buyer.email?.trim().toLowerCase();
  return [
    ...(phone ? [{ kind: 'PHONE', value: phone }] : []),
    ...(buyer.platformId ? [{ kind: platform, value: buyer.platformId }] : []),
    ...(email ? [{ kind: 'EMAIL', value: email }] : []),
  ];
}

/** Was any key of this buyer erased? Then nothing of theirs is stored or linked again. */
export function isErasedBuyer(
  em: EntityManager,
  platform: Platform,
  buyer: Pick<OrderBuyer, 'phone' | 'platformId' | 'email'>,
): Promise<boolean> {
  return anyKeyErased(em, buyerKeys(platform, buyer));
}

/** For a caller that already holds a buyer's keys (the phone parsed once). */
export async function anyKeyErased(em: EntityManager, keys: ErasableKey[]): Promise<boolean> {
  const hashes = keys.map(erasedKeyHash);
  if (hashes.length === 0) return false;
  const rows = await em.execute<{ hash: string }[]>(
    `select "hash" from "erased_identity" where "hash" in (${placeholders(hashes)}) limit 1`,
    hashes,
  );
  return rows.length > 0;
}

export async function recordErasedKeys(em: EntityManager, keys: ErasableKey[]): Promise<void> {
  const hashes = [...new Set(keys.map(erasedKeyHash))];
  if (hashes.length === 0) return;
  const now = new Date();
  await em.execute(
    `insert into "erased_identity" ("hash", "created_at") values ${hashes.map(() => '(?, ?)').join(', ')}
     on conflict ("hash") do nothing`,
    hashes.flatMap((hash) => [hash, now]),
  );
}
