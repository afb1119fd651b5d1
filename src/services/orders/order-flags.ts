import type { OrderFlags } from '../../entities/order.entity';
import type { FlagChanges } from '../../integrations/types';

/** Applies flag changes; a set flag records when its source event happened. */
export function mergeFlags(current: OrderFlags, changes: FlagChanges, at: Date): OrderFlags {
  const next: OrderFlags = { ...current };
  for (const [flag, on] of Object.entries(changes) as [keyof OrderFlags, boolean][]) {
    if (on) next[flag] = at.toISOString();
    else delete next[flag];
  }
  return next;
}
