import { OrderStatus, Platform } from '../../src/entities/enums';
import { TIKI_ORDER_STATUSES, tiki } from '../../src/integrations/tiki';
import { PayloadError } from '../../src/integrations/types';
import { BUYER, one, setFlags } from './helpers';

const S = OrderStatus;

function pulled(payload: unknown, envelope: Record<string, unknown> = {}) {
  return {
    id: 'a6f1c2d3-0001',
    type: 'ORDER_STATUS_UPDATED',
    seller_id: '112233',
    created_at: 1718000000,
    payload,
    ...envelope,
  };
}

describe('Tiki verify', () => {
  test('accepts: events are pulled over our own authenticated session, nothing is pushed', () => {
    const body = Buffer.from(
      JSON.stringify(pulled({ order_code: '239545064', status: 'picking' })),
    );
    expect(tiki.verify(body, {}, {})).toEqual({ ok: true });
  });
});

describe('Tiki normalize', () => {
  test('a pulled order event normalizes', () => {
    const event = one(
      tiki.normalize(
        pulled({ order_code: '239545064', status: 'handover_to_partner', customer: BUYER }),
      ),
    );
    expect(event).toEqual({
      platform: Platform.TIKI,
      shopId: '112233',
      externalOrderId: '239545064',
      rawStatus: 'handover_to_partner',
      status: S.SHIPPED,
      flags: { onHold: false },
      revert: false,
      refetch: false,
      eventTime: new Date(1718000000 * 1000),
      eventKey: 'tk:evt:a6f1c2d3-0001',
      kind: 'order',
    });
  });

  const ROWS: [string, OrderStatus | null, string[], boolean][] = [
    ['waiting_payment', S.PENDING_PAYMENT, [], false],
    ['payment_review', S.PENDING_PAYMENT, [], false],
    ['processing', S.PENDING_PAYMENT, [], false],
    ['paid', S.PENDING_PAYMENT, [], false],
    ['queueing', S.CONFIRMED, [], false],
    ['packaging', S.CONFIRMED, [], false],
    ['finished_packing', S.PACKED, [], false],
    ['ready_to_ship', S.READY_TO_SHIP, [], false],
    ['picking', S.READY_TO_SHIP, [], false],
    ['handover_to_partner', S.SHIPPED, [], false],
    ['shipping', S.SHIPPED, [], false],
    ['successful_delivery', S.DELIVERED, [], false],
    ['delivered', S.DELIVERED, [], false],
    ['complete', S.COMPLETED, [], false],
    ['canceled', S.CANCELLED, [], false],
    ['returned', S.RETURNED, [], false],
    ['holded', null, ['onHold'], false],
    ['closed', null, [], true],
  ];

  test('the table has exactly the documented rows', () => {
    expect(Object.keys(TIKI_ORDER_STATUSES.rows).sort()).toEqual(ROWS.map(([raw]) => raw).sort());
  });

  test.each(ROWS)('status %s -> %s %j refetch=%s', (raw, status, flags, refetch) => {
    const event = one(tiki.normalize(pulled({ order_code: '239545064', status: raw })));
    expect(event.status).toBe(status);
    expect(setFlags(event.flags)).toEqual(flags);
    expect(event.refetch).toBe(refetch);
    expect(event.revert).toBe(false);
  });

  test('ORDER_CREATED_SUCCESSFULLY is an order event too', () => {
    const event = one(
      tiki.normalize(
        pulled(
          { order_code: '239545064', status: 'queueing' },
          { type: 'ORDER_CREATED_SUCCESSFULLY' },
        ),
      ),
    );
    expect(event.status).toBe(S.CONFIRMED);
  });

  test('a payload delivered as JSON text and alternative field names', () => {
    const event = one(
      tiki.normalize({
        event_id: 77,
        event_type: 'ORDER_STATUS_UPDATED',
        sellerId: 112233,
        timestamp: '1718000000123',
        data: JSON.stringify({ order_code: '239545064', status: 'delivered' }),
      }),
    );
    expect(event).toMatchObject({
      shopId: '112233',
      status: S.DELIVERED,
      eventKey: 'tk:evt:77',
      eventTime: new Date(1718000000123),
    });
  });

  test('without an event id the key falls back to order code and status', () => {
    const event = one(
      tiki.normalize(pulled({ order_code: '239545064', status: 'picking' }, { id: undefined })),
    );
    expect(event.eventKey).toBe('tk:239545064:picking');
  });

  describe('timestamps', () => {
    test.each([
      [1718000000, '2024-06-10T06:13:20.000Z'],
      [1718000000456, '2024-06-10T06:13:20.456Z'],
      ['2024-06-10T13:13:20+07:00', '2024-06-10T06:13:20.000Z'],
      ['2024-06-10T06:13:20Z', '2024-06-10T06:13:20.000Z'],
    ])('created_at %j is %s', (createdAt, iso) => {
      const event = one(
        tiki.normalize(pulled({ order_code: '1', status: 'picking' }, { created_at: createdAt })),
      );
      expect(event.eventTime.toISOString()).toBe(iso);
    });

    test('a date without a zone is refused rather than read in server time', () => {
      expect(() =>
        tiki.normalize(
          pulled({ order_code: '1', status: 'picking' }, { created_at: '2024-06-10 13:13:20' }),
        ),
      ).toThrow(PayloadError);
    });
  });

  test.each(['PRODUCT_PRICE_UPDATED', 'PRODUCT_INVENTORY_UPDATED'])(
    '%s is not an order event',
    (type) => {
      expect(tiki.normalize(pulled({ product_id: 1 }, { type }))).toEqual([]);
    },
  );

  test('unreadable events throw PayloadError naming what is missing', () => {
    expect(() => tiki.normalize(pulled({ order_code: '1', status: 'teleported' }))).toThrow(
      new PayloadError('Tiki order status: unknown status "teleported"'),
    );
    expect(() =>
      tiki.normalize(pulled({ order_code: '1', status: 'picking' }, { seller_id: undefined })),
    ).toThrow(new PayloadError('Tiki event has no seller_id/sellerId'));
    expect(() => tiki.normalize({ seller_id: '1', payload: {} })).toThrow(/type\/event_type/);
    expect(() => tiki.normalize(pulled('{not json'))).toThrow(/not JSON/);
    expect(() =>
      tiki.normalize(pulled({ order_code: '1', status: 'picking' }, { created_at: undefined })),
    ).toThrow(/timestamp/);
  });
});
