import { OrderStatus, Platform } from '../../src/entities/enums';
import { SENDO_ORDER_STATUSES, sendo } from '../../src/integrations/sendo';
import { PayloadError } from '../../src/integrations/types';
import { BUYER, one, reserialize, setFlags, tamper } from './helpers';

const S = OrderStatus;
const SHOP_KEY = 'b1d6f00dcafe4a2e9c7d';
const secrets = { shopKey: SHOP_KEY, storeId: '808516' };

const RAW = Buffer.from(
  `{"type":"SALESORDER.CREATE","store_id":808516,"shop_key":"${SHOP_KEY}",` +
    `"data":{"order_number":"142873645429","store_id":808516,"order_status":2,"payment_status":1,` +
    `"updated_date_time_stamp":1718000000,"order_date_time_stamp":1717990000,` +
    `"receiver_name":"${BUYER}","buyer_address":"12 Lê Lợi, Quận 1"}}`,
  'utf8',
);

function createPush(order: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  return {
    type: 'SALESORDER.CREATE',
    store_id: 808516,
    shop_key: SHOP_KEY,
    ...envelope,
    data: {
      order_number: '142873645429',
      store_id: 808516,
      updated_date_time_stamp: 1718000000,
      ...order,
    },
  };
}

describe('Sendo verify (shop key, not a signature)', () => {
  test('a push with the channel shop key verifies and normalizes, marked for refetch', () => {
    expect(sendo.verify(RAW, {}, secrets)).toEqual({ ok: true });
    expect(one(sendo.normalize(JSON.parse(RAW.toString('utf8'))))).toEqual({
      platform: Platform.SENDO,
      shopId: '808516',
      externalOrderId: '142873645429',
      rawStatus: '2',
      status: S.CONFIRMED,
      flags: { delayed: false, structuralChange: false },
      revert: false,
      refetch: true,
      eventTime: new Date(1718000000 * 1000),
      eventKey: 'sd:808516:SALESORDER.CREATE:142873645429:2:1718000000',
      kind: 'order',
    });
  });

  test('one changed byte in the shop key fails', () => {
    expect(sendo.verify(tamper(RAW, SHOP_KEY), {}, secrets)).toEqual({
      ok: false,
      reason: 'shop_key does not match',
    });
  });

  test('nothing else is protected: a changed buyer name or re-serialized body still passes', () => {
    // Why every Sendo event carries refetch: true.
    expect(sendo.verify(tamper(RAW, 'ễ'), {}, secrets)).toEqual({ ok: true });
    expect(sendo.verify(reserialize(RAW), {}, secrets)).toEqual({ ok: true });
  });

  test.each([
    [
      'another shop key',
      createPush({ order_status: 2 }, { shop_key: 'a'.repeat(20) }),
      /does not match/,
    ],
    ['a shorter shop key', createPush({ order_status: 2 }, { shop_key: 'b1d6' }), /does not match/],
    ['no shop key', createPush({ order_status: 2 }, { shop_key: undefined }), /no shop_key/],
    ['a numeric shop key', createPush({ order_status: 2 }, { shop_key: 12345 }), /no shop_key/],
    [
      'another store',
      createPush({ order_status: 2 }, { store_id: 999 }),
      /store_id does not match/,
    ],
  ])('a push with %s fails with a reason', (_name, body, reason) => {
    const result = sendo.verify(Buffer.from(JSON.stringify(body), 'utf8'), {}, secrets);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  test('store_id is only compared when both sides have one', () => {
    const noStore = Buffer.from(JSON.stringify(createPush({}, { store_id: undefined })), 'utf8');
    expect(sendo.verify(noStore, {}, secrets)).toEqual({ ok: true });
    expect(sendo.verify(RAW, {}, { shopKey: SHOP_KEY })).toEqual({ ok: true });
  });

  test('garbage bodies and missing configuration fail with a reason', () => {
    expect(sendo.verify(Buffer.from('shop_key=abc'), {}, secrets)).toEqual({
      ok: false,
      reason: 'body is not JSON',
    });
    expect(sendo.verify(Buffer.from('[1]'), {}, secrets)).toEqual({
      ok: false,
      reason: 'body is not a JSON object',
    });
    expect(sendo.verify(RAW, {}, {})).toEqual({
      ok: false,
      reason: 'Sendo shopKey is not configured',
    });
  });
});

describe('Sendo normalize', () => {
  const ROWS: [number, OrderStatus | null, string[]][] = [
    [23, S.PENDING_PAYMENT, []],
    [2, S.CONFIRMED, []],
    [3, S.CONFIRMED, []],
    [6, S.SHIPPED, []],
    [7, S.DELIVERED, []],
    [8, S.COMPLETED, []],
    [10, S.COMPLETED, []],
    [13, S.CANCELLED, []],
    [21, S.RETURN_REQUESTED, []],
    [22, S.RETURNED, []],
    [11, null, ['delayed']],
    [12, null, ['delayed']],
    [14, null, ['structuralChange']],
    [15, null, ['structuralChange']],
    [19, null, ['structuralChange']],
  ];

  test('the table has exactly the documented rows', () => {
    expect(Object.keys(SENDO_ORDER_STATUSES.rows).sort()).toEqual(
      ROWS.map(([code]) => String(code)).sort(),
    );
  });

  test.each(ROWS)('order_status %s -> %s %j', (code, status, flags) => {
    const event = one(sendo.normalize(createPush({ order_status: code })));
    expect(event.rawStatus).toBe(String(code));
    expect(event.status).toBe(status);
    expect(setFlags(event.flags)).toEqual(flags);
    expect(event.revert).toBe(false);
    expect(event.refetch).toBe(true);
  });

  test('a quoted status code is read too', () => {
    expect(one(sendo.normalize(createPush({ order_status: '6' }))).status).toBe(S.SHIPPED);
  });

  test('SALESORDER.UPDATE with order_action CANCEL is a cancel event', () => {
    const push = {
      type: 'SALESORDER.UPDATE',
      store_id: 808516,
      shop_key: SHOP_KEY,
      data: {
        order_action: 'CANCEL',
        order_number: '142873645429',
        data: {
          order_number: '142873645429',
          cancel_by: 'Nguyễn Thị Lan',
          order_status: 13,
          reason_cancel_code: 'CBS1',
          cancel_reason: 'Đổi ý, không mua nữa',
          cancel_date_timestamp: 1718000300,
        },
      },
    };
    expect(one(sendo.normalize(push))).toMatchObject({
      status: S.CANCELLED,
      kind: 'cancel',
      eventTime: new Date(1718000300 * 1000),
      eventKey: 'sd:808516:SALESORDER.UPDATE:142873645429:13:1718000300',
    });
  });

  test('an UPDATE without a store id anywhere cannot be keyed', () => {
    const push = {
      type: 'SALESORDER.UPDATE',
      shop_key: SHOP_KEY,
      data: {
        order_action: 'CANCEL',
        order_number: '1',
        data: { order_status: 13, cancel_date_timestamp: 1 },
      },
    };
    expect(() => sendo.normalize(push)).toThrow(/store_id/);
  });

  test.each([
    [
      'UNLOCK',
      {
        type: 'SALESORDER.UPDATE',
        shop_key: SHOP_KEY,
        data: { order_action: 'UNLOCK', order_number: '1', data: { can_action: true } },
      },
    ],
    [
      'a product push',
      { type: 'PRODUCT.UPDATE', store_id: 1, shop_key: SHOP_KEY, data: { id: 1 } },
    ],
  ])('%s is not an order status event', (_name, push) => {
    expect(sendo.normalize(push)).toEqual([]);
  });

  describe('timestamps', () => {
    test('seconds, milliseconds, and the order date as a fallback', () => {
      const ms = one(
        sendo.normalize(createPush({ order_status: 3, updated_date_time_stamp: 1718000000999 })),
      );
      expect(ms.eventTime.getTime()).toBe(1718000000999);
      const fallback = one(
        sendo.normalize(
          createPush({
            order_status: 3,
            updated_date_time_stamp: undefined,
            order_date_time_stamp: 1717990000,
          }),
        ),
      );
      expect(fallback.eventTime.getTime()).toBe(1717990000000);
      expect(fallback.eventKey).toBe('sd:808516:SALESORDER.CREATE:142873645429:3:1717990000');
    });

    test('no time at all is a PayloadError', () => {
      expect(() =>
        sendo.normalize(createPush({ order_status: 3, updated_date_time_stamp: undefined })),
      ).toThrow(
        new PayloadError(
          'Sendo push: no updated_date_time_stamp or order_date_time_stamp in the order',
        ),
      );
    });
  });

  test('unknown codes and unreadable pushes throw PayloadError', () => {
    expect(() => sendo.normalize(createPush({ order_status: 99 }))).toThrow(
      new PayloadError('Sendo order_status: unknown status "99"'),
    );
    expect(() => sendo.normalize(createPush({ order_status: 'new' }))).toThrow(/order_status/);
    expect(() => sendo.normalize({ store_id: 1, data: {} })).toThrow(/type/);
  });
});
