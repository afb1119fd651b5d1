import { OrderStatus, Platform } from '../../src/entities/enums';
import {
  LAZADA_ORDER_STATUSES,
  LAZADA_REVERSE_STATUSES,
  lazada,
} from '../../src/integrations/lazada';
import { PayloadError } from '../../src/integrations/types';
import { BUYER, hmacSha256Hex, one, reserialize, setFlags, tamper } from './helpers';

const S = OrderStatus;
const APP_KEY = '123456';
const APP_SECRET = 'lz-app-secret-0f9e';
const secrets = { appKey: APP_KEY, appSecret: APP_SECRET };

// As a Java sender writes it: spaces after separators, diacritics as raw UTF-8.
const RAW = Buffer.from(
  `{"seller_id": "200012345", "message_type": 0, "timestamp": 1718000000123, "site": "lazada_vn", ` +
    `"data": {"order_status": "ready_to_ship", "trade_order_id": "880001112223334", ` +
    `"trade_order_line_id": "880001112223335", "status_update_time": 1717999990, ` +
    `"buyer_name": "${BUYER}"}}`,
  'utf8',
);

const sign = (body: Buffer) => hmacSha256Hex(APP_SECRET, APP_KEY, body);

function tradePush(data: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  return {
    seller_id: '200012345',
    message_type: 0,
    timestamp: 1718000000123,
    site: 'lazada_vn',
    ...envelope,
    data: {
      trade_order_id: '880001112223334',
      trade_order_line_id: '880001112223335',
      status_update_time: 1717999990,
      ...data,
    },
  };
}

function reversePush(data: Record<string, unknown>) {
  return {
    seller_id: '200012345',
    message_type: 10,
    timestamp: 1627889609,
    site: 'lazada_vn',
    data: {
      reverse_order_id: 658960600102006,
      trade_order_id: 416557324702006,
      trade_order_line_id: 416557324802006,
      reverse_order_line_id: 663790000102006,
      buyer_id: 100112802006,
      seller_id: 1000143772,
      status_update_time: 1626767698,
      ...data,
    },
  };
}

describe('Lazada verify', () => {
  test('a correctly signed push verifies and normalizes', () => {
    expect(lazada.verify(RAW, { authorization: sign(RAW) }, secrets)).toEqual({ ok: true });
    const event = one(lazada.normalize(JSON.parse(RAW.toString('utf8'))));
    expect(event).toEqual({
      platform: Platform.LAZADA,
      shopId: '200012345',
      externalOrderId: '880001112223334',
      rawStatus: 'ready_to_ship',
      status: S.READY_TO_SHIP,
      flags: { rework: false },
      revert: false,
      refetch: false,
      eventTime: new Date(1717999990 * 1000),
      eventKey: 'lz:200012345:880001112223335:ready_to_ship:1717999990',
      kind: 'order',
    });
  });

  test('the header name and the hex case do not matter', () => {
    expect(lazada.verify(RAW, { Authorization: sign(RAW).toUpperCase() }, secrets)).toEqual({
      ok: true,
    });
  });

  test('one changed byte in the buyer name fails', () => {
    const forged = tamper(RAW, 'ễ');
    expect(forged.toString('utf8')).toContain('Nguyện');
    expect(lazada.verify(forged, { authorization: sign(RAW) }, secrets)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
  });

  test('re-serialized JSON fails: only the raw bytes are signed', () => {
    const again = reserialize(RAW);
    expect(again.equals(RAW)).toBe(false);
    expect(lazada.verify(again, { authorization: sign(RAW) }, secrets)).toMatchObject({
      ok: false,
    });
  });

  test('a body with escaped unicode verifies as sent, not as decoded', () => {
    const escaped = Buffer.from(
      RAW.toString('utf8').replace(BUYER, 'Nguy\\u1ec5n Th\\u1ecb Lan'),
      'utf8',
    );
    expect(JSON.parse(escaped.toString('utf8'))).toEqual(JSON.parse(RAW.toString('utf8')));
    expect(lazada.verify(escaped, { authorization: sign(escaped) }, secrets)).toEqual({ ok: true });
    expect(lazada.verify(escaped, { authorization: sign(RAW) }, secrets)).toMatchObject({
      ok: false,
    });
  });

  test('the app key is part of the signed message', () => {
    const withoutKey = hmacSha256Hex(APP_SECRET, RAW);
    expect(lazada.verify(RAW, { authorization: withoutKey }, secrets)).toMatchObject({ ok: false });
  });

  test.each([
    [{}, /missing Authorization/],
    [{ authorization: '' }, /missing Authorization/],
    [{ authorization: 'not-a-signature' }, /malformed Authorization/],
    [{ authorization: `Bearer ${'a'.repeat(64)}` }, /malformed Authorization/],
    [{ authorization: 'ab'.repeat(20) }, /malformed Authorization/],
    [{ authorization: 'zz'.repeat(32) }, /malformed Authorization/],
  ])('missing or garbled signature %j fails with a reason', (headers, reason) => {
    const result = lazada.verify(RAW, headers, secrets);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  test('missing secrets fail with a reason', () => {
    expect(lazada.verify(RAW, { authorization: sign(RAW) }, { appSecret: APP_SECRET })).toEqual({
      ok: false,
      reason: 'Lazada appKey and appSecret are not configured',
    });
  });
});

describe('Lazada normalize', () => {
  // platforms.md 9.2, copied by hand: [raw, normalized, flags set].
  const ORDER_ROWS: [string, OrderStatus, string[]][] = [
    ['unpaid', S.PENDING_PAYMENT, []],
    ['pending', S.CONFIRMED, []],
    ['topack', S.CONFIRMED, []],
    ['repacked', S.CONFIRMED, ['rework']],
    ['packed', S.PACKED, []],
    ['toship', S.PACKED, []],
    ['ready_to_ship_pending', S.READY_TO_SHIP, []],
    ['ready_to_ship', S.READY_TO_SHIP, []],
    ['shipping', S.SHIPPED, []],
    ['shipped', S.SHIPPED, []],
    ['delivered', S.DELIVERED, []],
    ['failed', S.FAILED, []],
    ['failed_delivery', S.FAILED, []],
    ['lost', S.FAILED, []],
    ['lost_by_3pl', S.FAILED, []],
    ['damaged_by_3pl', S.FAILED, []],
    ['package_scrapped', S.FAILED, []],
    ['shipped_back', S.FAILED, []],
    ['shipped_back_failed', S.FAILED, []],
    ['shipped_back_success', S.RETURNED, []],
    ['returned', S.RETURNED, []],
    ['canceled', S.CANCELLED, []],
  ];

  const REVERSE_ROWS: [string, OrderStatus | null, string[], boolean, 'cancel' | 'return'][] = [
    ['CANCEL_INIT', null, ['cancelRequested'], false, 'cancel'],
    ['CANCEL_SUCCESS', S.CANCELLED, [], false, 'cancel'],
    ['CANCEL_REFUND_ISSUED', S.CANCELLED, [], false, 'cancel'],
    ['RTM_INIT', S.RETURN_REQUESTED, [], false, 'return'],
    ['RTW_INIT', S.RETURN_REQUESTED, [], false, 'return'],
    ['REFUND_INIT', S.RETURN_REQUESTED, [], false, 'return'],
    ['RTM_SHIPPING_BACK', S.RETURN_REQUESTED, [], false, 'return'],
    ['RTW_SHIPPING_BACK', S.RETURN_REQUESTED, [], false, 'return'],
    ['REFUND_PENDING', S.RETURN_REQUESTED, [], false, 'return'],
    ['RTM_RECEIVE_ITEM', S.RETURNED, [], false, 'return'],
    ['RTW_REFUND_PENDING', S.RETURNED, [], false, 'return'],
    ['REFUND_SUCCESS', S.RETURNED, [], false, 'return'],
    ['RTM_CANCELED', S.DELIVERED, [], true, 'return'],
    ['RTW_CANCELED', S.DELIVERED, [], true, 'return'],
    ['RTW_REJECT', S.DELIVERED, [], true, 'return'],
    ['REFUND_REJECTED', S.DELIVERED, [], true, 'return'],
  ];

  test('the tables have exactly the documented rows', () => {
    expect(Object.keys(LAZADA_ORDER_STATUSES.rows).sort()).toEqual(
      ORDER_ROWS.map(([raw]) => raw).sort(),
    );
    expect(Object.keys(LAZADA_REVERSE_STATUSES.rows).sort()).toEqual(
      REVERSE_ROWS.map(([raw]) => raw).sort(),
    );
  });

  test.each(ORDER_ROWS)('order_status %s -> %s %j', (raw, status, flags) => {
    const event = one(lazada.normalize(tradePush({ order_status: raw })));
    expect(event.rawStatus).toBe(raw);
    expect(event.status).toBe(status);
    expect(setFlags(event.flags)).toEqual(flags);
    expect(event.revert).toBe(false);
    expect(event.kind).toBe('order');
  });

  test.each(REVERSE_ROWS)(
    'reverse_status %s -> %s %j revert=%s (%s)',
    (raw, status, flags, revert, kind) => {
      const event = one(lazada.normalize(reversePush({ reverse_status: raw })));
      expect(event.status).toBe(status);
      expect(setFlags(event.flags)).toEqual(flags);
      expect(event.revert).toBe(revert);
      expect(event.kind).toBe(kind);
      expect(event.externalOrderId).toBe('416557324702006');
    },
  );

  test('a flag set by one status is cleared by the next status of the same field', () => {
    expect(one(lazada.normalize(tradePush({ order_status: 'repacked' }))).flags).toEqual({
      rework: true,
    });
    expect(one(lazada.normalize(tradePush({ order_status: 'packed' }))).flags).toEqual({
      rework: false,
    });
    expect(one(lazada.normalize(reversePush({ reverse_status: 'CANCEL_SUCCESS' }))).flags).toEqual({
      cancelRequested: false,
    });
  });

  test('the reverse push key and numeric ids', () => {
    const event = one(lazada.normalize(reversePush({ reverse_status: 'RTM_INIT' })));
    expect(event.eventKey).toBe('lz-rev:663790000102006:RTM_INIT:1626767698');
    expect(event.shopId).toBe('200012345');
  });

  test('a type-0 push after a refund is still an order event', () => {
    const event = one(
      lazada.normalize(
        tradePush({
          order_status: 'returned',
          reverse_order_id: '501977696648153',
          reverse_order_line_id: '502491640048153',
        }),
      ),
    );
    expect(event).toMatchObject({ status: S.RETURNED, kind: 'order' });
  });

  test('seller_id given as a number becomes a string', () => {
    const event = one(
      lazada.normalize(tradePush({ order_status: 'packed' }, { seller_id: 200012345 })),
    );
    expect(event.shopId).toBe('200012345');
  });

  describe('timestamps', () => {
    test('status_update_time in seconds', () => {
      const event = one(lazada.normalize(tradePush({ order_status: 'packed' })));
      expect(event.eventTime.toISOString()).toBe('2024-06-10T06:13:10.000Z');
    });

    test('status_update_time in milliseconds', () => {
      const event = one(
        lazada.normalize(tradePush({ order_status: 'packed', status_update_time: 1717999990456 })),
      );
      expect(event.eventTime.toISOString()).toBe('2024-06-10T06:13:10.456Z');
      expect(event.eventKey).toBe('lz:200012345:880001112223335:packed:1717999990456');
    });

    test('a quoted number is read too', () => {
      const event = one(
        lazada.normalize(tradePush({ order_status: 'packed', status_update_time: '1717999990' })),
      );
      expect(event.eventTime.getTime()).toBe(1717999990000);
    });

    test('without status_update_time the envelope timestamp (ms) stands in', () => {
      const event = one(
        lazada.normalize(tradePush({ order_status: 'packed', status_update_time: undefined })),
      );
      expect(event.eventTime.getTime()).toBe(1718000000123);
      expect(event.eventKey).toBe('lz:200012345:880001112223335:packed:1718000000123');
    });
  });

  test.each([2, 8, 19, 3])('message_type %s is not an order event', (type) => {
    expect(lazada.normalize({ seller_id: 1, message_type: type, data: {} })).toEqual([]);
  });

  test('an unknown status throws a PayloadError naming it', () => {
    expect(() => lazada.normalize(tradePush({ order_status: 'teleported' }))).toThrow(
      new PayloadError('Lazada order_status: unknown status "teleported"'),
    );
    expect(() => lazada.normalize(reversePush({ reverse_status: 'RTX_INIT' }))).toThrow(
      /unknown status "RTX_INIT"/,
    );
  });

  test('prototype keys are not statuses', () => {
    expect(() => lazada.normalize(tradePush({ order_status: 'constructor' }))).toThrow(
      PayloadError,
    );
  });

  test.each([
    ['not an object', 'hello', /Lazada push is not a JSON object/],
    ['no message_type', { seller_id: '1', data: {} }, /message_type/],
    ['no data', { seller_id: '1', message_type: 0 }, /Lazada push data is not a JSON object/],
    [
      'no order id',
      tradePush({ order_status: 'packed', trade_order_id: undefined }),
      /trade_order_id/,
    ],
    [
      'an id beyond 2^53',
      tradePush({ order_status: 'packed', trade_order_id: 2 ** 60 }),
      /exact id/,
    ],
    [
      'no time at all',
      tradePush(
        { order_status: 'packed', status_update_time: undefined },
        { timestamp: undefined },
      ),
      /status_update_time/,
    ],
  ])('a push with %s throws a PayloadError', (_name, payload, message) => {
    expect(() => lazada.normalize(payload)).toThrow(PayloadError);
    expect(() => lazada.normalize(payload)).toThrow(message);
  });
});
