import { Customer, InboundEvent, Order, OrderItem, OrderStatusEvent } from '../src/entities';
import { InboundEventStatus, OrderStatus, Platform } from '../src/entities/enums';
import { platformModules } from '../src/integrations';
import { PlatformUnavailable } from '../src/integrations/order-api';
import { inboundService } from '../src/services/orders/inbound.service';
import { inboxOf } from '../src/services/orders/inbound-store';
import { enrichOrder, type EnrichmentQueue } from '../src/services/orders/order-enrichment.service';
import { factories } from './support/factories';
import { fakeOrder, startFakePlatforms, type FakePlatforms } from './support/fake-platforms';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, TEST_PLATFORM_ENV, type SignedPush, postPush } from './support/webhooks';

let fake: FakePlatforms;
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  fake = await startFakePlatforms();
  t = await startTestApp({ platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env } });
  make = factories(t.orm);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

let sequence = 0;
const unique = () => `${Date.now()}${(sequence += 1)}`;
/** A valid Vietnamese mobile number nobody else in this run has. */
const freshPhone = () => `09${String(10_000_000 + ((Date.now() + (sequence += 1)) % 89_999_999))}`;

const post = (app: TestApp, push: SignedPush) => postPush(app.app.httpServer, push);

async function eventually<T>(
  read: () => Promise<T | null | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const orderOf = (app: TestApp, platform: Platform, externalId: string) =>
  app.orm.em.fork().findOne(Order, { platform, externalId });
const enrich = (orderId: string) =>
  enrichOrder(t.orm, t.bus, t.app.services.orderSync.clients, orderId);

type PushCase = {
  platform: Platform;
  key: 'lazada' | 'shopee' | 'tiktok';
  shop: () => string;
  push: (shop: string, order: string, status: string, time: number) => SignedPush;
  status: string;
  /** The phone the existing customer was saved with. */
  phone: () => string;
};

const PUSH_CASES: PushCase[] = [
  {
    platform: Platform.LAZADA,
    key: 'lazada',
    shop: () => `2000${unique()}`,
    push: (...args) => pushes.lazada(...args),
    status: 'pending',
    phone: freshPhone,
  },
  {
    platform: Platform.SHOPEE,
    key: 'shopee',
    shop: unique,
    push: (...args) => pushes.shopee(...args),
    status: 'READY_TO_SHIP',
    phone: () => '0912345678',
  },
  {
    platform: Platform.TIKTOK,
    key: 'tiktok',
    shop: () => `749${unique()}`,
    push: (...args) => pushes.tiktok(...args),
    status: 'AWAITING_SHIPMENT',
    phone: freshPhone,
  },
];

describe.each(PUSH_CASES)(
  '$platform push, then the order detail',
  ({ platform, key, shop: shopId, push, status, phone: savedPhone }) => {
    test('the push creates the order at once with zero amounts; enrichment fills amounts, items and buyer, and links the customer by phone', async () => {
      const shop = shopId();
      await make.channel({ platform, externalShopId: shop, accessToken: `${key}-token` });
      const saved = savedPhone();
      const existing = await make.customer({ phone: saved });
      const externalId = `${Date.now()}${(sequence += 1)}`.slice(-15);
      expect((await post(t, push(shop, externalId, status, 1_718_000_000))).status).toBe(200);
      const created = await eventually(() => orderOf(t, platform, externalId));
      expect(created).toMatchObject({ subtotal: 0, total: 0, enrichedAt: null });

      // The platform writes the phone its own way; the customer was saved as 0912...
      const phone = `+84 ${saved.slice(1, 4)} ${saved.slice(4, 7)} ${saved.slice(7)}`;
      fake.addOrder(
        key,
        fakeOrder({
          shopId: shop,
          externalId,
          status,
          createdAt: new Date(1_717_999_000_000),
          updatedAt: new Date(1_718_000_000_000),
          items: [{ sku: 'AO-1', name: 'Áo dài lụa', quantity: 2, unitPrice: '250000.00' }],
          shippingFee: '30000.00',
          discount: '0.00',
          total: '530000.00',
          buyer: { id: '8800123', name: 'Lê Minh Châu', phone },
        }),
      );
      expect(await enrich(created.id)).toBe('enriched');
      const em = t.orm.em.fork();
      const enriched = await em.findOneOrFail(Order, created.id);
      expect(enriched).toMatchObject({
        subtotal: 500_000,
        shippingFee: 30_000,
        total: 530_000,
        currency: 'VND',
        buyerName: 'Lê Minh Châu',
        buyerPhone: `+84${saved.slice(1)}`,
        buyerPlatformId: '8800123',
        placedAt: new Date(1_717_999_000_000),
      });
      expect(enriched.enrichedAt).toBeInstanceOf(Date);
      expect(enriched.customer?.id).toBe(existing.id);
      const items = await em.find(OrderItem, { order: created.id });
      expect(items.map((i) => [i.sku, i.quantity, i.unitPrice, i.total])).toEqual([
        ['AO-1', 2, 250_000, 500_000],
      ]);

      // Enriching again replaces, never duplicates, and adds no status event.
      await enrich(created.id);
      expect(await em.fork().count(OrderItem, { order: created.id })).toBe(1);
      expect(await em.fork().count(OrderStatusEvent, { order: created.id })).toBe(1);
    });
  },
);

describe('enrichment and the status lattice', () => {
  const shopee = async () => {
    const shop = unique();
    const channel = await make.channel({
      platform: Platform.SHOPEE,
      externalShopId: shop,
      accessToken: 'sp-token',
    });
    return { shop, channel };
  };

  test('a failing detail fetch (500 twice) fails the job, changes nothing, and the retry enriches', async () => {
    const { shop } = await shopee();
    const sn = `SN${unique()}`;
    await post(t, pushes.shopee(shop, sn, 'SHIPPED', 1_718_000_000));
    const order = await eventually(() => orderOf(t, Platform.SHOPEE, sn));
    fake.addOrder(
      'shopee',
      fakeOrder({
        shopId: shop,
        externalId: sn,
        status: 'SHIPPED',
        updatedAt: new Date(1_718_000_000_000),
      }),
    );
    fake.failNext('shopee', 'detail', { status: 500, times: 2 });
    await expect(enrich(order.id)).rejects.toBeInstanceOf(PlatformUnavailable);
    await expect(enrich(order.id)).rejects.toBeInstanceOf(PlatformUnavailable);
    const untouched = await t.orm.em.fork().findOneOrFail(Order, order.id);
    expect(untouched).toMatchObject({ status: OrderStatus.SHIPPED, total: 0, enrichedAt: null });
    expect(await enrich(order.id)).toBe('enriched');
    expect(await t.orm.em.fork().findOneOrFail(Order, order.id)).toMatchObject({
      status: OrderStatus.SHIPPED,
      total: 150_000,
    });
  });

  test('a detail with an older status does not move the order back; a newer one moves it and is recorded', async () => {
    const { shop } = await shopee();
    const sn = `SN${unique()}`;
    await post(t, pushes.shopee(shop, sn, 'SHIPPED', 1_718_000_500));
    const order = await eventually(() => orderOf(t, Platform.SHOPEE, sn));
    // Read from a replica that lags: PROCESSED (READY_TO_SHIP), dated before the push.
    fake.addOrder(
      'shopee',
      fakeOrder({
        shopId: shop,
        externalId: sn,
        status: 'PROCESSED',
        updatedAt: new Date(1_718_000_100_000),
      }),
    );
    await enrich(order.id);
    const em = t.orm.em.fork();
    expect(await em.findOneOrFail(Order, order.id)).toMatchObject({
      status: OrderStatus.SHIPPED,
      rawStatus: 'SHIPPED',
      total: 150_000,
    });
    expect(await em.count(OrderStatusEvent, { order: order.id })).toBe(1);

    fake.addOrder(
      'shopee',
      fakeOrder({
        shopId: shop,
        externalId: sn,
        status: 'TO_CONFIRM_RECEIVE',
        updatedAt: new Date(1_718_000_900_000),
      }),
    );
    await enrich(order.id);
    expect(await em.fork().findOneOrFail(Order, order.id)).toMatchObject({
      status: OrderStatus.DELIVERED,
      rawStatus: 'TO_CONFIRM_RECEIVE',
    });
    const history = await em
      .fork()
      .find(OrderStatusEvent, { order: order.id }, { orderBy: { eventTime: 'asc' } });
    expect(history.map((h) => [h.rawStatus, h.applied])).toEqual([
      ['SHIPPED', true],
      ['TO_CONFIRM_RECEIVE', true],
    ]);
  });

  test('two orders of one new buyer enriched at the same time give one customer', async () => {
    const { shop, channel } = await shopee();
    for (let round = 0; round < 4; round += 1) {
      const phone = freshPhone();
      const buyerId = `77${unique()}`;
      const orders = await Promise.all(
        [1, 2].map(async () => {
          const externalId = `SN${unique()}`;
          fake.addOrder(
            'shopee',
            fakeOrder({
              shopId: shop,
              externalId,
              status: 'READY_TO_SHIP',
              buyer: { id: buyerId, name: 'Đỗ Quang Huy', phone },
            }),
          );
          return make.order(
            { channel },
            { externalId, subtotal: 0, total: 0, status: OrderStatus.CONFIRMED },
          );
        }),
      );
      await Promise.all(orders.map((order) => enrich(order.id)));
      const em = t.orm.em.fork();
      const linked = await em.find(Order, { id: { $in: orders.map((o) => o.id) } });
      expect(linked[0]!.customer?.id).toBeDefined();
      expect(linked[0]!.customer?.id).toBe(linked[1]!.customer?.id);
      const e164 = `+84${phone.slice(1)}`;
      expect(await em.count(Customer, { phone: e164 })).toBe(1);
    }
  });

  test.each(['one by one', 'in a batch'])(
    'a new order, a stale-but-newer event and an anomaly ask for the detail; a plainly late event does not (%s)',
    async (path) => {
      const { shop } = await shopee();
      const sn = `SN${unique()}`;
      const queued: string[] = [];
      const queue: EnrichmentQueue = {
        enqueue: async (_em, orderId) => void queued.push(orderId),
        enqueueMany: async (_em, orderIds) => void queued.push(...orderIds),
      };
      const sync = { clients: t.app.services.orderSync.clients, queue };
      const apply = async (push: SignedPush) => {
        const { stored } = await inboundService.receive(
          inboxOf(t.orm.em.fork()),
          platformModules.shopee,
          { rawBody: push.body, headers: push.headers },
        );
        const deps = { orm: t.orm, bus: t.bus, modules: platformModules, maxAttempts: 3, sync };
        if (path === 'in a batch') {
          await inboundService.applyMany({ ...deps, ids: stored });
          return;
        }
        for (const id of stored) await inboundService.apply(deps, id);
      };
      await apply(pushes.shopee(shop, sn, 'SHIPPED', 1_718_000_500));
      const order = await eventually(() => orderOf(t, Platform.SHOPEE, sn));
      expect(queued).toEqual([order.id]);
      await apply(pushes.shopee(shop, sn, 'PROCESSED', 1_718_000_100)); // late: older than the stored status
      expect(queued).toHaveLength(1);
      await apply(pushes.shopee(shop, sn, 'PROCESSED', 1_718_000_900)); // lower rank but newer: reworked?
      expect(queued).toHaveLength(2);
      await apply(pushes.shopee(shop, sn, 'CANCELLED', 1_718_001_000));
      await apply(pushes.shopee(shop, sn, 'SHIPPED', 1_718_001_100)); // after a terminal status
      expect(queued).toEqual([order.id, order.id, order.id]);
    },
  );
});

describe('Sendo pushes are confirmed by fetching the order', () => {
  const sendoShop = async () => {
    const shop = `8${unique().slice(-8)}`;
    const shopKey = `sd-key-${unique()}`;
    await make.channel({
      platform: Platform.SENDO,
      externalShopId: shop,
      shopKey,
      shopSecret: 'sd-secret',
    });
    return { shop, shopKey };
  };

  test('a push for an order Sendo does not know is a dead letter, and no order exists', async () => {
    const { shop, shopKey } = await sendoShop();
    const number = `9${unique()}`;
    const signed = pushes.sendo(shop, number, '2', 1_718_000_000, shopKey);
    expect((await post(t, signed)).status).toBe(200);
    const dead = await eventually(() =>
      t.orm.em.fork().findOne(InboundEvent, {
        platform: Platform.SENDO,
        rawBody: signed.body.toString(),
        status: InboundEventStatus.DEAD,
      }),
    );
    expect(dead.lastError).toMatch(/not confirmed by Sendo: order \d+/);
    expect(await orderOf(t, Platform.SENDO, number)).toBeNull();
  });

  test("a push for a known order stores the detail's status, amounts and buyer, not the push's", async () => {
    const { shop, shopKey } = await sendoShop();
    const number = `9${unique()}`;
    fake.addOrder(
      'sendo',
      fakeOrder({
        shopId: shop,
        externalId: number,
        status: '6',
        updatedAt: new Date(1_718_000_300_000),
        items: [{ sku: 'GIAY-42', name: 'Giày thể thao', quantity: 1, unitPrice: '420000' }],
        shippingFee: '18000',
        discount: '20000',
        total: '418000',
        buyer: { name: 'Phạm Thu Hà', phone: freshPhone() },
      }),
    );
    expect((await post(t, pushes.sendo(shop, number, '2', 1_718_000_000, shopKey))).status).toBe(
      200,
    );
    const order = await eventually(() => orderOf(t, Platform.SENDO, number));
    expect(order).toMatchObject({
      status: OrderStatus.SHIPPED,
      rawStatus: '6',
      subtotal: 420_000,
      shippingFee: 18_000,
      discount: 20_000,
      total: 418_000,
      buyerName: 'Phạm Thu Hà',
      statusSourceTime: new Date(1_718_000_300_000),
    });
    expect(order.enrichedAt).toBeInstanceOf(Date);
    expect(order.customer).toBeDefined();
  });

  test('Sendo being down fails the apply for a later retry; nothing is stored meanwhile', async () => {
    const { shop, shopKey } = await sendoShop();
    const number = `9${unique()}`;
    fake.addOrder('sendo', fakeOrder({ shopId: shop, externalId: number, status: '2' }));
    fake.failNext('sendo', 'detail', { status: 502 });
    const signed = pushes.sendo(shop, number, '2', 1_718_000_000, shopKey);
    expect((await post(t, signed)).status).toBe(200);
    const failed = await eventually(() =>
      t.orm.em.fork().findOne(InboundEvent, {
        rawBody: signed.body.toString(),
        status: InboundEventStatus.FAILED,
      }),
    );
    expect(failed.lastError).toMatch(/HTTP 502/);
    expect(await orderOf(t, Platform.SENDO, number)).toBeNull();
    await inboundService.apply(
      {
        orm: t.orm,
        bus: t.bus,
        modules: platformModules,
        maxAttempts: 3,
        sync: t.app.services.orderSync,
      },
      failed.id,
    );
    expect(await orderOf(t, Platform.SENDO, number)).toMatchObject({
      status: OrderStatus.CONFIRMED,
    });
  });
});

describe('through the real pg-boss queue', () => {
  test('a TikTok push is enriched by the enrich-order job, sent in the apply transaction', async () => {
    const withJobs = await startTestApp({
      jobs: true,
      platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env },
    });
    try {
      const shop = `749${unique()}`;
      await factories(withJobs.orm).channel({
        platform: Platform.TIKTOK,
        externalShopId: shop,
        accessToken: 'tt-token',
      });
      const id = `5764${unique()}`;
      fake.addOrder(
        'tiktok',
        fakeOrder({
          shopId: shop,
          externalId: id,
          status: 'AWAITING_SHIPMENT',
          updatedAt: new Date(1_718_000_000_000),
          total: '150000',
        }),
      );
      expect(
        (await post(withJobs, pushes.tiktok(shop, id, 'AWAITING_SHIPMENT', 1_718_000_000))).status,
      ).toBe(200);
      const enriched = await eventually(async () => {
        const order = await orderOf(withJobs, Platform.TIKTOK, id);
        return order?.enrichedAt ? order : null;
      }, 20_000);
      expect(enriched).toMatchObject({
        status: OrderStatus.CONFIRMED,
        total: 150_000,
        subtotal: 150_000,
      });
      expect(enriched.customer).toBeDefined();
    } finally {
      await withJobs.close();
    }
  });
});
