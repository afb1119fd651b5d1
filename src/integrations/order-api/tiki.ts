/**
 * Tiki Seller Open API v2 orders. OAuth2 bearer token of the seller; no
 * request signing. Tiki answers an unknown order with HTTP 404.
 */
import { Platform } from '../../entities/enums';
import { TIKI_ORDER_STATUSES } from '../tiki';
import type { JsonObject } from '../payload';
import {
  amountAt,
  arrayAt,
  buyer,
  optionalObject,
  optionalText,
  orderDetail,
  pick,
  requiredId,
  timeAt,
} from './fields';
import {
  accessTokenOf,
  apiUrl,
  pageSizeOf,
  readResponse,
  requestJson,
  type HttpSettings,
} from './http';
import { type ChannelCredentials, type OrderApiClient, type OrderDetail } from './types';

export const TIKI_DEFAULT_BASE_URL = 'https://api.tiki.vn';

export const TIKI_PATHS = {
  order: (code: string) => `/integration/v2/orders/${encodeURIComponent(code)}`,
  orders: '/integration/v2/orders',
} as const;

/**
 * Field names of the v2 order (TK-LIST). The invoice amount names, the buyer
 * fields and the date filter format are unverified.
 */
export const TIKI_API_FIELDS = {
  code: ['code'],
  status: ['status'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at', 'created_at'],
  invoice: ['invoice'],
  subtotal: ['items_total', 'subtotal'], // unverified
  shippingFee: ['shipping_amount_after_discount', 'shipping_amount'], // unverified
  discount: ['discount_amount', 'total_discount'], // unverified
  total: ['grand_total'], // unverified
  customer: ['customer'],
  customerId: ['id'],
  customerName: ['full_name', 'name'],
  shipping: ['shipping'],
  address: ['address'],
  phone: ['phone'], // unverified
  email: ['email'], // unverified
  items: ['items'],
  product: ['product'],
  sku: ['sku', 'seller_product_code'],
  itemName: ['name'],
  price: ['price'],
  quantity: ['quantity', 'qty'],
  rowTotal: ['row_total'],
  rows: ['data'],
  paging: ['paging'],
  currentPage: ['current_page'],
  lastPage: ['last_page'],
} as const;

const F = TIKI_API_FIELDS;
const MAX_PAGE = 50;
const CURRENCY = 'VND';

/** "YYYY-MM-DD HH:MM:SS" in Vietnam time, the filter format of the list (unverified). */
function vnDateTime(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function createTikiClient(http: HttpSettings): OrderApiClient {
  const platform = Platform.TIKI;

  const call = async (
    credentials: ChannelCredentials,
    path: string,
    query: Record<string, string>,
  ): Promise<JsonObject> => {
    const accessToken = accessTokenOf(platform, credentials);
    return requestJson(platform, http, {
      method: 'GET',
      url: apiUrl(http.baseUrl, path, query),
      headers: { authorization: `Bearer ${accessToken}` },
    });
  };

  const detail = (credentials: ChannelCredentials, order: JsonObject): OrderDetail => {
    const what = 'Tiki order';
    const invoice = optionalObject(order, F.invoice);
    const items = arrayAt(order, F.items, what).map((line) => {
      const product = optionalObject(line, F.product);
      const lineInvoice = optionalObject(line, F.invoice);
      const quantity = Number(pick(lineInvoice, F.quantity) ?? pick(line, F.quantity) ?? 1);
      const unitPrice = amountAt(lineInvoice, F.price, CURRENCY, `${what} item invoice`);
      const rowTotal = pick(lineInvoice, F.rowTotal);
      return {
        sku: optionalText(product, F.sku) ?? '',
        name: optionalText(product, F.itemName) ?? '',
        quantity,
        unitPrice,
        total:
          rowTotal === undefined
            ? unitPrice * quantity
            : amountAt(lineInvoice, F.rowTotal, CURRENCY, `${what} item invoice`),
      };
    });
    const customer = optionalObject(order, F.customer);
    const address = optionalObject(optionalObject(order, F.shipping), F.address);
    return orderDetail(platform, {
      table: TIKI_ORDER_STATUSES,
      externalId: requiredId(order, F.code, what),
      shopId: credentials.shopId,
      rawStatus: optionalText(order, F.status) ?? '',
      statusTime: timeAt(order, F.updatedAt, what),
      placedAt: timeAt(order, F.createdAt, what),
      currency: CURRENCY,
      subtotal: amountAt(invoice, F.subtotal, CURRENCY, `${what} invoice`),
      shippingFee: amountAt(invoice, F.shippingFee, CURRENCY, `${what} invoice`),
      discount: amountAt(invoice, F.discount, CURRENCY, `${what} invoice`),
      total: amountAt(invoice, F.total, CURRENCY, `${what} invoice`),
      buyer: buyer(
        optionalText(customer, F.customerId),
        optionalText(address, F.customerName) ?? optionalText(customer, F.customerName),
        optionalText(address, F.phone),
        optionalText(address, F.email),
      ),
      items,
    });
  };

  return {
    platform,
    async fetchOrder(credentials, externalId) {
      const order = await call(credentials, TIKI_PATHS.order(externalId), { include: 'items' });
      return readResponse(platform, () => detail(credentials, order));
    },

    async listOrders(credentials, query) {
      const page = Number(query.cursor ?? '1');
      const body = await call(credentials, TIKI_PATHS.orders, {
        page: String(page),
        limit: String(pageSizeOf(query.pageSize, MAX_PAGE)),
        created_from_date: vnDateTime(query.from),
        created_to_date: vnDateTime(new Date(query.to.getTime() - 1000)),
        include: 'items',
        order_by: 'created_at|asc',
      });
      return readResponse(platform, () => {
        const paging = optionalObject(body, F.paging);
        const last = Number(pick(paging, F.lastPage) ?? page);
        return {
          orders: arrayAt(body, F.rows, 'Tiki orders').map((order) => detail(credentials, order)),
          nextCursor: page < last ? String(page + 1) : null,
        };
      });
    },
  };
}
