/**
 * Shopee Open Platform v2 push (platforms.md section 2). Only code 3 (order
 * status) is an order event; the body is a notification, not the order.
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
import { shopeeChat } from './marketplace-chat';
import { headerValue, rejected, verifyHexHmac } from './signature';
import { mapStatus, orderEvent, statusTable, type MappedStatus } from './status-table';
import type {
  NormalizedOrderEvent,
  PlatformModule,
  VerifyResult,
  WebhookHeaders,
  WebhookSecrets,
} from './types';

const S = OrderStatus;

export const SHOPEE_PUSH_CODE = { ORDER_STATUS: 3 } as const;

/** Order `status` of the code-3 push, platforms.md 9.2. */
export const SHOPEE_ORDER_STATUSES = statusTable({
  UNPAID: { status: S.PENDING_PAYMENT },
  PENDING: { status: S.PENDING_PAYMENT },
  // Shopee's READY_TO_SHIP means "seller can arrange shipment", not ours.
  READY_TO_SHIP: { status: S.CONFIRMED },
  INVOICE_PENDING: { status: S.CONFIRMED },
  PROCESSED: { status: S.READY_TO_SHIP },
  RETRY_SHIP: { status: S.READY_TO_SHIP, flags: { pickupRetry: true } },
  SHIPPED: { status: S.SHIPPED },
  TO_CONFIRM_RECEIVE: { status: S.DELIVERED },
  COMPLETED: { status: S.COMPLETED },
  IN_CANCEL: { status: null, flags: { cancelRequested: true } },
  CANCELLED: { status: S.CANCELLED },
  TO_RETURN: { status: S.RETURN_REQUESTED },
});

/**
 * Return statuses, which reach us from the returns API, not from a push (no
 * return push code exists). Section 9.2 gives only CANCELLED -> revert; the
 * open-return rows are ours (each means a return is in progress), and CLOSED
 * is unverified, so it changes nothing and asks for the return detail.
 */
export const SHOPEE_RETURN_STATUSES = statusTable({
  REQUESTED: { status: S.RETURN_REQUESTED },
  ACCEPTED: { status: S.RETURN_REQUESTED },
  JUDGING: { status: S.RETURN_REQUESTED },
  PROCESSING: { status: S.RETURN_REQUESTED },
  SELLER_DISPUTE: { status: S.RETURN_REQUESTED },
  CANCELLED: { status: S.DELIVERED, revert: true },
  CLOSED: { status: null, refetch: true },
});

export function mapShopeeReturnStatus(rawStatus: string): MappedStatus {
  return mapStatus(SHOPEE_RETURN_STATUSES, rawStatus, 'Shopee return status');
}

const PUSH = 'Shopee push';

/**
 * `Authorization: hex(HMAC-SHA256(partner_key, callback_url + "|" + raw body))`
 * (platforms.md 2.1). The URL must be the one registered in the console, byte
 * for byte, so the configured pushUrl wins over a URL rebuilt from the request
 * (proxies change scheme and host). A third-party claim that only the body is
 * signed is deliberately not tried: log both computations before changing this.
 */
function verify(
  rawBody: Buffer,
  headers: WebhookHeaders,
  secrets: WebhookSecrets,
  requestUrl?: string | (() => string),
): VerifyResult {
  if (!secrets.partnerKey) return rejected('Shopee partnerKey is not configured');
  const url = secrets.pushUrl ?? (typeof requestUrl === 'function' ? requestUrl() : requestUrl);
  if (!url) return rejected('Shopee pushUrl is not configured and no request URL was given');
  return verifyHexHmac(headerValue(headers, 'authorization'), 'Authorization', secrets.partnerKey, [
    Buffer.from(`${url}|`, 'utf8'),
    rawBody,
  ]);
}

/** Any push: only its code says what it is (0 is the URL verification message). */
const ENVELOPE = objectOf({ code: integerField });

/** Code 3: the order's status; `update_time` is the status time, the envelope's `timestamp` a fallback. */
const ORDER_STATUS_PUSH = objectOf({
  shop_id: idField,
  timestamp: z.unknown().optional(),
  data: objectOf({ ordersn: idField, status: textField, update_time: z.unknown().optional() }),
});

function normalize(payload: unknown): NormalizedOrderEvent[] {
  const { code } = readPayload(ENVELOPE, payload, PUSH);
  if (code !== SHOPEE_PUSH_CODE.ORDER_STATUS) return [];
  const push = readPayload(ORDER_STATUS_PUSH, payload, PUSH);
  const { ordersn, status: rawStatus } = push.data;
  const rawTime = push.data.update_time ?? push.timestamp;
  const mapped = mapStatus(SHOPEE_ORDER_STATUSES, rawStatus, 'Shopee order status');
  return [
    orderEvent(
      {
        platform: Platform.SHOPEE,
        shopId: push.shop_id,
        externalOrderId: ordersn,
        rawStatus,
        eventTime: readPayload(timeField, rawTime, `${PUSH} data.update_time`),
        eventKey: `sp:${push.shop_id}:${code}:${ordersn}:${rawStatus}:${timestampText(rawTime)}`,
        kind: 'order',
      },
      mapped,
    ),
  ];
}

export const shopee: PlatformModule = {
  platform: Platform.SHOPEE,
  verify,
  normalize,
  normalizeChat: shopeeChat,
};
