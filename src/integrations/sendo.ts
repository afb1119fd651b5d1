/**
 * Sendo Seller API push (platforms.md section 5).
 *
 * SECURITY: Sendo signs nothing. The only check available is the `shop_key`
 * the push carries, which is a static per-shop value and can leak. A push
 * that passes verify() is therefore a HINT: the worker MUST confirm the order
 * by fetching it (`GET /api/partner/salesorder/{order_number}` with our own
 * token) before storing anything from it. Every Sendo event is marked
 * `refetch: true` to carry that obligation past this module.
 */
import { OrderStatus, Platform } from '../entities/enums';
import { z } from 'zod';
import {
  firstPresent,
  idField,
  integerField,
  isObject,
  objectOf,
  readPayload,
  textField,
  timeField,
  timestampText,
  type JsonObject,
} from './payload';
import { constantTimeEqual, rejected, verified } from './signature';
import { mapStatus, orderEvent, statusTable } from './status-table';
import {
  PayloadError,
  type NormalizedOrderEvent,
  type PlatformModule,
  type VerifyResult,
  type WebhookHeaders,
  type WebhookSecrets,
} from './types';

const S = OrderStatus;

export const SENDO_PUSH_TYPE = {
  ORDER_CREATED: 'SALESORDER.CREATE',
  /** Seen in Sendo's seller help centre; platforms.md lists it as unverified. */
  ORDER_UPDATED: 'SALESORDER.UPDATE',
} as const;

/**
 * Integer `order_status`, platforms.md 9.2. The code list comes from a
 * third-party client; only 3, 7 and 13 are corroborated by Sendo's own API.
 */
export const SENDO_ORDER_STATUSES = statusTable({
  '23': { status: S.PENDING_PAYMENT }, // WaitingSendo; semantics unverified
  '2': { status: S.CONFIRMED }, // New
  '3': { status: S.CONFIRMED }, // Proccessing (sic): seller confirmed stock
  '6': { status: S.SHIPPED }, // Shipping
  '7': { status: S.DELIVERED }, // POD
  '8': { status: S.COMPLETED }, // Completed
  '10': { status: S.COMPLETED }, // Closed; treated as completed by a third-party client, unverified
  '13': { status: S.CANCELLED }, // Cancelled
  '21': { status: S.RETURN_REQUESTED }, // Returning
  '22': { status: S.RETURNED }, // Returned
  '11': { status: null, flags: { delayed: true } }, // Delaying
  '12': { status: null, flags: { delayed: true } }, // Delay
  // Split/merge: new order numbers may appear, only the detail tells which.
  '14': { status: null, flags: { structuralChange: true }, refetch: true }, // Splitting
  '15': { status: null, flags: { structuralChange: true }, refetch: true }, // Splitted
  '19': { status: null, flags: { structuralChange: true }, refetch: true }, // Merging
});

const PUSH = 'Sendo push';

/**
 * Not a signature check (there is none): compares the push's `shop_key` with
 * the channel's in constant time, and its `store_id` with `secrets.storeId`
 * when both are present. Parsing the body here only reads those two fields;
 * nothing is hashed, so re-serialization cannot matter.
 */
function verify(rawBody: Buffer, _headers: WebhookHeaders, secrets: WebhookSecrets): VerifyResult {
  if (!secrets.shopKey) return rejected('Sendo shopKey is not configured');
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return rejected('body is not JSON');
  }
  if (!isObject(body)) return rejected('body is not a JSON object');
  const shopKey = body.shop_key;
  if (typeof shopKey !== 'string' || shopKey === '') return rejected('push has no shop_key');
  if (!constantTimeEqual(Buffer.from(shopKey, 'utf8'), Buffer.from(secrets.shopKey, 'utf8'))) {
    return rejected('shop_key does not match');
  }
  const storeId = body.store_id;
  if (
    secrets.storeId !== undefined &&
    (typeof storeId === 'string' || typeof storeId === 'number') &&
    String(storeId) !== secrets.storeId
  ) {
    return rejected('store_id does not match');
  }
  return verified;
}

/** Any push: its type, and in `data` the order action UPDATE pushes carry. */
const ENVELOPE = objectOf({
  type: textField,
  data: objectOf({ order_action: z.unknown().optional() }),
});

/**
 * SALESORDER.CREATE: the whole sales order in `data`, dated by its update
 * time or else its order time; the store named on the envelope or the order.
 */
const CREATE_PUSH = objectOf({
  store_id: z.unknown().optional(),
  data: objectOf({
    order_number: idField,
    store_id: z.unknown().optional(),
    order_status: integerField,
    updated_date_time_stamp: z.unknown().optional(),
    order_date_time_stamp: z.unknown().optional(),
  }),
});

/**
 * SALESORDER.UPDATE with `order_action: CANCEL`: the new status in
 * `data.data`, the order number there or in `data`. The UPDATE sample omits
 * the envelope store_id; the sales order repeats it.
 */
const CANCEL_PUSH = objectOf({
  store_id: z.unknown().optional(),
  data: objectOf({
    order_number: z.unknown().optional(),
    store_id: z.unknown().optional(),
    data: objectOf({
      order_number: z.unknown().optional(),
      store_id: z.unknown().optional(),
      order_status: integerField,
      cancel_date_timestamp: z.unknown().optional(),
    }),
  }),
});

type OrderFields = {
  order: JsonObject;
  orderNumber: string;
  storeId: unknown;
  statusCode: number;
  timeKeys: readonly string[];
};

/**
 * Where the order lives in each push type. UPDATE/UNLOCK (the order became
 * actionable) has no status.
 */
function orderFields(type: string, action: unknown, payload: unknown): OrderFields | null {
  if (type === SENDO_PUSH_TYPE.ORDER_CREATED) {
    const push = readPayload(CREATE_PUSH, payload, PUSH);
    return {
      order: push.data,
      orderNumber: push.data.order_number,
      storeId: push.store_id ?? push.data.store_id,
      statusCode: push.data.order_status,
      timeKeys: ['updated_date_time_stamp', 'order_date_time_stamp'],
    };
  }
  if (type === SENDO_PUSH_TYPE.ORDER_UPDATED && action === 'CANCEL') {
    const push = readPayload(CANCEL_PUSH, payload, PUSH);
    const { data } = push;
    const detail = data.data;
    return {
      order: detail,
      orderNumber: readPayload(
        idField,
        detail.order_number ?? data.order_number,
        `${PUSH} data.order_number`,
      ),
      storeId: push.store_id ?? data.store_id ?? detail.store_id,
      statusCode: detail.order_status,
      timeKeys: ['cancel_date_timestamp'],
    };
  }
  return null;
}

function normalize(payload: unknown): NormalizedOrderEvent[] {
  const { type, data } = readPayload(ENVELOPE, payload, PUSH);
  const fields = orderFields(type, data.order_action, payload);
  if (!fields) return [];
  const { order, orderNumber, statusCode, timeKeys } = fields;
  const storeId = readPayload(idField, fields.storeId, `${PUSH}.store_id`);
  const rawStatus = String(statusCode);
  const timeKey = firstPresent(order, timeKeys);
  if (!timeKey) throw new PayloadError(`${PUSH}: no ${timeKeys.join(' or ')} in the order`);
  const rawTime = order[timeKey];
  const mapped = mapStatus(SENDO_ORDER_STATUSES, rawStatus, 'Sendo order_status');
  return [
    orderEvent(
      {
        platform: Platform.SENDO,
        shopId: storeId,
        externalOrderId: orderNumber,
        rawStatus,
        eventTime: readPayload(timeField, rawTime, `${PUSH} ${timeKey}`),
        eventKey: `sd:${storeId}:${type}:${orderNumber}:${rawStatus}:${timestampText(rawTime)}`,
        kind: type === SENDO_PUSH_TYPE.ORDER_UPDATED ? 'cancel' : 'order',
      },
      mapped,
      true,
    ),
  ];
}

export const sendo: PlatformModule = { platform: Platform.SENDO, verify, normalize };
