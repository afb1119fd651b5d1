/**
 * Shopee Open Platform v2 order API (get_order_detail, get_order_list).
 * Shop-level calls carry partner_id, timestamp, access_token, shop_id and
 * sign = hex HMAC-SHA256(partner_key, partner_id + path + timestamp +
 * access_token + shop_id) in the query.
 */
import { createHmac } from 'node:crypto';
import { Platform } from '../../entities/enums';
import { SHOPEE_ORDER_STATUSES } from '../shopee';
import { isObject, type JsonObject } from '../payload';
import {
  amountAt,
  arrayAt,
  buyer,
  impliedDiscount,
  objectAt,
  optionalObject,
  optionalText,
  orderDetail,
  pick,
  requiredId,
  sumOf,
  timeAt,
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

export const SHOPEE_DEFAULT_BASE_URL = 'https://partner.shopeemobile.com';

export const SHOPEE_PATHS = {
  orderDetail: '/api/v2/order/get_order_detail',
  orderList: '/api/v2/order/get_order_list',
} as const;

/** Optional fields get_order_detail must be asked for; without them it returns only ids and status. */
const OPTIONAL_FIELDS = [
  'buyer_user_id',
  'buyer_username',
  'recipient_address',
  'item_list',
  'total_amount',
  'actual_shipping_fee',
  'estimated_shipping_fee',
].join(',');

/** Response field names, from SP-ORDERAPI; shipping-fee precedence is ours. */
export const SHOPEE_API_FIELDS = {
  orderSn: ['order_sn'],
  status: ['order_status'],
  currency: ['currency'],
  createTime: ['create_time'],
  updateTime: ['update_time'],
  total: ['total_amount'],
  shippingFee: ['actual_shipping_fee', 'estimated_shipping_fee'],
  buyerId: ['buyer_user_id'],
  buyerName: ['buyer_username'],
  recipient: ['recipient_address'],
  recipientName: ['name'],
  recipientPhone: ['phone'],
  items: ['item_list'],
  sku: ['model_sku', 'item_sku'],
  itemName: ['item_name'],
  quantity: ['model_quantity_purchased'],
  unitPrice: ['model_discounted_price', 'model_original_price'],
  orderList: ['order_list'],
  more: ['more'],
  nextCursor: ['next_cursor'],
} as const;

const F = SHOPEE_API_FIELDS;
/** get_order_detail takes at most 50 order_sn, so a list page is at most 50 too. */
const MAX_PAGE = 50;

export function shopeeSign(
  partnerKey: string,
  partnerId: string,
  path: string,
  timestamp: string,
  accessToken: string,
  shopId: string,
): string {
  return createHmac('sha256', partnerKey)
    .update(`${partnerId}${path}${timestamp}${accessToken}${shopId}`)
    .digest('hex');
}

/** Shopee names its errors in `error`, on a 200 or a 4xx ("error_auth": the access token). */
export function shopeeErrorCode(body: unknown): string | undefined {
  return isObject(body) && typeof body.error === 'string' && body.error !== ''
    ? body.error
    : undefined;
}

export function createShopeeClient(
  secrets: { partnerId?: string; partnerKey?: string },
  http: HttpSettings,
): OrderApiClient {
  const platform = Platform.SHOPEE;

  const call = async (
    credentials: ChannelCredentials,
    path: string,
    params: Record<string, string>,
  ): Promise<JsonObject> => {
    if (!secrets.partnerId || !secrets.partnerKey) {
      throw new PlatformRejected(platform, 'SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY are not set');
    }
    const accessToken = accessTokenOf(platform, credentials);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const url = apiUrl(http.baseUrl, path, {
      ...params,
      partner_id: secrets.partnerId,
      timestamp,
      access_token: accessToken,
      shop_id: credentials.shopId,
      sign: shopeeSign(
        secrets.partnerKey,
        secrets.partnerId,
        path,
        timestamp,
        accessToken,
        credentials.shopId,
      ),
    });
    const body = await requestJson(platform, http, {
      method: 'GET',
      url,
      errorCode: shopeeErrorCode,
    });
    const error = typeof body.error === 'string' ? body.error : '';
    if (error !== '') {
      throw answerError(platform, path, body, error, /too_many|rate_limit/i.test(error));
    }
    return readResponse(platform, () => objectAt(body, ['response'], `Shopee ${path}`));
  };

  const detail = (credentials: ChannelCredentials, order: JsonObject): OrderDetail => {
    const what = 'Shopee order';
    const currency = optionalText(order, F.currency) ?? 'VND';
    const items = arrayAt(order, F.items, what).map((line) => {
      const quantity = Number(pick(line, F.quantity) ?? 1);
      const unitPrice = amountAt(line, F.unitPrice, currency, `${what} item`);
      return {
        sku: optionalText(line, F.sku) ?? '',
        name: optionalText(line, F.itemName) ?? '',
        quantity,
        unitPrice,
        total: unitPrice * quantity,
      };
    });
    const recipient = optionalObject(order, F.recipient);
    const subtotal = sumOf(items);
    const shippingFee = amountAt(order, F.shippingFee, currency, what);
    const total = amountAt(order, F.total, currency, what);
    return orderDetail(platform, {
      table: SHOPEE_ORDER_STATUSES,
      externalId: requiredId(order, F.orderSn, what),
      shopId: credentials.shopId,
      rawStatus: optionalText(order, F.status) ?? '',
      statusTime: timeAt(order, F.updateTime, what),
      placedAt: timeAt(order, F.createTime, what),
      currency,
      subtotal,
      shippingFee,
      // The order detail has no voucher breakdown (that is the escrow API): what items
      // and shipping cost beyond the total is the discount.
      discount: impliedDiscount(subtotal, shippingFee, total),
      total,
      buyer: buyer(
        optionalText(order, F.buyerId),
        optionalText(recipient, F.recipientName) ?? optionalText(order, F.buyerName),
        optionalText(recipient, F.recipientPhone),
      ),
      items,
    });
  };

  const details = async (credentials: ChannelCredentials, orderSns: string[]) => {
    const response = await call(credentials, SHOPEE_PATHS.orderDetail, {
      order_sn_list: orderSns.join(','),
      response_optional_fields: OPTIONAL_FIELDS,
    });
    return readResponse(platform, () =>
      arrayAt(response, F.orderList, 'Shopee get_order_detail').map((order) =>
        detail(credentials, order),
      ),
    );
  };

  return {
    platform,
    async fetchOrder(credentials, externalId) {
      const [order] = await details(credentials, [externalId]);
      if (!order)
        throw new PlatformRejected(platform, `order ${externalId} not found`, 'not_found');
      return order;
    },

    async listOrders(credentials, query) {
      const response = await call(credentials, SHOPEE_PATHS.orderList, {
        time_range_field: 'create_time',
        time_from: String(Math.floor(query.from.getTime() / 1000)),
        // time_to is inclusive; the query's `to` is not.
        time_to: String(Math.ceil(query.to.getTime() / 1000) - 1),
        page_size: String(pageSizeOf(query.pageSize, MAX_PAGE)),
        cursor: query.cursor ?? '',
      });
      const { sns, nextCursor } = readResponse(platform, () => ({
        sns: arrayAt(response, F.orderList, 'Shopee get_order_list').map((row) =>
          requiredId(row, F.orderSn, 'Shopee get_order_list row'),
        ),
        nextCursor:
          pick(response, F.more) === true ? (optionalText(response, F.nextCursor) ?? null) : null,
      }));
      return { orders: sns.length > 0 ? await details(credentials, sns) : [], nextCursor };
    },
  };
}
