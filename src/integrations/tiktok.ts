/**
 * TikTok Shop Partner API webhooks, 202309+ (platforms.md section 3). Types
 * 1 (order status), 11 (cancellation) and 12 (return) are order events.
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
import { tiktokChat } from './marketplace-chat';
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

export const TIKTOK_EVENT_TYPE = { ORDER_STATUS: 1, CANCELLATION: 11, RETURN: 12 } as const;

/** Type 1 `order_status`, plus the order API spellings (CANCELLED, PARTIALLY_SHIPPING). */
export const TIKTOK_ORDER_STATUSES = statusTable({
  UNPAID: { status: S.PENDING_PAYMENT },
  ON_HOLD: { status: S.CONFIRMED, flags: { onHold: true } }, // remorse window: do not fulfil yet
  AWAITING_SHIPMENT: { status: S.CONFIRMED },
  AWAITING_COLLECTION: { status: S.READY_TO_SHIP },
  PARTIALLY_SHIPPING: { status: S.SHIPPED, flags: { partial: true } },
  IN_TRANSIT: { status: S.SHIPPED },
  DELIVERED: { status: S.DELIVERED },
  COMPLETED: { status: S.COMPLETED },
  CANCELLED: { status: S.CANCELLED },
  CANCEL: { status: S.CANCELLED }, // the webhook's spelling
});

/** Type 11 `cancel_status`. */
export const TIKTOK_CANCEL_STATUSES = statusTable({
  CANCELLATION_REQUEST_PENDING: { status: null, flags: { cancelRequested: true } },
  CANCELLATION_REQUEST_SUCCESS: { status: S.CANCELLED },
  CANCELLATION_REQUEST_COMPLETE: { status: S.CANCELLED },
  CANCELLATION_REQUEST_CANCELLED: { status: null, flags: { cancelRequested: false } },
});

/**
 * Type 12 `return_status`. Section 9.2's "…_REJECT" and "…_CANCEL" rows are
 * read as covering the REPLACEMENT_REQUEST_* family too. The prose's
 * RETURN_OR_REFUND__REQUEST_CANCELLED is a doc typo and is not accepted.
 */
export const TIKTOK_RETURN_STATUSES = statusTable({
  RETURN_OR_REFUND_REQUEST_PENDING: { status: S.RETURN_REQUESTED },
  AWAITING_BUYER_SHIP: { status: S.RETURN_REQUESTED },
  BUYER_SHIPPED_ITEM: { status: S.RETURN_REQUESTED },
  REPLACEMENT_REQUEST_PENDING: { status: S.RETURN_REQUESTED },
  RETURN_OR_REFUND_REQUEST_SUCCESS: { status: S.RETURNED },
  RETURN_OR_REFUND_REQUEST_COMPLETE: { status: S.RETURNED },
  REPLACEMENT_REQUEST_REFUND_SUCCESS: { status: S.RETURNED },
  REFUND_OR_RETURN_REQUEST_REJECT: { status: S.DELIVERED, revert: true },
  REPLACEMENT_REQUEST_REJECT: { status: S.DELIVERED, revert: true },
  RETURN_OR_REFUND_REQUEST_CANCEL: { status: S.DELIVERED, revert: true },
  REPLACEMENT_REQUEST_CANCEL: { status: S.DELIVERED, revert: true },
  // May escalate to a dispute (unverified); a later return event would reopen it.
  REJECT_RECEIVE_PACKAGE: { status: S.DELIVERED, revert: true },
  // Not in section 9.2: an approved replacement ships a new item and refunds
  // nothing, so the order stands as delivered rather than RETURNED.
  REPLACEMENT_REQUEST_COMPLETE: { status: S.DELIVERED, revert: true },
});

type EventShape = {
  statusField: string;
  table: StatusTable;
  kind: NormalizedOrderEvent['kind'];
};

const SHAPES: Readonly<Record<number, EventShape>> = {
  [TIKTOK_EVENT_TYPE.ORDER_STATUS]: {
    statusField: 'order_status',
    table: TIKTOK_ORDER_STATUSES,
    kind: 'order',
  },
  [TIKTOK_EVENT_TYPE.CANCELLATION]: {
    statusField: 'cancel_status',
    table: TIKTOK_CANCEL_STATUSES,
    kind: 'cancel',
  },
  [TIKTOK_EVENT_TYPE.RETURN]: {
    statusField: 'return_status',
    table: TIKTOK_RETURN_STATUSES,
    kind: 'return',
  },
};

const PUSH = 'TikTok Shop webhook';

/**
 * `Authorization: hex(HMAC-SHA256(app_secret, app_key + raw body))`, as the
 * TikTok Shop SDKs implement it (platforms.md 3.1). The `t=…,s=…` and
 * x-tiktok-signature schemes belong to other TikTok products.
 */
function verify(rawBody: Buffer, headers: WebhookHeaders, secrets: WebhookSecrets): VerifyResult {
  return verifyAppKeySignature('TikTok Shop', rawBody, headers, secrets);
}

const ENVELOPE = objectOf({ type: integerField });

/** Types 1, 11 and 12; the status field is the type's own (see SHAPES). */
const EVENT_PUSH = objectOf({
  shop_id: idField,
  timestamp: z.unknown().optional(),
  data: objectOf({
    order_id: idField,
    update_time: z.unknown().optional(),
    cancel_id: z.unknown().optional(),
  }),
});

function normalize(payload: unknown): NormalizedOrderEvent[] {
  const { type } = readPayload(ENVELOPE, payload, PUSH);
  const shape = SHAPES[type];
  if (!shape) return []; // messages, package updates, authorization notices...
  const push = readPayload(EVENT_PUSH, payload, PUSH);
  const { data } = push;
  const rawStatus = readPayload(
    textField,
    data[shape.statusField],
    `${PUSH} data.${shape.statusField}`,
  );
  const mapped = mapStatus(shape.table, rawStatus, `TikTok Shop ${shape.statusField}`);
  // The status time: `update_time` where the type has one. Type 11 has only
  // `create_time`, the moment the buyer asked, which would date a later SUCCESS
  // too early, so the envelope `timestamp` (when TikTok notified) stands in.
  const statusTime = data.update_time ?? push.timestamp;
  // The last key segment. Type 11 has no update_time; a cancellation id passes
  // through each cancel_status once, so it versions the key as well. The
  // envelope's tts_notification_id is not used: whether a retry keeps it is
  // unverified, and the composite key dedupes either way.
  const version = data.update_time ?? data.cancel_id ?? push.timestamp;
  return [
    orderEvent(
      {
        platform: Platform.TIKTOK,
        shopId: push.shop_id,
        externalOrderId: data.order_id,
        rawStatus,
        eventTime: readPayload(timeField, statusTime, `${PUSH} data.update_time`),
        eventKey: `tt:${push.shop_id}:${type}:${data.order_id}:${rawStatus}:${timestampText(version)}`,
        kind: shape.kind,
      },
      mapped,
    ),
  ];
}

export const tiktok: PlatformModule = {
  platform: Platform.TIKTOK,
  verify,
  normalize,
  normalizeChat: tiktokChat,
};
