import { OrderStatus } from '../src/entities/enums';
import {
  RANK,
  SIDE_EDGES,
  TERMINAL,
  canTransition,
  decideTransition,
  type TransitionDecision,
} from '../src/services/orders/order-lattice';

const S = OrderStatus;
const ALL = Object.values(OrderStatus);

/** platforms.md 9.3, written out by hand: the main chain in order... */
const MAIN_CHAIN = [
  S.PENDING_PAYMENT,
  S.CONFIRMED,
  S.PACKED,
  S.READY_TO_SHIP,
  S.SHIPPED,
  S.DELIVERED,
  S.COMPLETED,
];

/** ...and every legal edge: all forward main-chain moves (skips included) plus the side edges. */
const LEGAL: ReadonlyArray<readonly [OrderStatus, OrderStatus]> = [
  [S.PENDING_PAYMENT, S.CONFIRMED],
  [S.PENDING_PAYMENT, S.PACKED],
  [S.PENDING_PAYMENT, S.READY_TO_SHIP],
  [S.PENDING_PAYMENT, S.SHIPPED],
  [S.PENDING_PAYMENT, S.DELIVERED],
  [S.PENDING_PAYMENT, S.COMPLETED],
  [S.PENDING_PAYMENT, S.CANCELLED],
  [S.CONFIRMED, S.PACKED],
  [S.CONFIRMED, S.READY_TO_SHIP],
  [S.CONFIRMED, S.SHIPPED],
  [S.CONFIRMED, S.DELIVERED],
  [S.CONFIRMED, S.COMPLETED],
  [S.CONFIRMED, S.CANCELLED],
  [S.PACKED, S.READY_TO_SHIP],
  [S.PACKED, S.SHIPPED],
  [S.PACKED, S.DELIVERED],
  [S.PACKED, S.COMPLETED],
  [S.PACKED, S.CANCELLED],
  [S.READY_TO_SHIP, S.SHIPPED],
  [S.READY_TO_SHIP, S.DELIVERED],
  [S.READY_TO_SHIP, S.COMPLETED],
  [S.READY_TO_SHIP, S.CANCELLED],
  [S.READY_TO_SHIP, S.FAILED],
  [S.SHIPPED, S.DELIVERED],
  [S.SHIPPED, S.COMPLETED],
  [S.SHIPPED, S.CANCELLED],
  [S.SHIPPED, S.FAILED],
  [S.SHIPPED, S.RETURN_REQUESTED],
  [S.DELIVERED, S.COMPLETED],
  [S.DELIVERED, S.RETURN_REQUESTED],
  [S.FAILED, S.SHIPPED],
  [S.FAILED, S.DELIVERED],
  [S.FAILED, S.RETURNED],
  [S.FAILED, S.CANCELLED],
  [S.RETURN_REQUESTED, S.RETURNED],
];
const legal = new Set(LEGAL.map(([from, to]) => `${from}>${to}`));

const T0 = new Date('2024-06-10T03:00:00Z');
const EARLIER = new Date('2024-06-10T02:00:00Z');
const LATER = new Date('2024-06-10T04:00:00Z');

function decide(
  from: OrderStatus | null,
  to: OrderStatus | null,
  options: { eventTime?: Date; statusSourceTime?: Date | null; revert?: boolean } = {},
): TransitionDecision {
  return decideTransition(
    {
      status: from,
      statusSourceTime: 'statusSourceTime' in options ? options.statusSourceTime : T0,
    },
    { status: to, eventTime: options.eventTime ?? LATER, revert: options.revert },
  );
}

describe('lattice tables', () => {
  test('ranks, terminal set and side edges are those of platforms.md 9.3', () => {
    expect(RANK).toEqual({
      PENDING_PAYMENT: 10,
      CONFIRMED: 20,
      PACKED: 30,
      READY_TO_SHIP: 40,
      SHIPPED: 50,
      DELIVERED: 60,
      COMPLETED: 70,
    });
    expect([...TERMINAL].sort()).toEqual(['CANCELLED', 'COMPLETED', 'RETURNED']);
    expect(SIDE_EDGES).toEqual({
      PENDING_PAYMENT: ['CANCELLED'],
      CONFIRMED: ['CANCELLED'],
      PACKED: ['CANCELLED'],
      READY_TO_SHIP: ['CANCELLED', 'FAILED'],
      SHIPPED: ['CANCELLED', 'FAILED', 'RETURN_REQUESTED'],
      DELIVERED: ['RETURN_REQUESTED'],
      FAILED: ['SHIPPED', 'DELIVERED', 'RETURNED', 'CANCELLED'],
      RETURN_REQUESTED: ['RETURNED'],
    });
  });
});

describe('canTransition', () => {
  test.each(LEGAL)('%s -> %s is legal', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  test('every other pair of the 11 x 11 is illegal', () => {
    const illegal = ALL.flatMap((from) => ALL.map((to) => [from, to] as const)).filter(
      ([from, to]) => !legal.has(`${from}>${to}`),
    );
    expect(illegal).toHaveLength(121 - LEGAL.length);
    for (const [from, to] of illegal) {
      expect({ from, to, legal: canTransition(from, to) }).toEqual({ from, to, legal: false });
    }
  });

  test('nothing leaves a terminal state, not even a post-completion return', () => {
    expect(canTransition(S.COMPLETED, S.RETURN_REQUESTED)).toBe(false);
    expect(canTransition(S.CANCELLED, S.CONFIRMED)).toBe(false);
    expect(canTransition(S.RETURNED, S.DELIVERED)).toBe(false);
  });
});

describe('decideTransition', () => {
  test('no stored order: create, whatever arrives', () => {
    expect(decide(null, S.SHIPPED)).toEqual({ kind: 'create' });
    expect(decide(null, null)).toEqual({ kind: 'create' });
    expect(decide(null, S.RETURNED)).toEqual({ kind: 'create' });
  });

  test.each(LEGAL)('%s -> %s applies', (from, to) => {
    expect(decide(from, to)).toEqual({ kind: 'apply' });
  });

  test.each(ALL)('%s -> %s again is "same" (flags only), terminal or not', (status) => {
    expect(decide(status, status)).toEqual({ kind: 'same' });
  });

  test('a flag-only event is "same" on a live order and an anomaly on a terminal one', () => {
    expect(decide(S.READY_TO_SHIP, null)).toEqual({ kind: 'same' });
    expect(decide(S.FAILED, null)).toEqual({ kind: 'same' });
    expect(decide(S.CANCELLED, null)).toEqual({ kind: 'anomaly' });
    expect(decide(S.COMPLETED, null)).toEqual({ kind: 'anomaly' });
  });

  const regressions = MAIN_CHAIN.flatMap((from, i) =>
    MAIN_CHAIN.slice(0, i).map((to) => [from, to] as const),
  ).filter(([from]) => from !== S.COMPLETED);

  test.each(regressions)('main-chain regression %s -> %s is stale', (from, to) => {
    expect(decide(from, to, { eventTime: EARLIER })).toEqual({ kind: 'stale', refetch: false });
  });

  test('stale events newer than the stored status ask for a refetch', () => {
    expect(decide(S.PACKED, S.CONFIRMED, { eventTime: LATER })).toEqual({
      kind: 'stale',
      refetch: true,
    });
    // Same instant is not newer.
    expect(decide(S.PACKED, S.CONFIRMED, { eventTime: T0 })).toEqual({
      kind: 'stale',
      refetch: false,
    });
    // Without a stored source time nothing proves the event is late.
    expect(decide(S.SHIPPED, S.CONFIRMED, { statusSourceTime: null, eventTime: EARLIER })).toEqual({
      kind: 'stale',
      refetch: true,
    });
    expect(
      decideTransition({ status: S.SHIPPED }, { status: S.CONFIRMED, eventTime: EARLIER }),
    ).toEqual({ kind: 'stale', refetch: true });
  });

  test.each(
    [...TERMINAL].flatMap((from) => ALL.filter((to) => to !== from).map((to) => [from, to])),
  )('anything on terminal %s (here %s) is an anomaly', (from, to) => {
    expect(decide(from, to)).toEqual({ kind: 'anomaly' });
    expect(decide(from, to, { revert: true })).toEqual({ kind: 'anomaly' });
  });

  test.each([
    [S.PENDING_PAYMENT, S.FAILED],
    [S.PACKED, S.FAILED],
    [S.CONFIRMED, S.RETURN_REQUESTED],
    [S.READY_TO_SHIP, S.RETURN_REQUESTED],
    [S.PACKED, S.RETURNED],
    [S.DELIVERED, S.CANCELLED],
    [S.DELIVERED, S.FAILED],
    [S.DELIVERED, S.RETURNED],
    [S.FAILED, S.READY_TO_SHIP],
    [S.FAILED, S.PENDING_PAYMENT],
    [S.FAILED, S.RETURN_REQUESTED],
    [S.FAILED, S.COMPLETED],
    [S.RETURN_REQUESTED, S.SHIPPED],
    [S.RETURN_REQUESTED, S.DELIVERED],
    [S.RETURN_REQUESTED, S.COMPLETED],
    [S.RETURN_REQUESTED, S.CANCELLED],
    [S.RETURN_REQUESTED, S.FAILED],
  ])('illegal side edge %s -> %s is an anomaly, not stale', (from, to) => {
    expect(decide(from, to, { eventTime: EARLIER })).toEqual({ kind: 'anomaly' });
    expect(decide(from, to, { eventTime: LATER })).toEqual({ kind: 'anomaly' });
  });

  test('every one of the 121 pairs is classified as the rules above say', () => {
    const chainIndex = (s: OrderStatus) => MAIN_CHAIN.indexOf(s);
    for (const from of ALL) {
      for (const to of ALL) {
        let expected: TransitionDecision['kind'];
        if (from === to) expected = 'same';
        else if (TERMINAL.has(from)) expected = 'anomaly';
        else if (legal.has(`${from}>${to}`)) expected = 'apply';
        else if (chainIndex(from) >= 0 && chainIndex(to) >= 0 && chainIndex(to) < chainIndex(from))
          expected = 'stale';
        else expected = 'anomaly';
        expect({ from, to, kind: decide(from, to).kind }).toEqual({ from, to, kind: expected });
      }
    }
  });

  describe('the revert edge', () => {
    test('a return rejected or cancelled restores DELIVERED or COMPLETED', () => {
      expect(decide(S.RETURN_REQUESTED, S.DELIVERED, { revert: true })).toEqual({ kind: 'apply' });
      expect(decide(S.RETURN_REQUESTED, S.COMPLETED, { revert: true })).toEqual({ kind: 'apply' });
    });

    test('it applies even when the event is older than the return request', () => {
      expect(decide(S.RETURN_REQUESTED, S.DELIVERED, { revert: true, eventTime: EARLIER })).toEqual(
        { kind: 'apply' },
      );
    });

    test('it is the only way back: the same status without revert is an anomaly', () => {
      expect(decide(S.RETURN_REQUESTED, S.DELIVERED)).toEqual({ kind: 'anomaly' });
      expect(decide(S.RETURN_REQUESTED, S.COMPLETED)).toEqual({ kind: 'anomaly' });
    });

    test('it only reaches DELIVERED or COMPLETED', () => {
      expect(decide(S.RETURN_REQUESTED, S.SHIPPED, { revert: true })).toEqual({ kind: 'anomaly' });
      expect(decide(S.RETURN_REQUESTED, S.CONFIRMED, { revert: true })).toEqual({
        kind: 'anomaly',
      });
    });

    test('with no open return it changes nothing', () => {
      // The return request was lost: the order already is where the revert points.
      expect(decide(S.DELIVERED, S.DELIVERED, { revert: true })).toEqual({ kind: 'same' });
      // Never let a return-cancelled event advance an order in transit.
      expect(decide(S.SHIPPED, S.DELIVERED, { revert: true })).toEqual({ kind: 'anomaly' });
      expect(decide(S.FAILED, S.DELIVERED, { revert: true })).toEqual({ kind: 'anomaly' });
      expect(decide(S.COMPLETED, S.DELIVERED, { revert: true })).toEqual({ kind: 'anomaly' });
    });
  });
});
