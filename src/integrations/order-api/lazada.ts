/**
 * Lazada Open Platform order API (GetOrder, GetOrderItems, GetOrders,
 * GetMultipleOrderItems). Requests are signed: `sign` = upper-case hex
 * HMAC-SHA256(app_secret, api path + every other parameter as key + value,
 * sorted by key).
 */
import { createHmac } from 'node:crypto';
import { Platform } from '../../entities/enums';
import { LAZADA_ORDER_STATUSES } from '../lazada';
import type { JsonObject } from '../payload';
import {
  amountAt,
  arrayAt,
  buyer,
  objectAt,
  optionalObject,
  optionalText,
  orderDetail,
  pick,
  scalarText,
  requiredId,
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

export const LAZADA_DEFAULT_BASE_URL = 'https://api.lazada.vn/rest';

export const LAZADA_PATHS = {
  order: '/order/get',
  orderItems: '/order/items/get',
  orders: '/orders/get',
  multipleOrderItems: '/orders/items/get',
} as const;

/**
 * Response field names. order_id, statuses, created_at, updated_at, price,
 * shipping_fee, item_price, sku and name follow the GetOrder/GetOrderItems
 * docs; the buyer id and the per-item currency are unverified.
 */
export const LAZADA_API_FIELDS = {
  orderId: ['order_id', 'order_number'],
  statuses: ['statuses'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at'],
  shippingFee: ['shipping_fee'],
  voucher: ['voucher'],
  firstName: ['customer_first_name'],
  lastName: ['customer_last_name'],
  shippingAddress: ['address_shipping'],
  phone: ['phone', 'phone2'],
  buyerId: ['buyer_id'], // unverified
  sku: ['sku', 'shop_sku'],
  itemName: ['name'],
  itemPrice: ['item_price'],
  currency: ['currency'], // unverified: an item field in samples, absent from the order
  orders: ['orders'],
  countTotal: ['countTotal', 'count_total'],
  orderItems: ['order_items'],
} as const;

const F = LAZADA_API_FIELDS;
const UNIT_FIELDS = { sku: F.sku, itemName: F.itemName, price: F.itemPrice };
const MAX_PAGE = 100;
/** Lazada VN prices are in VND when an item names no currency. */
const SITE_CURRENCY = 'VND';

export function lazadaSign(
  appSecret: string,
  apiPath: string,
  params: Record<string, string>,
): string {
  const text = Object.keys(params)
    .sort()
    .map((key) => `${key}${params[key]}`)
    .join('');
  return createHmac('sha256', appSecret)
    .update(apiPath + text)
    .digest('hex')
    .toUpperCase();
}

export function createLazadaClient(
  secrets: { appKey?: string; appSecret?: string },
  http: HttpSettings,
): OrderApiClient {
  const platform = Platform.LAZADA;

  const call = async (
    credentials: ChannelCredentials,
    path: string,
    params: Record<string, string>,
  ): Promise<unknown> => {
    if (!secrets.appKey || !secrets.appSecret) {
      throw new PlatformRejected(platform, 'LAZADA_APP_KEY and LAZADA_APP_SECRET are not set');
    }
    const accessToken = accessTokenOf(platform, credentials);
    const query: Record<string, string> = {
      ...params,
      app_key: secrets.appKey,
      timestamp: String(Date.now()),
      sign_method: 'sha256',
      access_token: accessToken,
    };
    query.sign = lazadaSign(secrets.appSecret, path, query);
    const body = await requestJson(platform, http, {
      method: 'GET',
      url: apiUrl(http.baseUrl, path, query),
    });
    // Errors come back as HTTP 200 with a non-zero code.
    const code = scalarText(body.code, '0');
    if (code !== '0') throw answerError(platform, path, body, code, code === 'ApiCallLimit');
    return body.data;
  };

  const detail = (
    credentials: ChannelCredentials,
    order: JsonObject,
    lines: JsonObject[],
  ): OrderDetail => {
    const what = 'Lazada order';
    const currency = optionalText(lines[0] ?? {}, F.currency) ?? SITE_CURRENCY;
    const items = unitItems(lines, UNIT_FIELDS, currency, `${what} item`);
    const statuses = pick(order, F.statuses);
    const rawStatus = Array.isArray(statuses) && typeof statuses[0] === 'string' ? statuses[0] : '';
    const subtotal = sumOf(items);
    const shippingFee = amountAt(order, F.shippingFee, currency, what);
    const discount = amountAt(order, F.voucher, currency, what);
    const address = optionalObject(order, F.shippingAddress);
    const name = [optionalText(order, F.firstName), optionalText(order, F.lastName)]
      .filter(Boolean)
      .join(' ');
    return orderDetail(platform, {
      table: LAZADA_ORDER_STATUSES,
      externalId: requiredId(order, F.orderId, what),
      shopId: credentials.shopId,
      // Statuses are per line; the first stands for the order (mixed lines: unverified which wins).
      rawStatus,
      statusTime: timeAt(order, F.updatedAt, what),
      placedAt: timeAt(order, F.createdAt, what),
      currency,
      subtotal,
      shippingFee,
      discount,
      total: subtotal + shippingFee - discount,
      buyer: buyer(optionalText(order, F.buyerId), name || null, optionalText(address, F.phone)),
      items,
    });
  };

  return {
    platform,
    async fetchOrder(credentials, externalId) {
      const [order, lines] = await Promise.all([
        call(credentials, LAZADA_PATHS.order, { order_id: externalId }),
        call(credentials, LAZADA_PATHS.orderItems, { order_id: externalId }),
      ]);
      return readResponse(platform, () =>
        detail(
          credentials,
          objectAt({ order }, ['order'], 'Lazada GetOrder data'),
          arrayAt({ lines }, ['lines'], 'Lazada GetOrderItems data'),
        ),
      );
    },

    async listOrders(credentials, query) {
      const limit = pageSizeOf(query.pageSize, MAX_PAGE);
      const offset = Number(query.cursor ?? '0');
      const data = await call(credentials, LAZADA_PATHS.orders, {
        created_after: query.from.toISOString(),
        created_before: query.to.toISOString(),
        offset: String(offset),
        limit: String(limit),
        sort_by: 'created_at',
        sort_direction: 'ASC',
      });
      const page = readResponse(platform, () => objectAt({ data }, ['data'], 'Lazada GetOrders'));
      const orders = readResponse(platform, () => arrayAt(page, F.orders, 'Lazada GetOrders data'));
      if (orders.length === 0) return { orders: [], nextCursor: null };
      const ids = readResponse(platform, () =>
        orders.map((order) => requiredId(order, F.orderId, 'Lazada order')),
      );
      // Written out, not JSON.stringify(numbers): ids are kept as text end to end.
      const itemData = await call(credentials, LAZADA_PATHS.multipleOrderItems, {
        order_ids: `[${ids.join(',')}]`,
      });
      return readResponse(platform, () => {
        const byOrder = new Map(
          arrayAt({ itemData }, ['itemData'], 'Lazada GetMultipleOrderItems data').map((row) => [
            requiredId(row, F.orderId, 'Lazada order items'),
            arrayAt(row, F.orderItems, 'Lazada order items'),
          ]),
        );
        const total = Number(pick(page, F.countTotal) ?? Number.NaN);
        const next = offset + orders.length;
        const more = Number.isFinite(total) ? next < total : orders.length === limit;
        return {
          orders: orders.map((order, i) => detail(credentials, order, byOrder.get(ids[i]!) ?? [])),
          nextCursor: more ? String(next) : null,
        };
      });
    },
  };
}
