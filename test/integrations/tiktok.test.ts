import { OrderStatus, Platform } from '../../src/entities/enums';
import {
  TIKTOK_CANCEL_STATUSES,
  TIKTOK_ORDER_STATUSES,
  TIKTOK_RETURN_STATUSES,
  tiktok,
} from '../../src/integrations/tiktok';
import { PayloadError } from '../../src/integrations/types';
import { BUYER, hmacSha256Hex, one, reserialize, setFlags, tamper } from './helpers';

const S = OrderStatus;
const APP_KEY = '6a1b2c3d4e5f';
const APP_SECRET = 'tts-app-secret-91d0';
const secrets = { appKey: APP_KEY, appSecret: APP_SECRET };

const RAW = Buffer.from(
  `{"type":1,"tts_notification_id":"7400000000000000001","shop_id":"7490000000000000001",` +
    `"timestamp":1718000000,"data":{"order_id":"576400000000000001",` +
    `"order_status":"AWAITING_COLLECTION","is_on_hold_order":false,"update_time":1717999998,` +
    `"recipient_name":"${BUYER}"}}`,
  'utf8',
);

const sign = (body: Buffer) => hmacSha256Hex(APP_SECRET, APP_KEY, body);

function push(type: number, data: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  return {
    type,
    tts_notification_id: '7327112393057371910',
    shop_id: '7494049642642441621',
    timestamp: 1644412885,
    ...envelope,
    data: { order_id: '576486316948490001', ...data },
  };
}

describe('TikTok Shop verify', () => {
  test('a correctly signed push verifies and normalizes', () => {
    expect(tiktok.verify(RAW, { authorization: sign(RAW) }, secrets)).toEqual({ ok: true });
    expect(one(tiktok.normalize(JSON.parse(RAW.toString('utf8'))))).toEqual({
      platform: Platform.TIKTOK,
      shopId: '7490000000000000001',
      externalOrderId: '576400000000000001',
      rawStatus: 'AWAITING_COLLECTION',
      status: S.READY_TO_SHIP,
      flags: { onHold: false, partial: false },
      revert: false,
      refetch: false,
      eventTime: new Date(1717999998 * 1000),
      eventKey: 'tt:7490000000000000001:1:576400000000000001:AWAITING_COLLECTION:1717999998',
      kind: 'order',
    });
  });

  test('one changed byte in the recipient name fails', () => {
    expect(tiktok.verify(tamper(RAW, 'ễ'), { authorization: sign(RAW) }, secrets)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
  });

  test('escaped-unicode bodies must not be decoded before hashing', () => {
    const escaped = Buffer.from(RAW.toString('utf8').replace('ễ', '\\u1ec5'), 'utf8');
    const again = reserialize(escaped);
    expect(again.equals(escaped)).toBe(false);
    expect(tiktok.verify(escaped, { authorization: sign(escaped) }, secrets)).toEqual({ ok: true });
    expect(tiktok.verify(again, { authorization: sign(escaped) }, secrets)).toMatchObject({
      ok: false,
    });
  });

  test('a signature made with another app secret fails', () => {
    const other = hmacSha256Hex('another-secret', APP_KEY, RAW);
    expect(tiktok.verify(RAW, { authorization: other }, secrets)).toMatchObject({ ok: false });
  });

  test.each([
    [{}, /missing Authorization/],
    [{ authorization: 't=1718000000,s=abcdef' }, /malformed Authorization/],
    [{ 'x-tiktok-signature': 'a'.repeat(64) }, /missing Authorization/],
  ])('missing or garbled signature %j fails with a reason', (headers, reason) => {
    const result = tiktok.verify(RAW, headers, secrets);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  test('missing secrets fail with a reason', () => {
    expect(tiktok.verify(RAW, { authorization: sign(RAW) }, { appKey: APP_KEY })).toEqual({
      ok: false,
      reason: 'TikTok Shop appKey and appSecret are not configured',
    });
  });
});

describe('TikTok Shop normalize', () => {
  const ORDER_ROWS: [string, OrderStatus, string[]][] = [
    ['UNPAID', S.PENDING_PAYMENT, []],
    ['ON_HOLD', S.CONFIRMED, ['onHold']],
    ['AWAITING_SHIPMENT', S.CONFIRMED, []],
    ['AWAITING_COLLECTION', S.READY_TO_SHIP, []],
    ['PARTIALLY_SHIPPING', S.SHIPPED, ['partial']],
    ['IN_TRANSIT', S.SHIPPED, []],
    ['DELIVERED', S.DELIVERED, []],
    ['COMPLETED', S.COMPLETED, []],
    ['CANCELLED', S.CANCELLED, []],
    ['CANCEL', S.CANCELLED, []],
  ];

  const CANCEL_ROWS: [string, OrderStatus | null, Record<string, boolean>][] = [
    ['CANCELLATION_REQUEST_PENDING', null, { cancelRequested: true }],
    ['CANCELLATION_REQUEST_SUCCESS', S.CANCELLED, { cancelRequested: false }],
    ['CANCELLATION_REQUEST_COMPLETE', S.CANCELLED, { cancelRequested: false }],
    ['CANCELLATION_REQUEST_CANCELLED', null, { cancelRequested: false }],
  ];

  const RETURN_ROWS: [string, OrderStatus, boolean][] = [
    ['RETURN_OR_REFUND_REQUEST_PENDING', S.RETURN_REQUESTED, false],
    ['AWAITING_BUYER_SHIP', S.RETURN_REQUESTED, false],
    ['BUYER_SHIPPED_ITEM', S.RETURN_REQUESTED, false],
    ['REPLACEMENT_REQUEST_PENDING', S.RETURN_REQUESTED, false],
    ['RETURN_OR_REFUND_REQUEST_SUCCESS', S.RETURNED, false],
    ['RETURN_OR_REFUND_REQUEST_COMPLETE', S.RETURNED, false],
    ['REPLACEMENT_REQUEST_REFUND_SUCCESS', S.RETURNED, false],
    ['REFUND_OR_RETURN_REQUEST_REJECT', S.DELIVERED, true],
    ['REPLACEMENT_REQUEST_REJECT', S.DELIVERED, true],
    ['RETURN_OR_REFUND_REQUEST_CANCEL', S.DELIVERED, true],
    ['REPLACEMENT_REQUEST_CANCEL', S.DELIVERED, true],
    ['REJECT_RECEIVE_PACKAGE', S.DELIVERED, true],
    ['REPLACEMENT_REQUEST_COMPLETE', S.DELIVERED, true],
  ];

  test('the tables have exactly the documented rows', () => {
    const keys = (rows: readonly (readonly unknown[])[]) =>
      rows.map((row) => String(row[0])).sort();
    expect(Object.keys(TIKTOK_ORDER_STATUSES.rows).sort()).toEqual(keys(ORDER_ROWS));
    expect(Object.keys(TIKTOK_CANCEL_STATUSES.rows).sort()).toEqual(keys(CANCEL_ROWS));
    expect(Object.keys(TIKTOK_RETURN_STATUSES.rows).sort()).toEqual(keys(RETURN_ROWS));
  });

  test.each(ORDER_ROWS)('type 1 order_status %s -> %s %j', (raw, status, flags) => {
    const event = one(tiktok.normalize(push(1, { order_status: raw, update_time: 1644412885 })));
    expect(event.status).toBe(status);
    expect(setFlags(event.flags)).toEqual(flags);
    expect(event.kind).toBe('order');
    expect(event.revert).toBe(false);
  });

  test('ON_HOLD ends when the order moves on, whatever is_on_hold_order says', () => {
    // is_on_hold_order means "has been or will be on hold", not "is on hold now".
    const next = push(1, {
      order_status: 'AWAITING_SHIPMENT',
      is_on_hold_order: true,
      update_time: 1644412885,
    });
    expect(one(tiktok.normalize(next)).flags).toEqual({ onHold: false, partial: false });
  });

  test.each(CANCEL_ROWS)('type 11 cancel_status %s -> %s %j', (raw, status, flags) => {
    const event = one(
      tiktok.normalize(
        push(11, {
          cancellations_role: 'BUYER',
          cancel_status: raw,
          cancel_id: '4035318504086604100',
          create_time: 1627587600,
        }),
      ),
    );
    expect(event.status).toBe(status);
    expect(event.flags).toEqual(flags);
    expect(event.kind).toBe('cancel');
  });

  test.each(RETURN_ROWS)('type 12 return_status %s -> %s revert=%s', (raw, status, revert) => {
    const event = one(
      tiktok.normalize(
        push(12, {
          return_role: 'BUYER',
          return_type: 'REFUND',
          return_status: raw,
          return_id: '4035318504086604100',
          create_time: 1627587600,
          update_time: 1644412885,
        }),
      ),
    );
    expect(event.status).toBe(status);
    expect(event.revert).toBe(revert);
    expect(event.flags).toEqual({});
    expect(event.kind).toBe('return');
  });

  test('the doc-typo spelling of a return status is refused by name', () => {
    expect(() =>
      tiktok.normalize(
        push(12, { return_status: 'RETURN_OR_REFUND__REQUEST_CANCELLED', update_time: 1 }),
      ),
    ).toThrow(
      new PayloadError(
        'TikTok Shop return_status: unknown status "RETURN_OR_REFUND__REQUEST_CANCELLED"',
      ),
    );
  });

  describe('timestamps and keys', () => {
    test('update_time in seconds or milliseconds', () => {
      const s = one(
        tiktok.normalize(push(1, { order_status: 'IN_TRANSIT', update_time: 1644412885 })),
      );
      expect(s.eventTime.toISOString()).toBe('2022-02-09T13:21:25.000Z');
      const ms = one(
        tiktok.normalize(push(1, { order_status: 'IN_TRANSIT', update_time: 1644412885250 })),
      );
      expect(ms.eventTime.toISOString()).toBe('2022-02-09T13:21:25.250Z');
    });

    test('type 11 has no update_time: the notification time dates it, the cancel id versions the key', () => {
      const event = one(
        tiktok.normalize(
          push(11, {
            cancel_status: 'CANCELLATION_REQUEST_SUCCESS',
            cancel_id: '4035318504086604100',
            create_time: 1627587600,
          }),
        ),
      );
      expect(event.eventTime.getTime()).toBe(1644412885000);
      expect(event.eventKey).toBe(
        'tt:7494049642642441621:11:576486316948490001:CANCELLATION_REQUEST_SUCCESS:4035318504086604100',
      );
    });

    test('the key does not depend on tts_notification_id', () => {
      const a = push(1, { order_status: 'DELIVERED', update_time: 1644412885 });
      const b = push(
        1,
        { order_status: 'DELIVERED', update_time: 1644412885 },
        { tts_notification_id: '7327112393057379999', timestamp: 1644499999 },
      );
      expect(one(tiktok.normalize(a)).eventKey).toBe(one(tiktok.normalize(b)).eventKey);
      expect(one(tiktok.normalize(a)).eventKey).toBe(
        'tt:7494049642642441621:1:576486316948490001:DELIVERED:1644412885',
      );
    });
  });

  test.each([3, 4, 6, 7, 13, 14])('type %s is not an order event', (type) => {
    expect(tiktok.normalize(push(type, { conversation_id: 'c1' }))).toEqual([]);
  });

  test('unreadable pushes throw PayloadError', () => {
    expect(() => tiktok.normalize(push(1, { order_status: 'TELEPORTED', update_time: 1 }))).toThrow(
      /unknown status "TELEPORTED"/,
    );
    expect(() => tiktok.normalize(push(1, { order_status: undefined, update_time: 1 }))).toThrow(
      /order_status/,
    );
    // An unquoted id above 2^53 is already wrong once JSON.parse has read it.
    const unquoted: unknown = JSON.parse(
      '{"type":1,"shop_id":"1","timestamp":1,"data":{"order_id":576486316948490001,"order_status":"DELIVERED"}}',
    );
    expect(() => tiktok.normalize(unquoted)).toThrow(/exact id/);
    expect(() => tiktok.normalize({ type: 'one' })).toThrow(PayloadError);
  });
});
