/**
 * The contract of the marketplace order-API clients: one module per platform
 * turns the platform's order detail and order list into one normalized
 * OrderDetail. Clients do HTTP and nothing else: no database, no clock
 * beyond request timestamps, no logging. Callers (the enrichment job, the
 * Sendo confirmation, the manual date-range sync) decide what to store.
 */
import type { OrderStatus, Platform } from '../../entities/enums';
import type { FlagChanges, MarketplacePlatform } from '../types';

/** Amounts are integers in minor units of `currency` (VND has none: 150000 means 150 000 ₫). */
export type OrderDetailItem = {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  total: number;
};

export type OrderBuyer = {
  /** The buyer's id on the platform, when the platform gives one. */
  platformId: string | null;
  name: string | null;
  /** As the platform sent it (often masked, e.g. "******78"); normalize before matching. */
  phone: string | null;
  email: string | null;
};

export type OrderDetail = {
  platform: MarketplacePlatform;
  externalId: string;
  shopId: string;
  rawStatus: string;
  /** Through the same status table as the platform's pushes; null when the status is only a flag. */
  status: OrderStatus | null;
  flags: FlagChanges;
  /** The platform's time of the current status (its update time). */
  statusTime: Date;
  placedAt: Date;
  /** ISO 4217. */
  currency: string;
  subtotal: number;
  shippingFee: number;
  discount: number;
  total: number;
  buyer: OrderBuyer;
  items: OrderDetailItem[];
};

/**
 * A connected shop's credentials, from the Channel row (see credentialsOf).
 * App-level secrets (app key/secret, partner id/key) come from config and
 * are given to the client when it is created.
 */
export type ChannelCredentials = {
  /** Channel.id: whose token to renew when the platform refuses it (token-renewal.ts). */
  channelId?: string;
  /** The platform's shop/seller/store id (Channel.externalShopId). */
  shopId: string;
  /**
   * The seller's access token, kept fresh by the refresh job
   * (services/channels) and renewed once when a call is refused. Sendo's
   * comes from logging in with shopKey + shopSecret; without a stored one
   * its client logs in by itself.
   */
  accessToken?: string;
  /** Sendo: the shop key (also checked on pushes). */
  shopKey?: string;
  /** Sendo: the shop's secret_key for POST /login. */
  shopSecret?: string;
};

export type ListOrdersQuery = {
  /** Orders created in [from, to). */
  from: Date;
  to: Date;
  /** nextCursor of the previous page; absent for the first page. */
  cursor?: string | null;
  /** Platform maxima apply (Shopee and TikTok 100, Lazada 100, Tiki 50, Sendo 50). */
  pageSize?: number;
};

export type OrderPage = {
  orders: OrderDetail[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
};

export interface OrderApiClient {
  readonly platform: MarketplacePlatform;
  /** The order's current detail. Throws PlatformRejected when the platform says it does not exist. */
  fetchOrder(credentials: ChannelCredentials, externalId: string): Promise<OrderDetail>;
  /** One page of orders created in the range, as details. */
  listOrders(credentials: ChannelCredentials, query: ListOrdersQuery): Promise<OrderPage>;
}

/** Base class so callers can tell platform failures from bugs with one instanceof. */
export abstract class PlatformError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    readonly platform: Platform,
    message: string,
  ) {
    super(`${platform}: ${message}`);
  }
}

/** HTTP 429: retry after `retryAfterMs` (from Retry-After; a default when absent). */
export class PlatformRateLimited extends PlatformError {
  readonly retryable = true;
  constructor(
    platform: Platform,
    readonly retryAfterMs: number,
    message = 'rate limited',
  ) {
    super(platform, message);
    this.name = 'PlatformRateLimited';
  }
}

/** 5xx, a network error or a timeout: the same request may well succeed later. */
export class PlatformUnavailable extends PlatformError {
  readonly retryable = true;
  constructor(platform: Platform, message: string) {
    super(platform, message);
    this.name = 'PlatformUnavailable';
  }
}

/**
 * A 4xx other than 429, an API error code in a 200 body (order not found,
 * bad token), or a response this code cannot read: repeating the same
 * request will not help.
 */
export class PlatformRejected extends PlatformError {
  readonly retryable = false;
  constructor(
    platform: Platform,
    message: string,
    readonly code?: string,
  ) {
    super(platform, message);
    this.name = 'PlatformRejected';
  }
}
