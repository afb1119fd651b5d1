import type { EntityManager } from '@mikro-orm/postgresql';
import { InboundEvent, Order, OrderStatusEvent } from '../src/entities';
import { InboundEventStatus, OrderStatus, Platform } from '../src/entities/enums';
import { platformModules } from '../src/integrations';
import type { NormalizedOrderEvent } from '../src/integrations/types';
import {
  applyOrderEvents,
  OrderCreatedConcurrently,
  type StoredOrderEvent,
} from '../src/services/orders/order-apply';
import { inboundService } from '../src/services/orders/inbound.service';
import { inboxOf } from '../src/services/orders/inbound-store';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes } from './support/webhooks';

/**
 * The batch apply locks its inbox rows and orders and writes set-based.
 * These tests make another transaction hold a row the batch needs (until the
 * batch waits for it), and check what the batch does once it is released:
 * it applies on the row as committed, leaves an inbox row another worker
 * holds, and never creates an order twice.
 */
let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

let sequence = 0;
const unique = () => `${Date.now()}${(sequence += 1)}`;
const SHOPEE_TIME = 1_718_000_000;

/** A Shopee push stored in the inbox, with the event the route would have parsed. */
async function stored(shop: string, order: string, status: string, time: number) {
  const signed = pushes.shopee(shop, order, status, time);
  const result = await inboundService.receive(inboxOf(t.orm.em.fork()), platformModules.shopee, {
    rawBody: signed.body,
    headers: signed.headers,
  });
  const [inboxId] = result.stored;
  const [event] = result.events;
  if (!inboxId || !event) throw new Error('the push was not stored as an order event');
  return { inboxId, event } satisfies StoredOrderEvent;
}

/** Runs `change` in a transaction left open until the batch's write waits on it, then commits. */
async function changedMeanwhile(
  change: (em: EntityManager) => Promise<unknown>,
  batch: () => Promise<unknown>,
): Promise<unknown> {
  const em = t.orm.em.fork();
  await em.begin();
  try {
    await change(em);
    const result = batch();
    await waitForBatchToWait();
    await em.commit();
    return await result;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}

async function waitForBatchToWait(): Promise<void> {
  let waiting = false;
  for (let tries = 0; tries < 200 && !waiting; tries += 1) {
    const [row] = await t.orm.em.fork().execute<{ n: string }[]>(
      `select count(*) as n from pg_stat_activity
       where datname = current_database() and wait_event_type in ('Lock', 'Transaction')`,
    );
    waiting = Number(row?.n) > 0;
    if (!waiting) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!waiting) throw new Error('the batch write never waited on the open transaction');
}

const historyOf = async (externalId: string) => {
  const em = t.orm.em.fork();
  const order = await em.findOne(Order, { platform: Platform.SHOPEE, externalId });
  return order
    ? (await em.find(OrderStatusEvent, { order: order.id }, { orderBy: { eventTime: 'asc' } })).map(
        (event) => event.status,
      )
    : [];
};
const inboxStatus = async (id: string) =>
  (await t.orm.em.fork().findOneOrFail(InboundEvent, id)).status;
const deps = () => ({ bus: t.bus, modules: platformModules });
const applyDeps = () => ({ orm: t.orm, ...deps(), maxAttempts: 3 });
const known = (...items: StoredOrderEvent[]) =>
  new Map<string, NormalizedOrderEvent>(items.map((item) => [item.inboxId, item.event!]));

describe('the batch apply', () => {
  test('applies new orders and status changes of one batch in arrival order', async () => {
    const shop = unique();
    const order = `U${unique()}`;
    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const first = await stored(shop, order, 'READY_TO_SHIP', SHOPEE_TIME);
    const second = await stored(shop, order, 'SHIPPED', SHOPEE_TIME + 60);
    const otherOrder = `U${unique()}`;
    const other = await stored(shop, otherOrder, 'UNPAID', SHOPEE_TIME);

    const result = await applyOrderEvents(t.orm, deps(), [first, second, other]);

    expect(result.applied).toEqual([first.inboxId, second.inboxId, other.inboxId]);
    expect(await historyOf(order)).toEqual([OrderStatus.CONFIRMED, OrderStatus.SHIPPED]);
    expect(await historyOf(otherOrder)).toEqual([OrderStatus.PENDING_PAYMENT]);
    expect(await inboxStatus(first.inboxId)).toBe(InboundEventStatus.APPLIED);
    expect(await inboxStatus(second.inboxId)).toBe(InboundEventStatus.APPLIED);
  });

  test('events read back from the inbox apply as those the receiver parsed', async () => {
    const shop = unique();
    const order = `U${unique()}`;
    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const push = await stored(shop, order, 'SHIPPED', SHOPEE_TIME);
    const result = await applyOrderEvents(t.orm, deps(), [{ inboxId: push.inboxId }]);
    expect(result).toEqual({ applied: [push.inboxId], refused: [] });
    expect(await historyOf(order)).toEqual([OrderStatus.SHIPPED]);
  });

  test('an event of a shop not connected is refused with the reason, and nothing is written', async () => {
    const shop = unique();
    const order = `U${unique()}`;
    const push = await stored(shop, order, 'SHIPPED', SHOPEE_TIME);
    const result = await applyOrderEvents(t.orm, deps(), [push]);
    expect(result).toEqual({
      applied: [],
      refused: [{ inboxId: push.inboxId, reason: `no connected SHOPEE channel for shop ${shop}` }],
    });
    expect(await inboxStatus(push.inboxId)).toBe(InboundEventStatus.RECEIVED);
  });

  test('an order changed by another transaction while the batch waits for its lock: the batch applies on it as committed', async () => {
    const shop = unique();
    const order = `U${unique()}`;
    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const created = await stored(shop, order, 'READY_TO_SHIP', SHOPEE_TIME);
    await applyOrderEvents(t.orm, deps(), [created]);
    const shipped = await stored(shop, order, 'SHIPPED', SHOPEE_TIME + 60);

    await changedMeanwhile(
      (em) =>
        em.execute(
          `update "customer_order" set "raw_status" = 'changed meanwhile' where "external_id" = ?`,
          [order],
        ),
      () => applyOrderEvents(t.orm, deps(), [shipped]),
    );

    expect(await historyOf(order)).toEqual([OrderStatus.CONFIRMED, OrderStatus.SHIPPED]);
    expect(await inboxStatus(shipped.inboxId)).toBe(InboundEventStatus.APPLIED);
  });

  test('an order another writer created meanwhile: the batch writes nothing, and applyMany applies it once', async () => {
    const shop = unique();
    const order = `U${unique()}`;
    const channel = await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const push = await stored(shop, order, 'SHIPPED', SHOPEE_TIME + 60);

    const em = t.orm.em.fork();
    await em.begin();
    await em.execute(
      `insert into "customer_order" ("id", "platform", "channel_id", "shop_id", "external_id", "status", "raw_status",
         "subtotal", "total", "placed_at", "created_at", "updated_at", "status_source_time")
       values (gen_random_uuid(), 'SHOPEE', ?, ?, ?, 'CONFIRMED', 'READY_TO_SHIP', 0, 0, now(), now(), now(), ?)`,
      [channel.id, shop, order, new Date(SHOPEE_TIME * 1000)],
    );
    const batch = applyOrderEvents(t.orm, deps(), [push]).then(
      () => null,
      (error: unknown) => error,
    );
    await waitForBatchToWait();
    await em.commit();
    expect(await batch).toBeInstanceOf(OrderCreatedConcurrently);
    expect(await inboxStatus(push.inboxId)).toBe(InboundEventStatus.RECEIVED);
    expect(await historyOf(order)).toEqual([]);

    await inboundService.applyMany({ ...applyDeps(), ids: [push.inboxId], known: known(push) });
    expect(await historyOf(order)).toEqual([OrderStatus.SHIPPED]);
    expect(
      await t.orm.em.fork().count(Order, { platform: Platform.SHOPEE, externalId: order }),
    ).toBe(1);
  });

  test('an inbox row another worker holds is left to it: nothing is written twice', async () => {
    const shop = unique();
    const order = `U${unique()}`;
    await make.channel({ platform: Platform.SHOPEE, externalShopId: shop });
    const push = await stored(shop, order, 'SHIPPED', SHOPEE_TIME);

    const em = t.orm.em.fork();
    await em.begin();
    try {
      await em.execute(`update "inbound_event" set "status" = 'APPLIED' where "id" = ?`, [
        push.inboxId,
      ]);
      const result = await applyOrderEvents(t.orm, deps(), [push]);
      expect(result).toEqual({ applied: [], refused: [] });
    } finally {
      await em.commit();
    }
    expect(await historyOf(order)).toEqual([]);
    expect(await t.orm.em.fork().count(Order, { externalId: order })).toBe(0);
  });
});
