import { loadConfig } from '../../src/config';
import { OrderStatus } from '../../src/entities/enums';
import {
  createOrderApiClients,
  PlatformRateLimited,
  PlatformRejected,
  PlatformUnavailable,
  toMinorUnits,
  type ChannelCredentials,
  type OrderApiClients,
  type OrderDetail,
} from '../../src/integrations/order-api';
import {
  fakeOrder,
  startFakePlatforms,
  type FakePlatform,
  type FakePlatforms,
} from '../support/fake-platforms';
import { TEST_PLATFORM_ENV } from '../support/webhooks';

let fake: FakePlatforms;
let clients: OrderApiClients;
beforeAll(async () => {
  fake = await startFakePlatforms();
  clients = createOrderApiClients(
    loadConfig({ ...TEST_PLATFORM_ENV, ...fake.env, ORDER_API_TIMEOUT_MS: '300' }).platforms,
  );
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Case = {
  platform: FakePlatform;
  shopId: string;
  /** A raw status and what the push tables make of it. */
  status: [string, OrderStatus];
  credentials: ChannelCredentials;
  signed: boolean;
};

const CASES: Case[] = [
  {
    platform: 'lazada',
    shopId: '200011',
    status: ['ready_to_ship', OrderStatus.READY_TO_SHIP],
    credentials: { shopId: '200011', accessToken: 'lz-token' },
    signed: true,
  },
  {
    platform: 'shopee',
    shopId: '300022',
    status: ['SHIPPED', OrderStatus.SHIPPED],
    credentials: { shopId: '300022', accessToken: 'sp-token' },
    signed: true,
  },
  {
    platform: 'tiktok',
    shopId: '749001',
    status: ['IN_TRANSIT', OrderStatus.SHIPPED],
    credentials: { shopId: '749001', accessToken: 'tt-token' },
    signed: true,
  },
  {
    platform: 'sendo',
    shopId: '808516',
    status: ['6', OrderStatus.SHIPPED],
    credentials: { shopId: '808516', shopKey: 'sd-key', shopSecret: 'sd-secret' },
    signed: false,
  },
  {
    platform: 'tiki',
    shopId: '77001',
    status: ['shipping', OrderStatus.SHIPPED],
    credentials: { shopId: '77001', accessToken: 'tk-token' },
    signed: false,
  },
];

describe.each(CASES)('$platform client', ({ platform, shopId, status, credentials, signed }) => {
  const numeric = () => String(Math.floor(Math.random() * 1e12) + 1e12);

  test('fetchOrder: a signed request, the detail normalized, amounts exact in minor units', async () => {
    const order = fakeOrder({
      shopId,
      externalId: numeric(),
      status: status[0],
      items: [
        { sku: 'AO-1', name: 'Áo thun', quantity: 2, unitPrice: '150000.00' },
        { sku: 'QU-2', name: 'Quần jean', quantity: 1, unitPrice: '99000.00' },
      ],
      shippingFee: '15000.00',
      discount: '20000.00',
      total: '394000.00',
      buyer: { id: '5550001', name: 'Trần Thị Bích', phone: '0912 345 678' },
    });
    fake.addOrder(platform, order);
    const detail = await clients[platform].fetchOrder(credentials, order.externalId);
    expect(detail).toMatchObject<Partial<OrderDetail>>({
      externalId: order.externalId,
      shopId,
      rawStatus: status[0],
      status: status[1],
      currency: 'VND',
      subtotal: 399_000,
      shippingFee: 15_000,
      discount: 20_000,
      total: 394_000,
      placedAt: order.createdAt,
      statusTime: order.updatedAt,
    });
    expect(detail.buyer).toMatchObject({ name: 'Trần Thị Bích', phone: '0912 345 678' });
    expect(detail.items).toEqual([
      { sku: 'AO-1', name: 'Áo thun', quantity: 2, unitPrice: 150_000, total: 300_000 },
      { sku: 'QU-2', name: 'Quần jean', quantity: 1, unitPrice: 99_000, total: 99_000 },
    ]);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.signatureOk)).toBe(true);
  });

  test('listOrders walks every page of the range and nothing outside it', async () => {
    const inRange = Array.from({ length: 5 }, (_, i) =>
      fakeOrder({
        shopId,
        externalId: numeric(),
        status: status[0],
        createdAt: new Date(Date.UTC(2024, 5, 10, 2 + i)),
      }),
    );
    const outside = fakeOrder({
      shopId,
      externalId: numeric(),
      status: status[0],
      createdAt: new Date('2024-06-20T03:00:00Z'),
    });
    for (const order of [...inRange, outside]) fake.addOrder(platform, order);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const result = await clients[platform].listOrders(credentials, {
        from: new Date('2024-06-10T00:00:00Z'),
        to: new Date('2024-06-11T00:00:00Z'),
        cursor,
        pageSize: 2,
      });
      seen.push(...result.orders.map((o) => o.externalId));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(inRange.map((o) => o.externalId));
    expect(fake.requests.filter((r) => r.kind === 'list').length).toBeGreaterThanOrEqual(3);
  });

  test('429 is PlatformRateLimited with Retry-After; 5xx and a timeout are PlatformUnavailable; an unknown order is PlatformRejected', async () => {
    const order = fakeOrder({ shopId, externalId: numeric(), status: status[0] });
    fake.addOrder(platform, order);
    const fetch = () => clients[platform].fetchOrder(credentials, order.externalId);
    // Lazada reads an order with two requests at once; both fail, so none is left over.
    const times = platform === 'lazada' ? 2 : 1;

    fake.failNext(platform, 'detail', { status: 429, retryAfter: '7', times });
    const limited = await fetch().catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(PlatformRateLimited);
    expect((limited as PlatformRateLimited).retryAfterMs).toBe(7_000);

    fake.failNext(platform, 'detail', { status: 503, times });
    await expect(fetch()).rejects.toBeInstanceOf(PlatformUnavailable);

    fake.failNext(platform, 'detail', { delayMs: 1_000, times });
    await expect(fetch()).rejects.toThrow(/timed out after 300 ms/);

    await expect(clients[platform].fetchOrder(credentials, 'NO-SUCH-ORDER')).rejects.toBeInstanceOf(
      PlatformRejected,
    );
    expect((await fetch()).externalId).toBe(order.externalId);
  });

  if (signed) {
    test('a request signed with the wrong secret is refused by the platform (PlatformRejected)', async () => {
      const wrong = createOrderApiClients(
        loadConfig({
          ...TEST_PLATFORM_ENV,
          ...fake.env,
          LAZADA_APP_SECRET: 'not-the-secret',
          SHOPEE_PARTNER_KEY: 'not-the-secret',
          TIKTOK_APP_SECRET: 'not-the-secret',
        }).platforms,
      );
      const order = fakeOrder({ shopId, externalId: numeric(), status: status[0] });
      fake.addOrder(platform, order);
      await expect(
        wrong[platform].fetchOrder(credentials, order.externalId),
      ).rejects.toBeInstanceOf(PlatformRejected);
      expect(fake.requests.some((r) => !r.signatureOk)).toBe(true);
    });
  }
});

describe('amounts in minor units', () => {
  test.each<[unknown, string, number]>([
    ['150000.00', 'VND', 150_000],
    ['150000', 'VND', 150_000],
    [150000, 'VND', 150_000],
    ['19.99', 'USD', 1_999],
    [19.99, 'USD', 1_999],
    ['0.07', 'MYR', 7],
    ['1,250,000', 'VND', 1_250_000],
    [null, 'VND', 0],
  ])('%p %s is %d', (value, currency, minor) => {
    expect(toMinorUnits(value, currency, 'amount')).toBe(minor);
  });

  test('more decimals than the currency has are an error, never a rounding', () => {
    expect(() => toMinorUnits('150000.5', 'VND', 'amount')).toThrow(/more decimals than VND/);
    expect(() => toMinorUnits('1.999', 'USD', 'amount')).toThrow(/more decimals/);
    expect(() => toMinorUnits('abc', 'VND', 'amount')).toThrow(/not a decimal/);
  });
});
