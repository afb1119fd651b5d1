/**
 * Tiki Seller Open API (platforms.md section 4). Tiki pushes nothing: our
 * worker pulls events from a Tiki Event Queue and acks them. Delivery is at
 * least once and in order.
 */
import { OrderStatus, Platform } from '../entities/enums';
import {
  firstPresent,
  idField,
  objectOf,
  objectOrJsonTextOf,
  readPayload,
  textField,
  timeField,
  type JsonObject,
} from './payload';
import { verified } from './signature';
import { mapStatus, orderEvent, statusTable } from './status-table';
import {
  PayloadError,
  type NormalizedOrderEvent,
  type PlatformModule,
  type VerifyResult,
} from './types';

const S = OrderStatus;

/**
 * Outer field names of a pulled event. Only the inner `{ order_code, status }`
 * is documented (platforms.md 4.2); these are the likeliest names, kept in one
 * place to correct once a real pull response is seen. The puller may also add
 * `seller_id` itself (it knows whose subscription the queue serves) when Tiki
 * does not send one. Missing required fields fail loudly, never by guessing.
 */
export const TIKI_EVENT_FIELDS = {
  id: ['id', 'event_id'],
  type: ['type', 'event_type'],
  sellerId: ['seller_id', 'sellerId'],
  time: ['created_at', 'created_time', 'timestamp', 'event_time'],
  payload: ['payload', 'data'],
} as const;

export const TIKI_ORDER_EVENT_TYPES: ReadonlySet<string> = new Set([
  'ORDER_CREATED_SUCCESSFULLY',
  'ORDER_STATUS_UPDATED',
]);

/** Order status v2, platforms.md 9.2. */
export const TIKI_ORDER_STATUSES = statusTable({
  // Pre-acceptance; payment is recorded separately.
  waiting_payment: { status: S.PENDING_PAYMENT },
  payment_review: { status: S.PENDING_PAYMENT },
  processing: { status: S.PENDING_PAYMENT },
  paid: { status: S.PENDING_PAYMENT },
  queueing: { status: S.CONFIRMED },
  packaging: { status: S.CONFIRMED },
  finished_packing: { status: S.PACKED },
  ready_to_ship: { status: S.READY_TO_SHIP },
  picking: { status: S.READY_TO_SHIP }, // "shipper đang lấy hàng"
  handover_to_partner: { status: S.SHIPPED },
  shipping: { status: S.SHIPPED },
  successful_delivery: { status: S.DELIVERED },
  delivered: { status: S.DELIVERED },
  complete: { status: S.COMPLETED },
  canceled: { status: S.CANCELLED },
  returned: { status: S.RETURNED },
  holded: { status: null, flags: { onHold: true } },
  // Terminal, but completed or cancelled is unverified: a wrong terminal guess
  // could never be corrected by the lattice, so only the detail decides.
  closed: { status: null, refetch: true },
});

const EVENT = 'Tiki event';

/**
 * Accepts: there is no inbound request to authenticate. Events arrive in the
 * response to our own HTTPS call to api.tiki.vn, made with our OAuth2 token,
 * so TLS and our credentials already authenticate the source. This must never
 * be mounted behind a public webhook route (Tiki's legacy v1 webhook, which
 * used HTTP Basic, carried product events only).
 */
function verify(): VerifyResult {
  return verified;
}

/**
 * A pulled event's envelope. Its field names are unverified, so each is read
 * from the first of its TIKI_EVENT_FIELDS candidates the event carries (see
 * `pick`); only being an object is common to every spelling.
 */
const EVENT_ENVELOPE = objectOf({});

/** The documented order event payload (platforms.md 4.2), an object or its JSON text. */
const ORDER_PAYLOAD = objectOrJsonTextOf({ order_code: idField, status: textField });

/** The first candidate field the event carries, and its name for error messages. */
function pick(event: JsonObject, keys: readonly string[]): { key: string; value: unknown } | null {
  const key = firstPresent(event, keys);
  return key === undefined ? null : { key, value: event[key] };
}

/** Numbers follow the 1e12 rule; strings may also be ISO-8601 with an explicit zone. */
function eventTime(value: unknown): Date {
  const what = `${EVENT} ${TIKI_EVENT_FIELDS.time.join('/')}`;
  if (typeof value === 'string' && /[T ]\d{2}:\d{2}.*(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) {
    const ms = Date.parse(value.trim());
    if (Number.isFinite(ms)) return new Date(ms);
  }
  return readPayload(timeField, value, what);
}

function normalize(payload: unknown): NormalizedOrderEvent[] {
  const event = readPayload(EVENT_ENVELOPE, payload, EVENT);
  const type = pick(event, TIKI_EVENT_FIELDS.type)?.value;
  if (typeof type !== 'string') {
    throw new PayloadError(`${EVENT} has no ${TIKI_EVENT_FIELDS.type.join('/')}`);
  }
  if (!TIKI_ORDER_EVENT_TYPES.has(type)) return []; // product price/inventory events
  const seller = pick(event, TIKI_EVENT_FIELDS.sellerId);
  if (!seller) {
    throw new PayloadError(`${EVENT} has no ${TIKI_EVENT_FIELDS.sellerId.join('/')}`);
  }
  const shopId = readPayload(idField, seller.value, `${EVENT}.${seller.key}`);
  const body = readPayload(
    ORDER_PAYLOAD,
    pick(event, TIKI_EVENT_FIELDS.payload)?.value,
    `${EVENT} payload`,
  );
  const { order_code: orderCode, status: rawStatus } = body;
  const mapped = mapStatus(TIKI_ORDER_STATUSES, rawStatus, 'Tiki order status');
  const id = pick(event, TIKI_EVENT_FIELDS.id);
  // The event id is the primary key (section 8). The fallback cannot tell a
  // repeated status apart (holded -> packaging -> holded), which only matters
  // for flags; the lattice absorbs the rest.
  const eventKey = id
    ? `tk:evt:${readPayload(idField, id.value, `${EVENT}.${id.key}`)}`
    : `tk:${orderCode}:${rawStatus}`;
  return [
    orderEvent(
      {
        platform: Platform.TIKI,
        shopId,
        externalOrderId: orderCode,
        rawStatus,
        eventTime: eventTime(pick(event, TIKI_EVENT_FIELDS.time)?.value),
        eventKey,
        kind: 'order',
      },
      mapped,
    ),
  ];
}

export const tiki: PlatformModule = { platform: Platform.TIKI, verify, normalize };
