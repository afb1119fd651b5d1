/**
 * The contract every marketplace module implements (platforms.md sections 0, 8
 * and 9). Modules are pure: no I/O, no clock, no logging. The webhook route
 * queues the raw bytes first, a worker calls verify() then normalize(), and
 * the order service dedupes on `eventKey` and applies the result through
 * order-lattice.ts.
 */
import type { MARKETPLACES, OrderStatus } from '../entities/enums';
import type { OrderFlags } from '../entities/order.entity';
import type { InboundChatMessage } from './chat-types';

export type MarketplacePlatform = (typeof MARKETPLACES)[number];

export type OrderFlagName = keyof OrderFlags;

/** true sets the flag, false clears it; an absent flag is left as it is. */
export type FlagChanges = Partial<Record<OrderFlagName, boolean>>;

export type NormalizedOrderEvent = {
  platform: MarketplacePlatform;
  /** The platform's shop/seller/store id, always a string (ids above 2^53 arrive as strings). */
  shopId: string;
  externalOrderId: string;
  /** Exactly as the platform sent it, for the history table and for correcting the mapping later. */
  rawStatus: string;
  /** null when the event only sets or clears a flag (e.g. Shopee IN_CANCEL). */
  status: OrderStatus | null;
  flags: FlagChanges;
  /**
   * A return was rejected or cancelled: the order goes back to its pre-return
   * state. `status` then carries DELIVERED (the pre-return state the platform
   * implies); a service that stored COMPLETED as the pre-return state may pass
   * that to decideTransition instead.
   */
  revert?: boolean;
  /**
   * The status cannot be trusted or interpreted without the order detail
   * (unsigned Sendo pushes, Tiki `closed`, Sendo split/merge). Not part of the
   * section 8/9 contract: an addition so the worker need not know platform quirks.
   */
  refetch?: boolean;
  /** The platform's status time; numbers above 1e12 are read as ms, others as seconds. */
  eventTime: Date;
  /** The idempotency key of platforms.md section 8. */
  eventKey: string;
  kind: 'order' | 'return' | 'cancel';
};

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * One bag for every platform so `platformModules` stays a uniform record; each
 * module reads only what its scheme needs and fails with a reason naming a
 * missing entry:
 * - Lazada, TikTok Shop: appKey + appSecret (HMAC key = appSecret, message = appKey + body).
 * - Shopee: partnerKey, and pushUrl (the callback URL registered in the console).
 * - Sendo: shopKey, optionally storeId (no signature exists; see sendo.ts).
 * - Tiki: appKey/appSecret hold the OAuth2 client id and secret of our own
 *   pulls (tiki-queue.ts); there is no inbound request to verify (tiki.ts).
 */
export type WebhookSecrets = {
  appKey?: string;
  appSecret?: string;
  partnerKey?: string;
  pushUrl?: string;
  shopKey?: string;
  storeId?: string;
};

/** Header names as Node delivers them (lower case); lookups are case-insensitive anyway. */
export type WebhookHeaders = Record<string, string | undefined>;

export interface PlatformModule {
  readonly platform: MarketplacePlatform;
  /**
   * Authenticates a push from its raw body bytes, never from re-serialized
   * JSON. `requestUrl` is only read by Shopee, and only when
   * `secrets.pushUrl` is not configured; the webhook route passes it as a
   * function, so that no push pays for rebuilding it (the scheme through the
   * trust-proxy rule, the host) when it is not read.
   */
  verify(
    rawBody: Buffer,
    headers: WebhookHeaders,
    secrets: WebhookSecrets,
    requestUrl?: string | (() => string),
  ): VerifyResult;
  /**
   * Maps a parsed push to order events. Returns [] for push types that are not
   * order events (chat, token alerts, products); throws PayloadError when an
   * order push cannot be read, including an unknown status.
   */
  normalize(payload: unknown): NormalizedOrderEvent[];
  /**
   * The push's chat messages (marketplace IM), if the platform pushes chat;
   * [] for every other push type. Stored in the same inbox under
   * `chat:`-prefixed keys and applied by the conversation inbox.
   */
  normalizeChat?(payload: unknown): InboundChatMessage[];
}

/** A payload this code cannot read: dead-letter it with the message, never retry it as is. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}
