import { randomUUID } from 'node:crypto';
import { placeholders, rawRows } from '../db/raw-sql';
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

type InboxRow = {
  id: string;
  platform: Platform;
  event_key: string;
  raw_body: string;
  shop_id: string | null;
  channel_id: string | null;
};
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

/** `(?, ?), (?, ?)`: `rows` tuples of `columns` placeholders, each cast as `casts` says. */
const tuplePlaceholders = (rows: number, columns: number, casts: string[] = []) =>
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
    // With each row's channel, by the shop the row was stored for: one round trip for both.
    const inbox = await rawRows<InboxRow>(
      tx,
      `select i."id", i."platform", i."event_key", i."raw_body", i."shop_id", c."id" as "channel_id"
       from "inbound_event" i
       left join "channel" c on c."platform" = i."platform" and c."external_shop_id" = i."shop_id"
       where i."id" in (${placeholders(ids)}) and i."status" in ('RECEIVED', 'FAILED')
       for update of i skip locked`,
      [...ids],
    );
    // In the order they were queued, which is the order they arrived.
    const position = new Map(ids.map((id, index) => [id, index]));
    inbox.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
    const leftovers: string[] = [];
    const known: { inboxId: string; event: NormalizedOrderEvent }[] = [];
    // Channel ids by platform and shop, for the shops these events name.
    const shops = new Map<string, string>();
    for (const row of inbox) {
      const event = readEvent(modules, row);
      // Unsigned or ambiguous pushes are confirmed or re-fetched on the one-by-one path, and
      // so is an event of an unknown shop (or one the row was not stored for), which fails there.
      if (!event || event.refetch || !row.channel_id || event.shopId !== row.shop_id) {
        leftovers.push(row.id);
        continue;
      }
      shops.set(`${event.platform}\u0000${event.shopId}`, row.channel_id);
      known.push({ inboxId: row.id, event });
    }
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
    await finish(tx, applied, history);
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
    // Joined with typed keys, not `(platform::text, …) in (…)`: a cast column cannot use the
    // unique index, and that form scanned the whole table once per batch.
    `select o."id", o."platform", o."shop_id", o."external_id", o."status", o."raw_status", o."status_source_time", o."flags", o."customer_id"
     from (values ${tuplePlaceholders(triples.length, 3, ['::platform', '::text', '::text'])}) as k("platform", "shop_id", "external_id")
     join "customer_order" o on o."platform" = k."platform" and o."shop_id" = k."shop_id" and o."external_id" = k."external_id"
     order by o."id" for update of o`,
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
       values ${tuplePlaceholders(created.length, 15, ['', '::platform', '', '', '', '::order_status', '', '::jsonb'])}
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
       from (values ${tuplePlaceholders(updated.length, 5)}) as v(id, status, raw_status, source_time, flags)
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

/**
 * The last statement of the transaction: the inbox rows marked applied and
 * the history appended with its log positions drawn here rather than by the
 * per-row trigger at commit, under the order_event_log migration's lock, so
 * positions follow commit order and the lock is held only for this statement
 * and the commit. One statement, one round trip: the positions are drawn from
 * the rows joined with the lock, so never before it is held, and in list
 * order, so events of one order get rising positions.
 */
async function finish(
  em: EntityManager,
  applied: readonly string[],
  history: unknown[][],
): Promise<void> {
  if (applied.length === 0) return;
  await rawRows(
    em,
    `with "lock" as materialized (
       select pg_advisory_xact_lock(hashtext('order_status_event_sequence'))
     ), "done" as (
       update "inbound_event" set "status" = 'APPLIED', "attempts" = "attempts" + 1,
         "processed_at" = now(), "last_error" = null
       where "id" in (${placeholders(applied)})
     )
     insert into "order_status_event" ("id", "order_id", "raw_status", "status", "applied", "event_time", "received_at", "event_key", "sequence")
     select v.*, nextval('order_status_event_sequence_seq')
     from (values ${tuplePlaceholders(history.length, 8, ['::uuid', '::uuid', '::text', '::order_status', '::boolean', '::timestamptz', '::timestamptz', '::text'])}) as v
     cross join "lock"`,
    [...applied, ...history.flat()],
  );
}

export class OrderCreatedConcurrently extends Error {
  constructor() {
    super('an order of this batch was created by another worker first');
    this.name = 'OrderCreatedConcurrently';
  }
}
