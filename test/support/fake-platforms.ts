/**
 * A fake of the five marketplaces' order APIs on one local HTTP server, for
 * tests of the order-API clients, enrichment and (date-range) order sync.
 *
 *   const fake = await startFakePlatforms();          // 127.0.0.1, a free port
 *   const app = await startTestApp({ platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env } });
 *   fake.addOrder('shopee', fakeOrder({ shopId: '123', externalId: 'SN1', status: 'READY_TO_SHIP' }));
 *   fake.failNext('shopee', 'detail', { status: 500, times: 2 });   // then it answers again
 *   fake.failNext('lazada', 'list', { status: 429, retryAfter: '7' });
 *   fake.failNext('tiki', 'detail', { delayMs: 2_000 });           // slower than the client's timeout
 *   fake.failNext('tiktok', 'detail', { notFound: true });         // the platform's own "no such order"
 *   fake.failNext('shopee', 'detail', { tokenExpired: true });     // the platform's own "token invalid/expired"
 *   fake.requests                                                    // every request, with signatureOk
 *   await fake.close();
 *
 * Each platform lives under its own prefix (`fake.env` holds the
 * `<P>_API_BASE_URL` values). The fake checks each request the way its
 * platform does, computing signatures here, independently of src/: Lazada's
 * upper-case HMAC over path + sorted params, Shopee's partner_id + path +
 * timestamp + access_token + shop_id, TikTok's app_secret-wrapped HMAC with
 * x-tts-access-token, Sendo's bearer token from POST /login and Tiki's bearer
 * token. A bad signature is answered as the platform answers it (an error
 * code), so a signing bug fails the client's call. Any non-empty access
 * token is accepted, unless `tokens` says which are (the OAuth fake's
 * `accepts`): a token it refuses is answered with the platform's own
 * "invalid or expired access token" (TOKEN_ANSWERS). Sendo's tokens are
 * this fake's own, from POST /login, and end 8 hours after it on `now`. Lists page by the platform's scheme (offset, cursor,
 * page token, next_token, page number) over orders sorted by creation time.
 *
 * Amounts of a FakeOrder are decimal strings in major units, as Lazada,
 * TikTok and Tiki send them; Shopee gets them as JSON numbers, Sendo as
 * integers (VND).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_PLATFORM_ENV } from './webhooks';

export type FakePlatform = 'lazada' | 'shopee' | 'tiktok' | 'sendo' | 'tiki';
export type FakeCallKind = 'detail' | 'list' | 'login';

export type FakeOrder = {
  shopId: string;
  externalId: string;
  /** The platform's raw status (Sendo: the integer code as text). */
  status: string;
  createdAt: Date;
  updatedAt: Date;
  currency: string;
  items: { sku: string; name: string; quantity: number; unitPrice: string }[];
  shippingFee: string;
  discount: string;
  total: string;
  buyer: { id?: string; name?: string; phone?: string; email?: string };
};

export type FailureSpec = {
  /** HTTP status to answer with (500, 503, 429...). */
  status?: number;
  /** With 429: the Retry-After header. */
  retryAfter?: string;
  /** Answer this late (longer than the client's timeout simulates a timeout). */
  delayMs?: number;
  /** Answer as the platform answers for an order it does not know. */
  notFound?: boolean;
  /** Answer as the platform answers a request whose access token is invalid or expired. */
  tokenExpired?: boolean;
  /** How many requests fail (default 1). */
  times?: number;
};

export type FakeRequest = {
  platform: FakePlatform;
  kind: FakeCallKind;
  method: string;
  /** The platform's own path (prefix removed). */
  path: string;
  query: Record<string, string>;
  body: string;
  signatureOk: boolean;
  /** The access token it carried (query, header or bearer), if any. */
  token?: string;
};

export type FakePlatforms = {
  url: string;
  /** `<P>_API_BASE_URL` for every platform, pointing here. */
  env: Record<string, string>;
  addOrder: (platform: FakePlatform, order: FakeOrder) => void;
  failNext: (platform: FakePlatform, kind: FakeCallKind, spec: FailureSpec) => void;
  requests: FakeRequest[];
  /** Forgets orders, failures and requests. */
  reset: () => void;
  close: () => Promise<void>;
};

let fakeSequence = 0;

/** An order with sensible defaults: one item of 150000.00 VND, free shipping. */
export function fakeOrder(
  overrides: Partial<FakeOrder> & Pick<FakeOrder, 'shopId' | 'status'>,
): FakeOrder {
  fakeSequence += 1;
  return {
    externalId: `F${Date.now()}${fakeSequence}`,
    createdAt: new Date('2024-06-10T03:00:00Z'),
    updatedAt: new Date('2024-06-10T03:05:00Z'),
    currency: 'VND',
    items: [{ sku: 'SKU-1', name: 'Áo thun', quantity: 1, unitPrice: '150000.00' }],
    shippingFee: '0.00',
    discount: '0.00',
    total: '150000.00',
    buyer: { id: `B${fakeSequence}`, name: 'Nguyễn Văn A', phone: '0912345678' },
    ...overrides,
  };
}

const PREFIX: Record<FakePlatform, string> = {
  lazada: '/lazada/rest',
  shopee: '/shopee',
  tiktok: '/tiktok',
  sendo: '/sendo',
  tiki: '/tiki',
};

const hmacHex = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
/** "YYYY-MM-DD HH:MM:SS" in Vietnam time, optionally with the zone Lazada appends. */
const vnText = (date: Date, zone = '') =>
  new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ') + zone;

function decimals(text: string): number {
  return text.split('.')[1]?.length ?? 0;
}
function times(unitPrice: string, quantity: number): string {
  return (Number(unitPrice) * quantity).toFixed(decimals(unitPrice));
}
function subtotal(order: FakeOrder): string {
  const first = order.items[0]?.unitPrice ?? '0';
  return order.items
    .reduce((sum, item) => sum + Number(item.unitPrice) * item.quantity, 0)
    .toFixed(decimals(first));
}
/** Lazada and TikTok list one line per unit. */
function units(order: FakeOrder) {
  return order.items.flatMap((item) => Array.from({ length: item.quantity }, () => item));
}

type Answer = { status?: number; body: unknown; headers?: Record<string, string> };

/**
 * Each platform's answer to an access token it no longer accepts: Lazada's
 * IllegalAccessToken and TikTok's 105002 (their API error tables), Shopee's
 * error_auth "Invalid access_token." (its order API error list), a 401 for
 * the bearer-token platforms.
 */
export const TOKEN_ANSWERS: Record<FakePlatform, Answer> = {
  lazada: {
    body: {
      code: 'IllegalAccessToken',
      type: 'ISV',
      message: 'The specified access token is invalid or expired',
    },
  },
  shopee: { status: 403, body: { error: 'error_auth', message: 'Invalid access_token.' } },
  tiktok: {
    body: {
      code: 105002,
      message: 'Expired credentials. The x-tts-access-token header has expired.',
      data: null,
    },
  },
  sendo: { status: 401, body: { success: false, error: { message: 'Unauthorized' } } },
  tiki: { status: 401, body: { error: 'invalid_token' } },
};

export async function startFakePlatforms(
  secrets: {
    lazadaAppSecret?: string;
    shopeePartnerId?: string;
    shopeePartnerKey?: string;
    tiktokAppSecret?: string;
    /** Which access tokens the platforms accept (shopId where the request names one). */
    tokens?: (platform: FakePlatform, shopId: string | undefined, token: string) => boolean;
    /** The clock of Sendo's token expiries. */
    now?: () => Date;
  } = {},
): Promise<FakePlatforms> {
  const now = secrets.now ?? (() => new Date());
  const lazadaSecret = secrets.lazadaAppSecret ?? TEST_PLATFORM_ENV.LAZADA_APP_SECRET;
  const partnerId = secrets.shopeePartnerId ?? TEST_PLATFORM_ENV.SHOPEE_PARTNER_ID;
  const partnerKey = secrets.shopeePartnerKey ?? TEST_PLATFORM_ENV.SHOPEE_PARTNER_KEY;
  const tiktokSecret = secrets.tiktokAppSecret ?? TEST_PLATFORM_ENV.TIKTOK_APP_SECRET;

  const orders = new Map<FakePlatform, Map<string, FakeOrder>>();
  const failures = new Map<string, FailureSpec & { left: number }>();
  const requests: FakeRequest[] = [];
  /** Sendo token -> when it ends. */
  const sendoTokens = new Map<string, number>();
  let sendoLogins = 0;

  const ordersOf = (platform: FakePlatform, shopId?: string) =>
    [...(orders.get(platform)?.values() ?? [])]
      .filter((order) => shopId === undefined || order.shopId === shopId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const find = (platform: FakePlatform, id: string) => orders.get(platform)?.get(id);
  const inRange = (list: FakeOrder[], from: Date, to: Date) =>
    list.filter((o) => o.createdAt >= from && o.createdAt < to);

  // ---- platform shapes -------------------------------------------------------------

  const lazadaOrder = (o: FakeOrder) => ({
    order_id: Number(o.externalId) || o.externalId,
    created_at: vnText(o.createdAt, ' +0700'),
    updated_at: vnText(o.updatedAt, ' +0700'),
    statuses: [o.status],
    price: subtotal(o),
    shipping_fee: o.shippingFee,
    voucher: o.discount,
    customer_first_name: o.buyer.name ?? '',
    customer_last_name: '',
    address_shipping: { first_name: o.buyer.name ?? '', phone: o.buyer.phone ?? '' },
    buyer_id: o.buyer.id,
  });
  const lazadaItems = (o: FakeOrder) =>
    units(o).map((item, i) => ({
      order_id: o.externalId,
      order_item_id: `${o.externalId}${i}`,
      sku: item.sku,
      name: item.name,
      item_price: item.unitPrice,
      currency: o.currency,
      status: o.status,
    }));
  const shopeeOrder = (o: FakeOrder) => ({
    order_sn: o.externalId,
    order_status: o.status,
    currency: o.currency,
    create_time: seconds(o.createdAt),
    update_time: seconds(o.updatedAt),
    total_amount: Number(o.total),
    actual_shipping_fee: Number(o.shippingFee),
    buyer_user_id: o.buyer.id === undefined ? undefined : Number(o.buyer.id) || o.buyer.id,
    buyer_username: o.buyer.name,
    recipient_address: { name: o.buyer.name, phone: o.buyer.phone },
    item_list: o.items.map((item) => ({
      item_sku: item.sku,
      model_sku: '',
      item_name: item.name,
      model_quantity_purchased: item.quantity,
      model_discounted_price: Number(item.unitPrice),
    })),
  });
  const tiktokOrder = (o: FakeOrder) => ({
    id: o.externalId,
    status: o.status,
    create_time: seconds(o.createdAt),
    update_time: seconds(o.updatedAt),
    user_id: o.buyer.id,
    buyer_email: o.buyer.email,
    recipient_address: { name: o.buyer.name, phone_number: o.buyer.phone },
    payment: {
      currency: o.currency,
      sub_total: subtotal(o),
      shipping_fee: o.shippingFee,
      seller_discount: o.discount,
      platform_discount: '0',
      total_amount: o.total,
    },
    line_items: units(o).map((item, i) => ({
      id: `${o.externalId}-${i}`,
      seller_sku: item.sku,
      product_name: item.name,
      sale_price: item.unitPrice,
    })),
  });
  const sendoOrder = (o: FakeOrder) => ({
    sales_order: {
      order_number: o.externalId,
      order_status: Number(o.status),
      store_id: o.shopId,
      order_date_time_stamp: seconds(o.createdAt),
      updated_date_time_stamp: seconds(o.updatedAt),
      shipping_fee: Number(o.shippingFee),
      voucher_value: Number(o.discount),
      total_amount: Number(o.total),
      buyer_id: o.buyer.id,
      receiver_name: o.buyer.name,
      shipping_contact_phone: o.buyer.phone,
      buyer_email: o.buyer.email,
    },
    sku_details: o.items.map((item) => ({
      sku: item.sku,
      product_name: item.name,
      quantity: item.quantity,
      price: Number(item.unitPrice),
      amount: Number(times(item.unitPrice, item.quantity)),
    })),
  });
  const tikiOrder = (o: FakeOrder) => ({
    code: o.externalId,
    status: o.status,
    created_at: vnText(o.createdAt),
    updated_at: vnText(o.updatedAt),
    invoice: {
      items_total: subtotal(o),
      shipping_amount_after_discount: o.shippingFee,
      discount_amount: o.discount,
      grand_total: o.total,
    },
    customer: { id: o.buyer.id, full_name: o.buyer.name },
    shipping: { address: { full_name: o.buyer.name, phone: o.buyer.phone, email: o.buyer.email } },
    items: o.items.map((item) => ({
      product: { sku: item.sku, name: item.name },
      invoice: {
        price: item.unitPrice,
        quantity: item.quantity,
        row_total: times(item.unitPrice, item.quantity),
      },
    })),
  });

  const notFound: Record<FakePlatform, Answer> = {
    lazada: { body: { code: '16', type: 'ISV', message: 'E016: Invalid Order ID' } },
    shopee: { body: { error: '', message: '', response: { order_list: [] } } },
    tiktok: { body: { code: 0, message: 'Success', data: { orders: [] } } },
    sendo: {
      body: {
        success: false,
        result: null,
        status_code: 404,
        error: { message: 'Không tìm thấy' },
      },
    },
    tiki: { status: 404, body: { error: 'order not found' } },
  };

  // ---- routing ----------------------------------------------------------------------

  type Route = {
    kind: FakeCallKind;
    /** Whether the request carries the platform's credentials and a valid signature. */
    verify: (req: RequestParts) => boolean;
    answer: (req: RequestParts) => Answer;
  };
  type RequestParts = {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: IncomingMessage['headers'];
    body: string;
  };

  const lazadaSigned = ({ path, query }: RequestParts) => {
    const { sign, ...params } = query;
    const text = Object.keys(params)
      .sort()
      .map((key) => `${key}${params[key]}`)
      .join('');
    return !!params.access_token && sign === hmacHex(lazadaSecret, path + text).toUpperCase();
  };
  const shopeeSigned = ({ path, query }: RequestParts) =>
    query.partner_id === partnerId &&
    !!query.access_token &&
    query.sign ===
      hmacHex(
        partnerKey,
        `${partnerId}${path}${query.timestamp}${query.access_token}${query.shop_id}`,
      );
  const tiktokSigned = ({ path, query, headers, body }: RequestParts) => {
    const params = Object.keys(query)
      .filter((key) => key !== 'sign' && key !== 'access_token')
      .sort()
      .map((key) => `${key}${query[key]}`)
      .join('');
    return (
      !!headers['x-tts-access-token'] &&
      query.sign === hmacHex(tiktokSecret, `${tiktokSecret}${path}${params}${body}${tiktokSecret}`)
    );
  };
  const bearer = (headers: IncomingMessage['headers']) =>
    /^bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];

  const routes: Record<FakePlatform, (req: RequestParts) => Route | null> = {
    lazada: ({ path }) => {
      const lz = (kind: FakeCallKind, answer: (req: RequestParts) => unknown): Route => ({
        kind,
        verify: lazadaSigned,
        answer: (req) => ({ body: { code: '0', request_id: 'fake', data: answer(req) } }),
      });
      const detailOr = (id: string, data: (o: FakeOrder) => unknown): Answer => {
        const order = find('lazada', id);
        return order ? { body: { code: '0', data: data(order) } } : notFound.lazada;
      };
      if (path === '/order/get')
        return {
          kind: 'detail',
          verify: lazadaSigned,
          answer: (r) => detailOr(r.query.order_id ?? '', lazadaOrder),
        };
      if (path === '/order/items/get')
        return {
          kind: 'detail',
          verify: lazadaSigned,
          answer: (r) => detailOr(r.query.order_id ?? '', lazadaItems),
        };
      if (path === '/orders/get')
        return lz('list', ({ query }) => {
          const all = inRange(
            ordersOf('lazada'),
            new Date(query.created_after ?? 0),
            new Date(query.created_before ?? 0),
          );
          const offset = Number(query.offset ?? 0);
          const page = all.slice(offset, offset + Number(query.limit ?? 100));
          return { count: page.length, countTotal: all.length, orders: page.map(lazadaOrder) };
        });
      if (path === '/orders/items/get')
        return lz('list', ({ query }) =>
          (JSON.parse(query.order_ids ?? '[]') as (string | number)[]).map((id) => ({
            order_id: id,
            order_items: lazadaItems(find('lazada', String(id))!),
          })),
        );
      return null;
    },
    shopee: ({ path }) => {
      if (path === '/api/v2/order/get_order_detail')
        return {
          kind: 'detail',
          verify: shopeeSigned,
          answer: ({ query }) => ({
            body: {
              error: '',
              message: '',
              request_id: 'fake',
              response: {
                order_list: (query.order_sn_list ?? '')
                  .split(',')
                  .map((sn) => find('shopee', sn))
                  .filter((o): o is FakeOrder => o !== undefined)
                  .map(shopeeOrder),
              },
            },
          }),
        };
      if (path === '/api/v2/order/get_order_list')
        return {
          kind: 'list',
          verify: shopeeSigned,
          answer: ({ query }) => {
            const all = inRange(
              ordersOf('shopee', query.shop_id),
              new Date(Number(query.time_from) * 1000),
              new Date((Number(query.time_to) + 1) * 1000),
            );
            const offset = Number(query.cursor || 0);
            const size = Number(query.page_size ?? 20);
            const page = all.slice(offset, offset + size);
            const more = offset + size < all.length;
            return {
              body: {
                error: '',
                response: {
                  more,
                  next_cursor: more ? String(offset + size) : '',
                  order_list: page.map((o) => ({ order_sn: o.externalId, order_status: o.status })),
                },
              },
            };
          },
        };
      return null;
    },
    tiktok: ({ path }) => {
      const ok = (data: unknown): Answer => ({
        body: { code: 0, message: 'Success', request_id: 'fake', data },
      });
      if (path === '/order/202309/orders')
        return {
          kind: 'detail',
          verify: tiktokSigned,
          answer: ({ query }) =>
            ok({
              orders: (query.ids ?? '')
                .split(',')
                .map((id) => find('tiktok', id))
                .filter((o): o is FakeOrder => o !== undefined)
                .map(tiktokOrder),
            }),
        };
      if (path === '/order/202309/orders/search')
        return {
          kind: 'list',
          verify: tiktokSigned,
          answer: ({ query, body }) => {
            const filter = JSON.parse(body || '{}') as {
              create_time_ge: number;
              create_time_lt: number;
            };
            const all = inRange(
              ordersOf('tiktok'),
              new Date(filter.create_time_ge * 1000),
              new Date(filter.create_time_lt * 1000),
            );
            const offset = Number(query.page_token || 0);
            const size = Number(query.page_size ?? 20);
            const next = offset + size < all.length ? String(offset + size) : '';
            return ok({
              orders: all.slice(offset, offset + size).map(tiktokOrder),
              next_page_token: next,
              total_count: all.length,
            });
          },
        };
      return null;
    },
    sendo: ({ path }) => {
      const authorized = ({ headers }: RequestParts) =>
        (sendoTokens.get(bearer(headers) ?? '') ?? 0) > now().getTime();
      const ok = (result: unknown): Answer => ({
        body: { success: true, status_code: 200, error: null, result },
      });
      if (path === '/login')
        return {
          kind: 'login',
          verify: ({ body }) => {
            const login = JSON.parse(body || '{}') as { shop_key?: string; secret_key?: string };
            return !!login.shop_key && !!login.secret_key;
          },
          answer: ({ body }) => {
            sendoLogins += 1;
            const shopKey = (JSON.parse(body) as { shop_key: string }).shop_key;
            const token = `sendo-token-${shopKey}-${sendoLogins}`;
            const expires = now().getTime() + 8 * 3_600_000;
            sendoTokens.set(token, expires);
            return ok({ token, expires: new Date(expires).toISOString() });
          },
        };
      const detail = /^\/api\/partner\/salesorder\/([^/]+)$/.exec(path);
      if (detail && detail[1] !== 'search')
        return {
          kind: 'detail',
          verify: authorized,
          answer: () => {
            const order = find('sendo', decodeURIComponent(detail[1]!));
            return order ? ok(sendoOrder(order)) : notFound.sendo;
          },
        };
      if (path === '/api/partner/salesorder/search')
        return {
          kind: 'list',
          verify: authorized,
          answer: ({ body }) => {
            const search = JSON.parse(body || '{}') as {
              page_size: number;
              token: string;
              order_date_from: string;
              order_date_to: string;
            };
            const day = (text: string) => text.replace(/\//g, '-');
            const all = ordersOf('sendo').filter((o) => {
              const local = vnText(o.createdAt).slice(0, 10);
              return local >= day(search.order_date_from) && local <= day(search.order_date_to);
            });
            const offset = Number(search.token || 0);
            const next =
              offset + search.page_size < all.length ? String(offset + search.page_size) : '';
            return ok({
              data: all.slice(offset, offset + search.page_size).map(sendoOrder),
              next_token: next,
            });
          },
        };
      return null;
    },
    tiki: ({ path }) => {
      const authorized = ({ headers }: RequestParts) => !!bearer(headers);
      const detail = /^\/integration\/v2\/orders\/([^/]+)$/.exec(path);
      if (detail)
        return {
          kind: 'detail',
          verify: authorized,
          answer: () => {
            const order = find('tiki', decodeURIComponent(detail[1]!));
            return order ? { body: tikiOrder(order) } : notFound.tiki;
          },
        };
      if (path === '/integration/v2/orders')
        return {
          kind: 'list',
          verify: authorized,
          answer: ({ query }) => {
            const local = (text: string) => new Date(`${text.replace(' ', 'T')}+07:00`);
            const all = ordersOf('tiki').filter(
              (o) =>
                o.createdAt >= local(query.created_from_date ?? '') &&
                o.createdAt <= local(query.created_to_date ?? ''),
            );
            const page = Number(query.page ?? 1);
            const limit = Number(query.limit ?? 20);
            return {
              body: {
                data: all.slice((page - 1) * limit, page * limit).map(tikiOrder),
                paging: {
                  current_page: page,
                  last_page: Math.max(1, Math.ceil(all.length / limit)),
                  per_page: limit,
                  total: all.length,
                },
              },
            };
          },
        };
      return null;
    },
  };

  const unsigned: Record<FakePlatform, Answer> = {
    lazada: {
      body: {
        code: 'IncompleteSignature',
        type: 'ISV',
        message: 'The request signature does not conform to platform standards',
      },
    },
    shopee: { status: 403, body: { error: 'error_sign', message: 'Wrong sign.' } },
    tiktok: { body: { code: 106001, message: 'Invalid credentials', data: null } },
    sendo: { status: 401, body: { success: false, error: { message: 'Unauthorized' } } },
    tiki: { status: 401, body: { error: 'unauthorized' } },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const platform = (Object.keys(PREFIX) as FakePlatform[]).find((p) =>
      url.pathname.startsWith(PREFIX[p]),
    );
    const send = async (answer: Answer, delayMs = 0) => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return;
      res.writeHead(answer.status ?? 200, {
        'content-type': 'application/json',
        ...answer.headers,
      });
      res.end(JSON.stringify(answer.body));
    };
    if (!platform) return send({ status: 404, body: { error: 'unknown platform' } });
    const parts: RequestParts = {
      method: req.method ?? 'GET',
      path: url.pathname.slice(PREFIX[platform].length),
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const route = routes[platform](parts);
    if (!route) return send({ status: 404, body: { error: `no route ${parts.path}` } });
    const signatureOk = route.verify(parts);
    const token =
      parts.query.access_token ??
      (parts.headers['x-tts-access-token'] as string | undefined) ??
      bearer(parts.headers);
    requests.push({
      platform,
      kind: route.kind,
      method: parts.method,
      path: parts.path,
      query: parts.query,
      body: parts.body,
      signatureOk,
      token,
    });
    const failure = failures.get(`${platform}:${route.kind}`);
    if (failure && failure.left > 0) {
      failure.left -= 1;
      if (failure.notFound) return send(notFound[platform]);
      if (failure.tokenExpired) return send(TOKEN_ANSWERS[platform]);
      if (failure.status) {
        return send(
          {
            status: failure.status,
            body: { error: 'injected failure' },
            headers: failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
          },
          failure.delayMs,
        );
      }
      return send(route.answer(parts), failure.delayMs);
    }
    if (!signatureOk) return send(platform === 'sendo' ? TOKEN_ANSWERS.sendo : unsigned[platform]);
    if (
      secrets.tokens &&
      platform !== 'sendo' &&
      route.kind !== 'login' &&
      !secrets.tokens(platform, parts.query.shop_id, token ?? '')
    ) {
      return send(TOKEN_ANSWERS[platform]);
    }
    return send(route.answer(parts));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    env: {
      LAZADA_API_BASE_URL: `${url}${PREFIX.lazada}`,
      SHOPEE_API_BASE_URL: `${url}${PREFIX.shopee}`,
      TIKTOK_API_BASE_URL: `${url}${PREFIX.tiktok}`,
      SENDO_API_BASE_URL: `${url}${PREFIX.sendo}`,
      TIKI_API_BASE_URL: `${url}${PREFIX.tiki}`,
    },
    addOrder: (platform, order) => {
      const table = orders.get(platform) ?? new Map<string, FakeOrder>();
      table.set(order.externalId, order);
      orders.set(platform, table);
    },
    failNext: (platform, kind, spec) => {
      failures.set(`${platform}:${kind}`, { ...spec, left: spec.times ?? 1 });
    },
    requests,
    reset: () => {
      orders.clear();
      failures.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
