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
import {
  asObject,
  firstPresent,
  has,
  isObject,
  readId,
  readInteger,
  readString,
  timestampText,
  toEventTime,
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

/**
 * Where the order lives in each push type: CREATE carries the whole sales
 * order in `data`; UPDATE with `order_action: CANCEL` carries the new status
 * in `data.data`. UPDATE/UNLOCK (the order became actionable) has no status.
 */
function orderFields(
  type: string,
  data: JsonObject,
): { order: JsonObject; orderNumber: string; timeKeys: readonly string[] } | null {
  if (type === SENDO_PUSH_TYPE.ORDER_CREATED) {
    return {
      order: data,
      orderNumber: readId(data, 'order_number', `${PUSH} data`),
      timeKeys: ['updated_date_time_stamp', 'order_date_time_stamp'],
    };
  }
  if (type === SENDO_PUSH_TYPE.ORDER_UPDATED && data.order_action === 'CANCEL') {
    const detail = asObject(data.data, `${PUSH} data.data`);
    return {
      order: detail,
      orderNumber: readId(
        has(detail, 'order_number') ? detail : data,
        'order_number',
        `${PUSH} data`,
      ),
      timeKeys: ['cancel_date_timestamp'],
    };
  }
  return null;
}

function normalize(payload: unknown): NormalizedOrderEvent[] {
  const push = asObject(payload, PUSH);
  const type = readString(push, 'type', PUSH);
  const data = asObject(push.data, `${PUSH} data`);
  const fields = orderFields(type, data);
  if (!fields) return [];
  const { order, orderNumber, timeKeys } = fields;
  // The UPDATE sample omits the envelope store_id; the sales order repeats it.
  const storeSource = [push, data, order].find((obj) => has(obj, 'store_id')) ?? push;
  const storeId = readId(storeSource, 'store_id', PUSH);
  const statusCode = readInteger(order, 'order_status', `${PUSH} order`);
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
        eventTime: toEventTime(rawTime, `${PUSH} ${timeKey}`),
        eventKey: `sd:${storeId}:${type}:${orderNumber}:${rawStatus}:${timestampText(rawTime)}`,
        kind: type === SENDO_PUSH_TYPE.ORDER_UPDATED ? 'cancel' : 'order',
      },
      mapped,
      true,
    ),
  ];
}

export const sendo: PlatformModule = { platform: Platform.SENDO, verify, normalize };
