/**
 * Lazada Open Platform push (platforms.md section 1). Order pushes are per
 * order line and carry only ids and a status; the worker fetches the detail.
 */
import { OrderStatus, Platform } from '../entities/enums';
import { z } from 'zod';
import {
  idField,
  integerField,
  objectOf,
  readPayload,
  textField,
  timeField,
  timestampText,
} from './payload';
import { lazadaChat } from './marketplace-chat';
import { verifyAppKeySignature } from './signature';
import { mapStatus, orderEvent, statusTable, type StatusTable } from './status-table';
import type {
  NormalizedOrderEvent,
  PlatformModule,
  VerifyResult,
  WebhookHeaders,
  WebhookSecrets,
} from './types';

const S = OrderStatus;

export const LAZADA_MESSAGE_TYPE = { TRADE_ORDER: 0, REVERSE_ORDER: 10 } as const;

/** Trade order (message_type 0) `order_status`, platforms.md 9.2. */
export const LAZADA_ORDER_STATUSES = statusTable({
  unpaid: { status: S.PENDING_PAYMENT },
  pending: { status: S.CONFIRMED },
  topack: { status: S.CONFIRMED }, // Seller Center filter alias; semantics unverified
  // Must be packed again: below a stored PACKED the lattice keeps the rank
  // (stale, newer event) and only the flag is merged.
  repacked: { status: S.CONFIRMED, flags: { rework: true } },
  packed: { status: S.PACKED },
  toship: { status: S.PACKED }, // Seller Center filter alias; semantics unverified
  ready_to_ship_pending: { status: S.READY_TO_SHIP },
  ready_to_ship: { status: S.READY_TO_SHIP },
  shipping: { status: S.SHIPPED },
  shipped: { status: S.SHIPPED },
  delivered: { status: S.DELIVERED }, // Lazada has no completed; COMPLETED is our policy after the return window
  failed: { status: S.FAILED },
  failed_delivery: { status: S.FAILED },
  lost: { status: S.FAILED },
  lost_by_3pl: { status: S.FAILED },
  damaged_by_3pl: { status: S.FAILED },
  package_scrapped: { status: S.FAILED },
  shipped_back: { status: S.FAILED },
  shipped_back_failed: { status: S.FAILED },
  shipped_back_success: { status: S.RETURNED },
  returned: { status: S.RETURNED },
  canceled: { status: S.CANCELLED },
});

/** Reverse order (message_type 10) `reverse_status`, platforms.md 9.2. */
export const LAZADA_REVERSE_STATUSES = statusTable({
  CANCEL_INIT: { status: null, flags: { cancelRequested: true } },
  CANCEL_SUCCESS: { status: S.CANCELLED },
  CANCEL_REFUND_ISSUED: { status: S.CANCELLED },
  RTM_INIT: { status: S.RETURN_REQUESTED },
  RTW_INIT: { status: S.RETURN_REQUESTED },
  REFUND_INIT: { status: S.RETURN_REQUESTED },
  RTM_SHIPPING_BACK: { status: S.RETURN_REQUESTED },
  RTW_SHIPPING_BACK: { status: S.RETURN_REQUESTED },
  REFUND_PENDING: { status: S.RETURN_REQUESTED },
  RTM_RECEIVE_ITEM: { status: S.RETURNED },
  RTW_REFUND_PENDING: { status: S.RETURNED },
  REFUND_SUCCESS: { status: S.RETURNED },
  RTM_CANCELED: { status: S.DELIVERED, revert: true },
  RTW_CANCELED: { status: S.DELIVERED, revert: true },
  RTW_REJECT: { status: S.DELIVERED, revert: true },
  REFUND_REJECTED: { status: S.DELIVERED, revert: true },
});

const PUSH = 'Lazada push';

/**
 * `Authorization: hex(HMAC-SHA256(app_secret, app_key + raw body))`, no scheme
 * prefix (platforms.md 1.1). Lazada calls checking optional; we always check.
 */
function verify(rawBody: Buffer, headers: WebhookHeaders, secrets: WebhookSecrets): VerifyResult {
  return verifyAppKeySignature('Lazada', rawBody, headers, secrets);
}

const ENVELOPE = objectOf({ message_type: integerField });

/**
 * An order push (trade or reverse). seller_id is a string in order samples
 * and a number in IM samples. status_update_time (seconds) is the platform's
 * status time; the envelope timestamp (ms) is only when the push was sent, a
 * fallback at best.
 */
const orderPush = <Data extends z.ZodRawShape>(data: Data) =>
  objectOf({
    seller_id: idField,
    timestamp: z.unknown().optional(),
    data: objectOf({
      trade_order_id: idField,
      status_update_time: z.unknown().optional(),
      ...data,
    }),
  });
const TRADE_PUSH = orderPush({ order_status: textField, trade_order_line_id: idField });
const REVERSE_PUSH = orderPush({ reverse_status: textField, reverse_order_line_id: idField });

/** What the trade and the reverse push have in common. */
type LinePush = {
  seller_id: string;
  timestamp?: unknown;
  data: { trade_order_id: string; status_update_time?: unknown };
};

/**
 * The one event of an order-line push: `status` says which table reads the
 * raw status, `lineKey` names the line and its status, and the status time
 * as sent versions the key.
 */
function lineEvent(
  push: LinePush,
  status: { raw: string; table: StatusTable; field: string },
  lineKey: string,
  kind: NormalizedOrderEvent['kind'],
): NormalizedOrderEvent[] {
  const raw = push.data.status_update_time ?? push.timestamp;
  const eventTime = readPayload(timeField, raw, `${PUSH} data.status_update_time`);
  const time = timestampText(raw);
  const mapped = mapStatus(status.table, status.raw, `Lazada ${status.field}`);
  return [
    orderEvent(
      {
        platform: Platform.LAZADA,
        shopId: push.seller_id,
        externalOrderId: push.data.trade_order_id,
        rawStatus: status.raw,
        eventTime,
        eventKey: `${lineKey}:${time}`,
        kind,
      },
      mapped,
    ),
  ];
}

function normalize(payload: unknown): NormalizedOrderEvent[] {
  const type = readPayload(ENVELOPE, payload, PUSH).message_type;
  if (type === LAZADA_MESSAGE_TYPE.TRADE_ORDER) {
    const push = readPayload(TRADE_PUSH, payload, PUSH);
    const { order_status: raw, trade_order_line_id: line } = push.data;
    const status = { raw, table: LAZADA_ORDER_STATUSES, field: 'order_status' };
    return lineEvent(push, status, `lz:${push.seller_id}:${line}:${raw}`, 'order');
  }
  if (type === LAZADA_MESSAGE_TYPE.REVERSE_ORDER) {
    const push = readPayload(REVERSE_PUSH, payload, PUSH);
    const { reverse_status: raw, reverse_order_line_id: line } = push.data;
    const status = { raw, table: LAZADA_REVERSE_STATUSES, field: 'reverse_status' };
    const kind = raw.startsWith('CANCEL_') ? 'cancel' : 'return';
    return lineEvent(push, status, `lz-rev:${line}:${raw}`, kind);
  }
  return []; // IM, product, token alerts...
}

export const lazada: PlatformModule = {
  platform: Platform.LAZADA,
  verify,
  normalize,
  normalizeChat: lazadaChat,
};
