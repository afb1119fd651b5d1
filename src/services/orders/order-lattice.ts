/**
 * The normalized order-status lattice of platforms.md section 9.3. Pushes are
 * delivered at least once, out of order and sometimes coalesced, so a status
 * only moves along legal edges; everything else is classified for the caller.
 * `stepOrder` is the one place that turns a decision into the order's next
 * state: every apply path (pushes, pulls, replays, enrichment, syncs) calls it.
 */
import { OrderStatus } from '../../entities/enums';
import type { OrderFlags } from '../../entities/order.entity';
import type { FlagChanges } from '../../integrations/types';
import { mergeFlags } from './order-flags';

const S = OrderStatus;

/** Main-chain ranks; side states have none. services/reports/reference-data.ts reads them from here. */
export const RANK: Readonly<Partial<Record<OrderStatus, number>>> = {
  [S.PENDING_PAYMENT]: 10,
  [S.CONFIRMED]: 20,
  [S.PACKED]: 30,
  [S.READY_TO_SHIP]: 40,
  [S.SHIPPED]: 50,
  [S.DELIVERED]: 60,
  [S.COMPLETED]: 70,
};

export const TERMINAL: ReadonlySet<OrderStatus> = new Set([S.COMPLETED, S.CANCELLED, S.RETURNED]);

/**
 * Edges that leave or join the main chain. COMPLETED -> RETURN_REQUESTED is
 * absent: section 9.3 makes COMPLETED terminal and its sketch refuses every
 * edge out of a terminal state, so a post-completion return is an anomaly.
 */
export const SIDE_EDGES: Readonly<Partial<Record<OrderStatus, readonly OrderStatus[]>>> = {
  [S.PENDING_PAYMENT]: [S.CANCELLED],
  [S.CONFIRMED]: [S.CANCELLED],
  [S.PACKED]: [S.CANCELLED],
  [S.READY_TO_SHIP]: [S.CANCELLED, S.FAILED],
  [S.SHIPPED]: [S.CANCELLED, S.FAILED, S.RETURN_REQUESTED],
  [S.DELIVERED]: [S.RETURN_REQUESTED],
  [S.FAILED]: [S.SHIPPED, S.DELIVERED, S.RETURNED, S.CANCELLED],
  [S.RETURN_REQUESTED]: [S.RETURNED],
};

/** The pre-return states a rejected or cancelled return may restore. */
export const REVERT_TARGETS: ReadonlySet<OrderStatus> = new Set([S.DELIVERED, S.COMPLETED]);

/** Whether `from -> to` is a legal forward or side edge (the revert edge is not included). */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to || TERMINAL.has(from)) return false;
  const rankFrom = RANK[from];
  const rankTo = RANK[to];
  // Any higher rank is legal: pushes get lost or coalesced, so steps may be skipped.
  if (rankFrom !== undefined && rankTo !== undefined) return rankTo > rankFrom;
  return SIDE_EDGES[from]?.includes(to) ?? false;
}

/** The only backward edge: an explicit return-rejected/cancelled event. */
export function isRevertEdge(from: OrderStatus, to: OrderStatus): boolean {
  return from === S.RETURN_REQUESTED && REVERT_TARGETS.has(to);
}

/**
 * What to do with an event. Flags ride beside the status:
 * - create: no stored order; create it (fetch the detail when `status` is null).
 * - apply: store the status, `statusSourceTime = eventTime`, merge the flags.
 * - same: keep the status, merge the flags.
 * - stale: a lower main-chain rank; drop the status. With `refetch` the event
 *   is newer than the stored status, so the platform may really have reworked
 *   the order (Lazada `repacked`): merge its flags and fetch the detail.
 *   Without it the event is simply late: drop it whole.
 * - anomaly: an illegal edge or an event on a terminal order; drop it, log it
 *   and fetch the detail.
 */
export type TransitionDecision =
  | { kind: 'create' }
  | { kind: 'apply' }
  | { kind: 'same' }
  | { kind: 'stale'; refetch: boolean }
  | { kind: 'anomaly' };

export type CurrentOrderState = {
  status: OrderStatus | null;
  statusSourceTime?: Date | null;
};

export type IncomingOrderState = {
  status: OrderStatus | null;
  eventTime: Date;
  revert?: boolean;
};

export function decideTransition(
  current: CurrentOrderState,
  incoming: IncomingOrderState,
): TransitionDecision {
  const from = current.status;
  const to = incoming.status;
  if (from === null) return { kind: 'create' };
  // Equal status is a duplicate or a flag carrier, harmless even on a terminal order
  // (Lazada pushes every line of a cancelled order).
  if (to === from) return { kind: 'same' };
  if (TERMINAL.has(from)) return { kind: 'anomaly' };
  if (to === null) return { kind: 'same' };
  if (incoming.revert) {
    // A revert restores the pre-return state; when no return is open the stored
    // state is not that state, so the event cannot be applied blindly.
    return isRevertEdge(from, to) ? { kind: 'apply' } : { kind: 'anomaly' };
  }
  if (canTransition(from, to)) return { kind: 'apply' };
  if (RANK[from] !== undefined && RANK[to] !== undefined) {
    return { kind: 'stale', refetch: isNewer(incoming.eventTime, current.statusSourceTime) };
  }
  return { kind: 'anomaly' };
}

function isNewer(eventTime: Date, statusSourceTime: Date | null | undefined): boolean {
  // Without a stored source time nothing says the event is late; a detail fetch settles it.
  if (!statusSourceTime) return true;
  return eventTime.getTime() > statusSourceTime.getTime();
}

/** An order's status as the lattice sees it. */
export type OrderStatusState = {
  status: OrderStatus;
  rawStatus: string;
  statusSourceTime?: Date | null;
  flags: OrderFlags;
};

/** What a push, a pulled event or an order detail says of an order's status. */
export type StatusReport = {
  status: OrderStatus | null;
  rawStatus: string;
  flags: FlagChanges;
  eventTime: Date;
  revert?: boolean;
  refetch?: boolean;
};

export type OrderStep = {
  kind: TransitionDecision['kind'];
  /**
   * The order's state after the report: `current` itself when nothing a
   * reader sees changed; null when there is no order and the report cannot
   * start one (a flag alone).
   */
  next: OrderStatusState | null;
  /** The report set the status (or started the order): its history row is an applied one. */
  moved: boolean;
  /** The status or the flags changed. */
  changed: boolean;
  /** The platform's order detail is to be read (only ever for an event, never for a detail). */
  needsDetail: boolean;
};

/**
 * The lattice decision and what it does to the order. A late or repeated
 * event never moves the order backwards; equal statuses only merge flags.
 * For an event (`source` 'event'): a new order has no amounts yet, a
 * stale-but-newer or anomalous event may mean the platform reworked the order
 * (platforms.md 9.3), and some events say only the detail can be trusted
 * (refetch); each of these asks for the detail. A detail is the platform's
 * current state, so it never asks for itself again (no re-fetch loop).
 */
export function stepOrder(
  current: OrderStatusState | null,
  report: StatusReport,
  source: 'event' | 'detail',
): OrderStep {
  const decision = decideTransition(
    { status: current?.status ?? null, statusSourceTime: current?.statusSourceTime ?? null },
    { status: report.status, eventTime: report.eventTime, revert: report.revert },
  );
  let next = current;
  let moved = false;
  let changed = false;
  if ((decision.kind === 'create' || decision.kind === 'apply') && report.status) {
    next = {
      status: report.status,
      rawStatus: report.rawStatus,
      statusSourceTime: report.eventTime,
      flags: mergeFlags(current?.flags ?? {}, report.flags, report.eventTime),
    };
    moved = changed = true;
  } else if (decision.kind === 'create') {
    next = null;
  } else if (decision.kind === 'same' && current) {
    const flags = mergeFlags(current.flags, report.flags, report.eventTime);
    if (JSON.stringify(flags) !== JSON.stringify(current.flags)) {
      next = { ...current, flags };
      changed = true;
    }
  }
  const needsDetail =
    source === 'event' &&
    next !== null &&
    (decision.kind === 'create' ||
      decision.kind === 'anomaly' ||
      (decision.kind === 'stale' && decision.refetch) ||
      report.refetch === true);
  return { kind: decision.kind, next, moved, changed, needsDetail };
}
