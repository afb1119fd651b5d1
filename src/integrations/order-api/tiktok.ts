/**
 * TikTok Shop Partner API 202309 orders (Get Order Detail, Search Orders).
 * Query: app_key, timestamp, sign; header x-tts-access-token. sign = hex
 * HMAC-SHA256(app_secret, app_secret + path + the query parameters other
 * than sign and access_token as key + value sorted by key + body + app_secret).
 */
import { createHmac } from 'node:crypto';
import { Platform } from '../../entities/enums';
import { TIKTOK_ORDER_STATUSES } from '../tiktok';
import type { JsonObject } from '../payload';
import {
  amountAt,
  arrayAt,
  buyer,
  objectAt,
  optionalObject,
  optionalText,
  orderDetail,
  requiredId,
  scalarText,
  sumOf,
  timeAt,
  unitItems,
} from './fields';
import {
  accessTokenOf,
  answerError,
  apiUrl,
  pageSizeOf,
  readResponse,
  requestJson,
  type HttpSettings,
} from './http';
import {
  PlatformRejected,
  type ChannelCredentials,
  type OrderApiClient,
  type OrderDetail,
} from './types';

export const TIKTOK_DEFAULT_BASE_URL = 'https://open-api.tiktokglobalshop.com';

export const TIKTOK_PATHS = {
  orders: '/order/202309/orders',
  search: '/order/202309/orders/search',
} as const;

/**
 * Response field names from the 202309 order spec (TT-ORDER-API); each line
 * item is one unit. Which payment fields make up the discount is ours.
 */
export const TIKTOK_API_FIELDS = {
  orders: ['orders'],
  id: ['id'],
  status: ['status'],
  createTime: ['create_time'],
  updateTime: ['update_time'],
  userId: ['user_id'],
  email: ['buyer_email'],
  recipient: ['recipient_address'],
  recipientName: ['name'],
  recipientPhone: ['phone_number'],
  payment: ['payment'],
  currency: ['currency'],
  shippingFee: ['shipping_fee'],
  sellerDiscount: ['seller_discount'],
  platformDiscount: ['platform_discount'],
  total: ['total_amount'],
  lineItems: ['line_items'],
  sku: ['seller_sku', 'sku_id'],
  itemName: ['product_name'],
  salePrice: ['sale_price'],
  nextPageToken: ['next_page_token'],
} as const;

const F = TIKTOK_API_FIELDS;
const UNIT_FIELDS = { sku: F.sku, itemName: F.itemName, price: F.salePrice };
const MAX_PAGE = 100;

export function tiktokSign(
  appSecret: string,
  path: string,
  query: Record<string, string>,
  body: string,
): string {
  const params = Object.keys(query)
    .filter((key) => key !== 'sign' && key !== 'access_token')
    .sort()
    .map((key) => `${key}${query[key]}`)
    .join('');
  return createHmac('sha256', appSecret)
    .update(`${appSecret}${path}${params}${body}${appSecret}`)
    .digest('hex');
}

export function createTiktokClient(
  secrets: { appKey?: string; appSecret?: string },
  http: HttpSettings,
): OrderApiClient {
  const platform = Platform.TIKTOK;

  const call = async (
    credentials: ChannelCredentials,
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string>,
    body?: JsonObject,
  ): Promise<JsonObject> => {
    if (!secrets.appKey || !secrets.appSecret) {
      throw new PlatformRejected(platform, 'TIKTOK_APP_KEY and TIKTOK_APP_SECRET are not set');
    }
    const accessToken = accessTokenOf(platform, credentials);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const query: Record<string, string> = {
      ...params,
      app_key: secrets.appKey,
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    query.sign = tiktokSign(secrets.appSecret, path, query, text ?? '');
    const response = await requestJson(platform, http, {
      method,
      url: apiUrl(http.baseUrl, path, query),
      headers: { 'x-tts-access-token': accessToken },
      body: text,
    });
    const code = scalarText(response.code, '0');
    if (code !== '0') throw answerError(platform, path, response, code, false);
    return readResponse(platform, () => objectAt(response, ['data'], `TikTok ${path}`));
  };

  const detail = (credentials: ChannelCredentials, order: JsonObject): OrderDetail => {
    const what = 'TikTok order';
    const payment = objectAt(order, F.payment, what);
    const currency = optionalText(payment, F.currency) ?? 'VND';
    const items = unitItems(
      arrayAt(order, F.lineItems, what),
      UNIT_FIELDS,
      currency,
      `${what} line item`,
    );
    const recipient = optionalObject(order, F.recipient);
    return orderDetail(platform, {
      table: TIKTOK_ORDER_STATUSES,
      externalId: requiredId(order, F.id, what),
      shopId: credentials.shopId,
      rawStatus: optionalText(order, F.status) ?? '',
      statusTime: timeAt(order, F.updateTime, what),
      placedAt: timeAt(order, F.createTime, what),
      currency,
      subtotal: sumOf(items),
      shippingFee: amountAt(payment, F.shippingFee, currency, `${what} payment`),
      discount:
        amountAt(payment, F.sellerDiscount, currency, `${what} payment`) +
        amountAt(payment, F.platformDiscount, currency, `${what} payment`),
      total: amountAt(payment, F.total, currency, `${what} payment`),
      buyer: buyer(
        optionalText(order, F.userId),
        optionalText(recipient, F.recipientName),
        optionalText(recipient, F.recipientPhone),
        optionalText(order, F.email),
      ),
      items,
    });
  };

  const ordersOf = (credentials: ChannelCredentials, data: JsonObject, what: string) =>
    readResponse(platform, () => arrayAt(data, F.orders, what).map((o) => detail(credentials, o)));

  return {
    platform,
    async fetchOrder(credentials, externalId) {
      const data = await call(credentials, 'GET', TIKTOK_PATHS.orders, { ids: externalId });
      const [order] = ordersOf(credentials, data, 'TikTok Get Order Detail');
      if (!order)
        throw new PlatformRejected(platform, `order ${externalId} not found`, 'not_found');
      return order;
    },

    async listOrders(credentials, query) {
      const params: Record<string, string> = {
        page_size: String(pageSizeOf(query.pageSize, MAX_PAGE)),
        sort_field: 'create_time',
        sort_order: 'ASC',
      };
      if (query.cursor) params.page_token = query.cursor;
      const data = await call(credentials, 'POST', TIKTOK_PATHS.search, params, {
        create_time_ge: Math.floor(query.from.getTime() / 1000),
        create_time_lt: Math.ceil(query.to.getTime() / 1000),
      });
      return {
        orders: ordersOf(credentials, data, 'TikTok Search Orders'),
        nextCursor: optionalText(data, F.nextPageToken),
      };
    },
  };
}
