import { OrderStatus, Platform } from '../../src/entities/enums';
import {
  SHOPEE_ORDER_STATUSES,
  SHOPEE_RETURN_STATUSES,
  mapShopeeReturnStatus,
  shopee,
} from '../../src/integrations/shopee';
import { PayloadError } from '../../src/integrations/types';
import { BUYER, hmacSha256Hex, one, reserialize, setFlags, tamper } from './helpers';

const S = OrderStatus;
const PARTNER_KEY = 'shpk-partner-key-7a1c';
const PUSH_URL = 'https://crm.example.vn/webhooks/shopee';
const secrets = { partnerKey: PARTNER_KEY, pushUrl: PUSH_URL };

const RAW = Buffer.from(
  `{"shop_id":987654,"code":3,"timestamp":1718000000,` +
    `"data":{"ordersn":"240610ABCDEF12","status":"PROCESSED","update_time":1717999995,` +
    `"items":[],"buyer_username":"${BUYER}"}}`,
  'utf8',
);

const sign = (body: Buffer, url = PUSH_URL) => hmacSha256Hex(PARTNER_KEY, `${url}|`, body);

function orderPush(data: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  return {
    shop_id: 987654,
    code: 3,
    timestamp: 1718000000,
    ...envelope,
    data: { ordersn: '240610ABCDEF12', update_time: 1717999995, items: [], ...data },
  };
}

describe('Shopee verify', () => {
  test('a correctly signed push verifies and normalizes', () => {
    expect(shopee.verify(RAW, { authorization: sign(RAW) }, secrets)).toEqual({ ok: true });
    expect(one(shopee.normalize(JSON.parse(RAW.toString('utf8'))))).toEqual({
      platform: Platform.SHOPEE,
      shopId: '987654',
      externalOrderId: '240610ABCDEF12',
      rawStatus: 'PROCESSED',
      status: S.READY_TO_SHIP,
      flags: { cancelRequested: false, pickupRetry: false },
      revert: false,
      refetch: false,
      eventTime: new Date(1717999995 * 1000),
      eventKey: 'sp:987654:3:240610ABCDEF12:PROCESSED:1717999995',
      kind: 'order',
    });
  });

  test('one changed byte in the buyer name fails', () => {
    expect(shopee.verify(tamper(RAW, 'ễ'), { authorization: sign(RAW) }, secrets)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
  });

  test('pretty-printed JSON re-serialized by middleware fails', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(RAW.toString('utf8')), null, 2), 'utf8');
    const again = reserialize(pretty);
    expect(again.equals(pretty)).toBe(false);
    expect(shopee.verify(pretty, { authorization: sign(pretty) }, secrets)).toEqual({ ok: true });
    expect(shopee.verify(again, { authorization: sign(pretty) }, secrets)).toMatchObject({
      ok: false,
    });
  });

  test('the URL is signed: body-only HMAC and a different URL both fail', () => {
    const bodyOnly = hmacSha256Hex(PARTNER_KEY, RAW);
    expect(shopee.verify(RAW, { authorization: bodyOnly }, secrets)).toMatchObject({ ok: false });
    const slash = sign(RAW, `${PUSH_URL}/`);
    expect(shopee.verify(RAW, { authorization: slash }, secrets)).toMatchObject({ ok: false });
  });

  test('the registered pushUrl wins over the request URL', () => {
    const viaProxy = 'http://10.0.0.7:8080/webhooks/shopee';
    expect(shopee.verify(RAW, { authorization: sign(RAW) }, secrets, viaProxy)).toEqual({
      ok: true,
    });
  });

  test('without a configured pushUrl the request URL is used', () => {
    const onlyKey = { partnerKey: PARTNER_KEY };
    expect(shopee.verify(RAW, { authorization: sign(RAW) }, onlyKey, PUSH_URL)).toEqual({
      ok: true,
    });
    expect(shopee.verify(RAW, { authorization: sign(RAW) }, onlyKey)).toEqual({
      ok: false,
      reason: 'Shopee pushUrl is not configured and no request URL was given',
    });
  });

  test.each([
    [{}, /missing Authorization/],
    [{ authorization: '   ' }, /missing Authorization/],
    [{ authorization: 'sha256=abc' }, /malformed Authorization/],
    [{ authorization: `${'0'.repeat(64)}0` }, /malformed Authorization/],
  ])('missing or garbled signature %j fails with a reason', (headers, reason) => {
    const result = shopee.verify(RAW, headers, secrets);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  test('a missing partner key fails with a reason', () => {
    expect(shopee.verify(RAW, { authorization: sign(RAW) }, { pushUrl: PUSH_URL })).toEqual({
      ok: false,
      reason: 'Shopee partnerKey is not configured',
    });
  });
});

describe('Shopee normalize', () => {
  const ORDER_ROWS: [string, OrderStatus | null, string[]][] = [
    ['UNPAID', S.PENDING_PAYMENT, []],
    ['PENDING', S.PENDING_PAYMENT, []],
    ['READY_TO_SHIP', S.CONFIRMED, []],
    ['INVOICE_PENDING', S.CONFIRMED, []],
    ['PROCESSED', S.READY_TO_SHIP, []],
    ['RETRY_SHIP', S.READY_TO_SHIP, ['pickupRetry']],
    ['SHIPPED', S.SHIPPED, []],
    ['TO_CONFIRM_RECEIVE', S.DELIVERED, []],
    ['COMPLETED', S.COMPLETED, []],
    ['IN_CANCEL', null, ['cancelRequested']],
    ['CANCELLED', S.CANCELLED, []],
    ['TO_RETURN', S.RETURN_REQUESTED, []],
  ];

  test('the order table has exactly the documented rows', () => {
    expect(Object.keys(SHOPEE_ORDER_STATUSES.rows).sort()).toEqual(
      ORDER_ROWS.map(([raw]) => raw).sort(),
    );
  });

  test.each(ORDER_ROWS)('status %s -> %s %j', (raw, status, flags) => {
    const event = one(shopee.normalize(orderPush({ status: raw })));
    expect(event.status).toBe(status);
    expect(setFlags(event.flags)).toEqual(flags);
    expect(event.revert).toBe(false);
    expect(event.rawStatus).toBe(raw);
  });

  test('IN_CANCEL only sets a flag; the next status clears it', () => {
    expect(one(shopee.normalize(orderPush({ status: 'IN_CANCEL' })))).toMatchObject({
      status: null,
      flags: { cancelRequested: true, pickupRetry: false },
    });
    expect(one(shopee.normalize(orderPush({ status: 'READY_TO_SHIP' }))).flags).toEqual({
      cancelRequested: false,
      pickupRetry: false,
    });
  });

  test.each([
    ['REQUESTED', S.RETURN_REQUESTED, false, false],
    ['ACCEPTED', S.RETURN_REQUESTED, false, false],
    ['JUDGING', S.RETURN_REQUESTED, false, false],
    ['PROCESSING', S.RETURN_REQUESTED, false, false],
    ['SELLER_DISPUTE', S.RETURN_REQUESTED, false, false],
    ['CANCELLED', S.DELIVERED, true, false],
    ['CLOSED', null, false, true],
  ])('return status %s -> %s revert=%s refetch=%s', (raw, status, revert, refetch) => {
    expect(mapShopeeReturnStatus(raw)).toEqual({ status, flags: {}, revert, refetch });
  });

  test('the return table has no other rows, and unknown return statuses throw', () => {
    expect(Object.keys(SHOPEE_RETURN_STATUSES.rows)).toHaveLength(7);
    expect(() => mapShopeeReturnStatus('REFUNDED')).toThrow(/unknown status "REFUNDED"/);
  });

  test.each([
    [
      'the URL verification message',
      { code: 0, data: { verify_info: 'This is a Verification message' } },
    ],
    ['shop authorization (no shop_id)', { code: 1, timestamp: 1718000000, data: {} }],
    ['tracking number', { shop_id: 1, code: 4, timestamp: 1718000000, data: { ordersn: 'X' } }],
    ['webchat', { shop_id: 1, code: 10, timestamp: 1718000000, data: { content: 'Chào shop' } }],
    ['authorization expiry', { code: 12, timestamp: 1718000000, data: {} }],
  ])('%s is not an order event', (_name, payload) => {
    expect(shopee.normalize(payload)).toEqual([]);
  });

  describe('timestamps', () => {
    test('update_time in seconds, then milliseconds', () => {
      expect(one(shopee.normalize(orderPush({ status: 'SHIPPED' }))).eventTime.getTime()).toBe(
        1717999995000,
      );
      const ms = one(
        shopee.normalize(orderPush({ status: 'SHIPPED', update_time: 1717999995789 })),
      );
      expect(ms.eventTime.getTime()).toBe(1717999995789);
    });

    test('without update_time the envelope timestamp stands in', () => {
      const event = one(shopee.normalize(orderPush({ status: 'SHIPPED', update_time: undefined })));
      expect(event.eventTime.getTime()).toBe(1718000000000);
      expect(event.eventKey).toBe('sp:987654:3:240610ABCDEF12:SHIPPED:1718000000');
    });
  });

  test('unknown statuses and unreadable pushes throw PayloadError', () => {
    expect(() => shopee.normalize(orderPush({ status: 'LOST_IN_SPACE' }))).toThrow(
      new PayloadError('Shopee order status: unknown status "LOST_IN_SPACE"'),
    );
    expect(() =>
      shopee.normalize(orderPush({ status: 'SHIPPED' }, { shop_id: undefined })),
    ).toThrow(/shop_id/);
    expect(() => shopee.normalize(orderPush({ status: undefined }))).toThrow(/data.status/);
    expect(() => shopee.normalize([])).toThrow(PayloadError);
  });
});
