import { randomUUID } from 'node:crypto';
import { rawRows } from '../db/raw-sql';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Order } from '../entities';
import { OrderStatus, type Platform } from '../entities/enums';
import type { OrderFlags } from '../entities/order.entity';
import { decideTransition } from '../integrations/order-lattice';
import type { NormalizedOrderEvent, PlatformModule } from '../integrations/types';
import type { EventBus } from '../realtime/event-bus';
import {
  TOPICS,
  type OrderChangedEvent,
  type TicketChangedEvent,
} from '../realtime/scoped-subscription';
import type { OrderSync } from './order-enrichment.service';
import { mergeFlags } from './order-flags';
import { afterOrderMilestone } from './ticket-automation';

/**
 * The fast path of applying stored pushes: many events in one transaction
 * and a handful of set-based statements (lock the inbox rows, lock or create
 * the orders, update them, append the history, mark the rows applied),
 * instead of a unit of work per event. It takes the common case only; an
 * event it cannot decide alone (an unknown shop, a flag for an order not
 * seen yet, a push that must be confirmed or re-fetched first, an unreadable
 * body) is returned untouched for the one-by-one path, which records
 * failures and dead letters.
 */
export type BatchResult = { applied: string[]; leftovers: string[] };

type InboxRow = { id: string; platform: Platform; event_key: string; raw_body: string };
type OrderRow = {
  id: string;
  platform: Platform;
  shop_id: string;
  external_id: string;
  status: OrderStatus;
  raw_status: string;
  status_source_time: Date | null;
  flags: OrderFlags;
  customer_id: string | null;
};
type Change = { order: OrderRow; created: boolean; changed: boolean };

const orderKey = (platform: string, shopId: string, externalId: string) =>
  `${platform}\u0000${shopId}\u0000${externalId}`;

const placeholders = (rows: number, columns: number, casts: string[] = []) =>
  Array.from(
    { length: rows },
    () => `(${Array.from({ length: columns }, (_, i) => `?${casts[i] ?? ''}`).join(', ')})`,
  ).join(', ');

export async function applyInboundBatch(
  orm: MikroORM,
  bus: EventBus,
  modules: Readonly<Record<string, PlatformModule>>,
  ids: readonly string[],
  sync?: OrderSync,
): Promise<BatchResult> {
  const published: (() => void)[] = [];
  const result = await orm.em.fork().transactional(async (tx) => {
    const inbox = await rawRows<InboxRow>(
      tx,
      `select "id", "platform", "event_key", "raw_body" from "inbound_event"
       where "id" in (${ids.map(() => '?').join(', ')}) and "status" in ('RECEIVED', 'FAILED')
       for update skip locked`,
      [...ids],
    );
    // In the order they were queued, which is the order they arrived.
    const position = new Map(ids.map((id, index) => [id, index]));
    inbox.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
    const leftovers: string[] = [];
    const events: { inboxId: string; event: NormalizedOrderEvent }[] = [];
    for (const row of inbox) {
      const event = readEvent(modules, row);
      // Unsigned or ambiguous pushes are confirmed or re-fetched on the one-by-one path.
      if (!event || event.refetch) leftovers.push(row.id);
      else events.push({ inboxId: row.id, event });
    }
    const shops = await channelsOf(
      tx,
      events.map(({ event }) => event),
    );
    const known = events.filter(({ event, inboxId }) => {
      const ok = shops.has(`${event.platform}\u0000${event.shopId}`);
      if (!ok) leftovers.push(inboxId);
      return ok;
    });
    const orders = await lockOrders(
      tx,
      known.map(({ event }) => event),
    );

    const changes = new Map<string, Change>();
    // New orders, and those the platform may have reworked (platforms.md 9.3), get their detail read.
    const needDetail = new Set<string>();
    const history: unknown[][] = [];
    const applied: string[] = [];
    for (const { inboxId, event } of known) {
      const key = orderKey(event.platform, event.shopId, event.externalOrderId);
      const current = orders.get(key);
      const decision = decideTransition(
        { status: current?.status ?? null, statusSourceTime: current?.status_source_time ?? null },
        { status: event.status, eventTime: event.eventTime, revert: event.revert },
      );
      if (decision.kind === 'create' && !event.status) {
        leftovers.push(inboxId); // a flag that waits for its order: the retry path handles it
        continue;
      }
      let order = current;
      if (decision.kind === 'create') {
        order = {
          id: randomUUID(),
          platform: event.platform,
          shop_id: event.shopId,
          external_id: event.externalOrderId,
          status: event.status!,
          raw_status: event.rawStatus,
          status_source_time: event.eventTime,
          flags: mergeFlags({}, event.flags, event.eventTime),
          customer_id: null,
        };
        orders.set(key, order);
        changes.set(order.id, { order, created: true, changed: true });
      } else if (order && decision.kind === 'apply') {
        order.status = event.status!;
        order.raw_status = event.rawStatus;
        order.status_source_time = event.eventTime;
        order.flags = mergeFlags(order.flags, event.flags, event.eventTime);
        const seen = changes.get(order.id);
        changes.set(order.id, { order, created: seen?.created ?? false, changed: true });
      } else if (order && decision.kind === 'same') {
        const flags = mergeFlags(order.flags, event.flags, event.eventTime);
        if (JSON.stringify(flags) !== JSON.stringify(order.flags)) {
          order.flags = flags;
          const seen = changes.get(order.id);
          changes.set(order.id, { order, created: seen?.created ?? false, changed: true });
        }
      }
      if (!order) {
        leftovers.push(inboxId);
        continue;
      }
      if (
        decision.kind === 'create' ||
        decision.kind === 'anomaly' ||
        (decision.kind === 'stale' && decision.refetch)
      ) {
        needDetail.add(order.id);
      }
      history.push([
        randomUUID(),
        order.id,
        event.rawStatus,
        event.status,
        decision.kind === 'create' || decision.kind === 'apply',
        event.eventTime,
        new Date(),
        event.eventKey,
      ]);
      applied.push(inboxId);
    }

    await writeOrders(tx, [...changes.values()], shops);
    // Same transaction: the jobs exist exactly when the orders do.
    await sync?.queue?.enqueueMany(tx, [...needDetail]);
    if (applied.length > 0) {
      await rawRows(
        tx,
        `update "inbound_event" set "status" = 'APPLIED', "attempts" = "attempts" + 1,
           "processed_at" = now(), "last_error" = null
         where "id" in (${applied.map(() => '?').join(', ')})`,
        applied,
      );
    }
    for (const { order, changed } of changes.values()) {
      if (!changed) continue;
      const orderId = order.id;
      published.push(() =>
        bus.publish(TOPICS.orderChanged, { orderId } satisfies OrderChangedEvent),
      );
      // After-sale care only for orders already linked to a customer that reached a milestone.
      if (
        order.customer_id &&
        (order.status === OrderStatus.DELIVERED || order.status === OrderStatus.COMPLETED)
      ) {
        const entity = await tx.findOneOrFail(Order, order.id);
        const ticket = await afterOrderMilestone(tx, entity);
        if (ticket) {
          const ticketId = ticket.id;
          published.push(() =>
            bus.publish(TOPICS.ticketChanged, {
              ticketId,
              action: 'CREATED',
              changedFields: ['status'],
            } satisfies TicketChangedEvent),
          );
        }
      }
    }
    await appendHistory(tx, history);
    return { applied, leftovers };
  });
  for (const publish of published) publish();
  return result;
}

function readEvent(
  modules: Readonly<Record<string, PlatformModule>>,
  row: InboxRow,
): NormalizedOrderEvent | null {
  const module = modules[row.platform.toLowerCase()];
  if (!module) return null;
  try {
    return (
      module.normalize(JSON.parse(row.raw_body)).find((e) => e.eventKey === row.event_key) ?? null
    );
  } catch {
    return null;
  }
}

/** Channel ids by platform and shop, for the shops these events name. */
async function channelsOf(
  em: EntityManager,
  events: NormalizedOrderEvent[],
): Promise<Map<string, string>> {
  const shops = [...new Set(events.map((e) => `${e.platform}\u0000${e.shopId}`))];
  if (shops.length === 0) return new Map();
  const pairs = shops.map((shop) => shop.split('\u0000'));
  const rows = await rawRows<{ id: string; platform: string; external_shop_id: string }>(
    em,
    `select "id", "platform", "external_shop_id" from "channel"
     where ("platform"::text, "external_shop_id") in (${placeholders(pairs.length, 2)})`,
    pairs.flat(),
  );
  return new Map(rows.map((row) => [`${row.platform}\u0000${row.external_shop_id}`, row.id]));
}

/** Locks the orders these events touch, in id order so two batches cannot deadlock. */
async function lockOrders(
  em: EntityManager,
  events: NormalizedOrderEvent[],
): Promise<Map<string, OrderRow>> {
  const keys = [...new Set(events.map((e) => orderKey(e.platform, e.shopId, e.externalOrderId)))];
  if (keys.length === 0) return new Map();
  const triples = keys.map((key) => key.split('\u0000'));
  const rows = await rawRows<OrderRow>(
    em,
    `select "id", "platform", "shop_id", "external_id", "status", "raw_status", "status_source_time", "flags", "customer_id"
     from "customer_order"
     where ("platform"::text, "shop_id", "external_id") in (${placeholders(triples.length, 3)})
     order by "id" for update`,
    triples.flat(),
  );
  return new Map(
    rows.map((row) => [
      orderKey(row.platform, row.shop_id, row.external_id),
      {
        ...row,
        status_source_time: row.status_source_time ? new Date(row.status_source_time) : null,
      },
    ]),
  );
}

/**
 * New orders in one insert (in key order, so concurrent batches queue on the
 * unique index in the same order), changed ones in one update. A new order
 * another worker created first aborts the batch: the one-by-one path then
 * finds it.
 */
async function writeOrders(
  em: EntityManager,
  changes: Change[],
  shops: Map<string, string>,
): Promise<void> {
  const now = new Date();
  const created = changes
    .filter((c) => c.created)
    .map((c) => c.order)
    .sort((a, b) =>
      orderKey(a.platform, a.shop_id, a.external_id).localeCompare(
        orderKey(b.platform, b.shop_id, b.external_id),
      ),
    );
  if (created.length > 0) {
    const inserted = await rawRows<{ id: string }>(
      em,
      `insert into "customer_order" ("id", "platform", "channel_id", "shop_id", "external_id", "status", "raw_status",
         "flags", "status_source_time", "subtotal", "total", "placed_at", "platform_updated_at", "created_at", "updated_at")
       values ${placeholders(created.length, 15, ['', '::platform', '', '', '', '::order_status', '', '::jsonb'])}
       on conflict ("platform", "shop_id", "external_id") do nothing
       returning "id"`,
      created.flatMap((o) => [
        o.id,
        o.platform,
        shops.get(`${o.platform}\u0000${o.shop_id}`),
        o.shop_id,
        o.external_id,
        o.status,
        o.raw_status,
        JSON.stringify(o.flags),
        o.status_source_time,
        0,
        0,
        o.status_source_time,
        o.status_source_time,
        now,
        now,
      ]),
    );
    if (inserted.length !== created.length) throw new OrderCreatedConcurrently();
  }
  const updated = changes.filter((c) => !c.created && c.changed).map((c) => c.order);
  if (updated.length > 0) {
    await rawRows(
      em,
      `update "customer_order" o set "status" = v.status::order_status, "raw_status" = v.raw_status,
         "status_source_time" = v.source_time::timestamptz, "platform_updated_at" = v.source_time::timestamptz,
         "flags" = v.flags::jsonb, "updated_at" = ?
       from (values ${placeholders(updated.length, 5)}) as v(id, status, raw_status, source_time, flags)
       where o."id" = v.id::uuid`,
      [
        now,
        ...updated.flatMap((o) => [
          o.id,
          o.status,
          o.raw_status,
          o.status_source_time,
          JSON.stringify(o.flags),
        ]),
      ],
    );
  }
}

/** The order_event_log migration's lock: sequences drawn under it follow commit order. */
const SEQUENCE_LOCK = `select pg_advisory_xact_lock(hashtext('order_status_event_sequence'))`;

/**
 * The history rows, with their log positions drawn here rather than by the
 * per-row trigger at commit (one statement instead of an UPDATE per row).
 * It is the transaction's last statement, so the lock that orders positions
 * by commit is held only for the insert and the commit.
 */
async function appendHistory(em: EntityManager, history: unknown[][]): Promise<void> {
  if (history.length === 0) return;
  await rawRows(em, SEQUENCE_LOCK);
  // VALUES rows are read in list order, so events of one order get rising positions.
  await rawRows(
    em,
    `insert into "order_status_event" ("id", "order_id", "raw_status", "status", "applied", "event_time", "received_at", "event_key", "sequence")
     values ${Array.from({ length: history.length }, () => "(?, ?, ?, ?::order_status, ?, ?, ?, ?, nextval('order_status_event_sequence_seq'))").join(', ')}`,
    history.flat(),
  );
}

export class OrderCreatedConcurrently extends Error {
  constructor() {
    super('an order of this batch was created by another worker first');
    this.name = 'OrderCreatedConcurrently';
  }
}
