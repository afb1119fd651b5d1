/**
 * Sendo Seller API orders. Sendo has no request signing: a bearer token from
 * POST /login {shop_key, secret_key}, valid 8 hours (platforms.md 5.4), which
 * is stored on the channel by the refresh job; a channel without one has
 * this client log in and keep the token in memory per shop key, renewed on
 * expiry or a 401.
 */
import { Platform } from '../../entities/enums';
import { SENDO_ORDER_STATUSES } from '../sendo';
import type { JsonObject } from '../payload';
import {
  amountAt,
  arrayAt,
  buyer,
  objectAt,
  optionalText,
  orderDetail,
  pick,
  scalarText,
  requiredId,
  sumOf,
  timeAt,
} from './fields';
import { apiUrl, pageSizeOf, readResponse, requestJson, type HttpSettings } from './http';
import {
  PlatformRejected,
  type ChannelCredentials,
  type OrderApiClient,
  type OrderDetail,
  type OrderPage,
} from './types';

export const SENDO_DEFAULT_BASE_URL = 'https://open.sendo.vn';

export const SENDO_PATHS = {
  login: '/login',
  order: (orderNumber: string) => `/api/partner/salesorder/${encodeURIComponent(orderNumber)}`,
  search: '/api/partner/salesorder/search',
} as const;

/**
 * Field names. login's result.token/expires and the sales_order/sku_details
 * split are seen in several clients (SD-CLIENTS, SD-DETAIL); the amount,
 * buyer and paging names are unverified.
 */
export const SENDO_API_FIELDS = {
  result: ['result'],
  token: ['token'],
  expires: ['expires'],
  salesOrder: ['sales_order'],
  skuDetails: ['sku_details'],
  orderNumber: ['order_number'],
  status: ['order_status'],
  storeId: ['store_id'],
  createdAt: ['order_date_time_stamp', 'created_date_time_stamp'],
  updatedAt: ['updated_date_time_stamp', 'order_date_time_stamp'],
  shippingFee: ['shipping_fee'], // unverified
  voucher: ['voucher_value', 'shop_voucher_amount'], // unverified
  total: ['total_amount'], // unverified
  buyerId: ['buyer_id', 'customer_id'], // unverified
  buyerName: ['receiver_name', 'buyer_name'], // unverified
  phone: ['shipping_contact_phone', 'buyer_phone'], // unverified
  email: ['buyer_email'], // unverified
  sku: ['sku'],
  itemName: ['product_name'],
  quantity: ['quantity'],
  price: ['price'],
  amount: ['amount'],
  rows: ['data'], // unverified
  nextToken: ['next_token'], // unverified
} as const;

const F = SENDO_API_FIELDS;
const MAX_PAGE = 50;
/** Renew a little before Sendo's expiry rather than fail one call on it. */
const TOKEN_MARGIN_MS = 5 * 60_000;
const CURRENCY = 'VND';

/** Sendo's search filters by day (yyyy/MM/dd, Vietnam time); exact bounds are applied here. */
function vnDay(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '/');
}

export function createSendoClient(http: HttpSettings): OrderApiClient {
  const platform = Platform.SENDO;
  const tokens = new Map<string, { token: string; expiresAt: number }>();

  const login = async (credentials: ChannelCredentials): Promise<string> => {
    if (credentials.accessToken) return credentials.accessToken;
    const { shopKey, shopSecret } = credentials;
    if (!shopKey || !shopSecret) {
      throw new PlatformRejected(
        platform,
        `store ${credentials.shopId} has no shop key and secret`,
      );
    }
    const cached = tokens.get(shopKey);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const body = await requestJson(platform, http, {
      method: 'POST',
      url: apiUrl(http.baseUrl, SENDO_PATHS.login),
      body: JSON.stringify({ shop_key: shopKey, secret_key: shopSecret }),
    });
    return readResponse(platform, () => {
      const result = objectAt(body, F.result, 'Sendo login');
      const token = requiredId(result, F.token, 'Sendo login result');
      const expires = pick(result, F.expires);
      const expiresAt =
        expires === undefined
          ? Date.now() + 8 * 3_600_000
          : timeAt(result, F.expires, 'Sendo login').getTime();
      tokens.set(shopKey, { token, expiresAt: expiresAt - TOKEN_MARGIN_MS });
      return token;
    });
  };

  const call = async (
    credentials: ChannelCredentials,
    method: 'GET' | 'POST',
    path: string,
    body?: JsonObject,
  ): Promise<JsonObject> => {
    const send = async () =>
      requestJson(platform, http, {
        method,
        url: apiUrl(http.baseUrl, path),
        headers: { authorization: `bearer ${await login(credentials)}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let response: JsonObject;
    try {
      response = await send();
    } catch (error) {
      // A token of this client's own login that Sendo no longer accepts: log in again
      // once. A stored token is the channel's, renewed by withTokenRenewal instead.
      if (
        !(error instanceof PlatformRejected) ||
        error.code !== '401' ||
        !credentials.shopKey ||
        credentials.accessToken
      ) {
        throw error;
      }
      tokens.delete(credentials.shopKey);
      response = await send();
    }
    if (response.success === false || !pick(response, F.result)) {
      const error = JSON.stringify(response.error ?? response.message ?? null);
      throw new PlatformRejected(
        platform,
        `${path}: ${error}`,
        scalarText(response.status_code, ''),
      );
    }
    return readResponse(platform, () => objectAt(response, F.result, `Sendo ${path}`));
  };

  const detail = (credentials: ChannelCredentials, row: JsonObject): OrderDetail => {
    const what = 'Sendo sales order';
    const order = objectAt(row, F.salesOrder, what);
    const items = arrayAt(row, F.skuDetails, what).map((line) => ({
      sku: optionalText(line, F.sku) ?? '',
      name: optionalText(line, F.itemName) ?? '',
      quantity: Number(pick(line, F.quantity) ?? 1),
      unitPrice: amountAt(line, F.price, CURRENCY, `${what} sku`),
      total: amountAt(line, F.amount, CURRENCY, `${what} sku`),
    }));
    return orderDetail(platform, {
      table: SENDO_ORDER_STATUSES,
      externalId: requiredId(order, F.orderNumber, what),
      shopId: optionalText(order, F.storeId) ?? credentials.shopId,
      rawStatus: optionalText(order, F.status) ?? '',
      statusTime: timeAt(order, F.updatedAt, what),
      placedAt: timeAt(order, F.createdAt, what),
      currency: CURRENCY,
      subtotal: sumOf(items),
      shippingFee: amountAt(order, F.shippingFee, CURRENCY, what),
      discount: amountAt(order, F.voucher, CURRENCY, what),
      total: amountAt(order, F.total, CURRENCY, what),
      buyer: buyer(
        optionalText(order, F.buyerId),
        optionalText(order, F.buyerName),
        optionalText(order, F.phone),
        optionalText(order, F.email),
      ),
      items,
    });
  };

  return {
    platform,
    async fetchOrder(credentials, externalId) {
      const result = await call(credentials, 'GET', SENDO_PATHS.order(externalId));
      return readResponse(platform, () => detail(credentials, result));
    },

    async listOrders(credentials, query): Promise<OrderPage> {
      const result = await call(credentials, 'POST', SENDO_PATHS.search, {
        page_size: pageSizeOf(query.pageSize, MAX_PAGE),
        order_date_from: vnDay(query.from),
        order_date_to: vnDay(new Date(query.to.getTime() - 1)),
        token: query.cursor ?? '',
      });
      return readResponse(platform, () => ({
        orders: arrayAt(result, F.rows, 'Sendo search')
          .map((row) => detail(credentials, row))
          .filter((order) => order.placedAt >= query.from && order.placedAt < query.to),
        nextCursor: optionalText(result, F.nextToken),
      }));
    },
  };
}
