/**
 * Mapping tables from a platform's raw status to the normalized status and
 * flags of platforms.md section 9.2. Each platform keeps one literal table per
 * status field so a wrong row is a one-line fix.
 */
import type { OrderStatus } from '../entities/enums';
import {
  PayloadError,
  type FlagChanges,
  type NormalizedOrderEvent,
  type OrderFlagName,
} from './types';

export type StatusRule = {
  readonly status: OrderStatus | null;
  readonly flags?: FlagChanges;
  readonly revert?: true;
  readonly refetch?: true;
};

export type StatusTable = {
  readonly rows: Readonly<Record<string, StatusRule>>;
  /** Flags some row of this table sets; see mapStatus. */
  readonly ownedFlags: readonly OrderFlagName[];
};

export type MappedStatus = {
  status: OrderStatus | null;
  flags: FlagChanges;
  revert: boolean;
  refetch: boolean;
};

export function statusTable(rows: Readonly<Record<string, StatusRule>>): StatusTable {
  const owned = new Set<OrderFlagName>();
  for (const rule of Object.values(rows)) {
    for (const [flag, value] of Object.entries(rule.flags ?? {}) as [OrderFlagName, boolean][]) {
      if (value) owned.add(flag);
    }
  }
  return { rows, ownedFlags: [...owned] };
}

/**
 * Looks a raw status up. A flag that a platform expresses as one value of a
 * status field (Shopee RETRY_SHIP, TikTok ON_HOLD, Tiki holded...) lasts only
 * until the same field reports another value, so every other row of that
 * table clears it; otherwise `pickupRetry` or `onHold` would stick forever.
 * Flags owned by another field (another table) are left alone.
 */
export function mapStatus(table: StatusTable, raw: string, what: string): MappedStatus {
  const rule = Object.hasOwn(table.rows, raw) ? table.rows[raw] : undefined;
  if (!rule) throw new PayloadError(`${what}: unknown status "${raw}"`);
  const flags: FlagChanges = {};
  for (const flag of table.ownedFlags) flags[flag] = false;
  Object.assign(flags, rule.flags);
  return {
    status: rule.status,
    flags,
    revert: rule.revert === true,
    refetch: rule.refetch === true,
  };
}

export type EventIdentity = Omit<NormalizedOrderEvent, 'status' | 'flags' | 'revert' | 'refetch'>;

/** `forceRefetch` marks every event of an unauthenticated source (Sendo). */
export function orderEvent(
  identity: EventIdentity,
  mapped: MappedStatus,
  forceRefetch = false,
): NormalizedOrderEvent {
  return {
    ...identity,
    status: mapped.status,
    flags: mapped.flags,
    revert: mapped.revert,
    refetch: mapped.refetch || forceRefetch,
  };
}
