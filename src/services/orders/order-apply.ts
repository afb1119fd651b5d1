/**
 * Applying stored order events (pushes, the Tiki pull, retries and replays)
 * through the lattice's one decision (`stepOrder` in order-lattice.ts, which
 * enrichment and manual syncs take too), with one write strategy: many events in one transaction and a handful of
 * set-based statements (lock the inbox rows, lock the orders, create or update
 * them, append the history, mark the inbox rows applied), whether the caller
 * hands it one event or two hundred.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { placeholders, rawRows } from '../../db/raw-sql';
import { Channel, Order } from '../../entities';
import { InboundEventStatus, OrderStatus, Platform } from '../../entities/enums';
import type { OrderDetail } from '../../integrations/order-api/types';
import type { NormalizedOrderEvent, PlatformModule } from '../../integrations/types';
import { TOPICS, type OrderChangedEvent } from '../../kernel/topics';
import type { EventBus } from '../../realtime/event-bus';
import { afterOrderMilestone, publishTicketsCreated } from '../tickets/ticket-automation';
import { applyDetail, type OrderSync } from './order-enrichment.service';
import { stepOrder, type OrderStatusState } from './order-lattice';
import { paidByChange, settleMarketplacePayments } from './payments';

/** A stored inbox row to apply, with what the receiver already parsed of it. */
export type StoredOrderEvent = {
  inboxId: string;
  /** The event the row holds, when the caller parsed it already (else read from the row). */
  event?: NormalizedOrderEvent;
  /** For an unsigned (Sendo) event: the order detail that confirmed it, applied instead. */
  confirmed?: OrderDetail;
};

export type ApplyDeps = {
  bus: EventBus;
  modules: Readonly<Record<string, PlatformModule>>;
  /** Enrichment jobs for the orders that need their detail; without a queue the sweep finds them. */
  sync?: OrderSync;
};

export type ApplyOutcome = {
  applied: string[];
  /**
   * Rows this call could not apply alone, with the reason: an unknown shop,
   * a flag for an order not seen yet, an unreadable row, an unsigned event
   * not confirmed yet. Nothing was written for them; the caller records the
   * failure (or confirms and tries again).
   */
  refused: { inboxId: string; reason: string }[];
};

/** The reason `applyOrderEvents` refuses an unsigned event that came without its confirmation. */
export const UNCONFIRMED = 'an unsigned event waits for its confirmation by the order API';

type InboxRow = {
  id: string;
  platform: Platform;
  event_key: string;
  raw_body: string | null;
  shop_id: string | null;
  channel_id: string | null;
};

type OrderRow = OrderStatusState & {
  id: string;
  platform: Platform;
  shopId: string;
  externalId: string;
  customerId: string | null;
  channelId: string;
  created: boolean;
  changed: boolean;
};

type Statement = { sql: string; params: unknown[] };

const orderKey = (platform: string, shopId: string, externalId: string) =>
  `${platform}\u0000${shopId}\u0000${externalId}`;

/** `(?, ?), (?, ?)`: `rows` tuples of `columns` placeholders, each cast as `casts` says. */
const tuplePlaceholders = (rows: number, columns: number, casts: string[] = []) =>
  Array.from(
    { length: rows },
    () => `(${Array.from({ length: columns }, (_, i) => `?${casts[i] ?? ''}`).join(', ')})`,
  ).join(', ');

/**
 * Applies stored order events in one transaction, in the order given (which
 * is the order they arrived): the inbox rows are locked (SKIP LOCKED: a row
 * another worker holds is left to it), then the orders in id order (so two
 * batches cannot deadlock), each event walks the lattice in memory against
 * its order as the batch's earlier events left it, and a handful of
 * set-based statements write the result. Events are published after commit.
 * Throws OrderCreatedConcurrently when another writer created one of the new
 * orders first; nothing is then written and the caller tries again.
 */
export async function applyOrderEvents(
  orm: MikroORM,
  deps: ApplyDeps,
  items: readonly StoredOrderEvent[],
): Promise<ApplyOutcome> {
  if (items.length === 0) return { applied: [], refused: [] };
  const byId = new Map(items.map((item) => [item.inboxId, item]));
  const published: (() => void)[] = [];
  const outcome = await orm.em.fork().transactional(async (tx) => {
    // Events the receiver parsed name their orders before the inbox is read: one round trip locks both.
    const parsed = items.every((item) => item.event) ? items.map((item) => item.event!) : null;
    const read = parsed
      ? await lockInboxAndOrders(tx, items, parsed)
      : { inbox: await lockInbox(tx, items), orders: null };
    const { inbox } = read;
    const position = new Map(items.map((item, index) => [item.inboxId, index]));
    inbox.sort((a, b) => position.get(a.id)! - position.get(b.id)!);

    const refused: ApplyOutcome['refused'] = [];
    const events: { inboxId: string; event: NormalizedOrderEvent; channelId: string }[] = [];
    for (const row of inbox) {
      const item = byId.get(row.id)!;
      let event: NormalizedOrderEvent;
      try {
        event =
          item.event ??
          storedEvent(deps.modules, {
            platform: row.platform,
            eventKey: row.event_key,
            rawBody: row.raw_body,
          });
      } catch (error) {
        refused.push({ inboxId: row.id, reason: (error as Error).message });
        continue;
      }
      // Sendo signs nothing: only the order API's answer is applied (inbound.service confirms).
      if (row.platform === Platform.SENDO && !item.confirmed) {
        refused.push({ inboxId: row.id, reason: UNCONFIRMED });
        continue;
      }
      if (!row.channel_id || event.shopId !== row.shop_id) {
        refused.push({
          inboxId: row.id,
          reason: `no connected ${event.platform} channel for shop ${event.shopId}`,
        });
        continue;
      }
      if (item.confirmed) event = confirmedEvent(event, item.confirmed);
      events.push({ inboxId: row.id, event, channelId: row.channel_id });
    }

    const orders =
      read.orders ??
      (await lockOrders(
        tx,
        events.map(({ event }) => event),
      ));
    const applied: string[] = [];
    const history: unknown[][] = [];
    const needDetail = new Set<string>();
    const touched = new Map<string, OrderRow>();
    /** Orders an event of this batch showed paid, whose payment is to be recorded. */
    const paidNow = new Set<string>();
    const now = new Date();
    for (const { inboxId, event, channelId } of events) {
      const key = orderKey(event.platform, event.shopId, event.externalOrderId);
      const current = orders.get(key) ?? null;
      const step = stepOrder(current, event, 'event');
      if (!step.next) {
        // A flag for an order not seen yet: the retry applies it once the order exists.
        refused.push({
          inboxId,
          reason: `order ${event.externalOrderId} is not known yet; ${event.rawStatus} waits for it`,
        });
        continue;
      }
      if (
        step.moved &&
        paidByChange(event.platform, current?.status ?? null, step.next.status, event.rawStatus)
      ) {
        paidNow.add(key);
      }
      let order = current;
      if (!order) {
        order = {
          ...step.next,
          id: randomUUID(),
          platform: event.platform,
          shopId: event.shopId,
          externalId: event.externalOrderId,
          customerId: null,
          channelId,
          created: true,
          changed: true,
        };
        orders.set(key, order);
      } else if (step.changed) {
        Object.assign(order, step.next, { changed: true });
      }
      touched.set(order.id, order);
      if (step.needsDetail) needDetail.add(order.id);
      history.push([
        randomUUID(),
        order.id,
        event.rawStatus,
        event.status,
        step.moved,
        event.eventTime,
        now,
        event.eventKey,
      ]);
      applied.push(inboxId);
    }

    const changed = [...touched.values()].filter((order) => order.changed);
    // Same transaction: the jobs exist exactly when the orders do.
    if (needDetail.size > 0) await deps.sync?.queue?.enqueueMany(tx, [...needDetail]);
    if (applied.length > 0) await writeBatch(tx, { changed, applied, history, now });
    const tickets: string[] = [];
    for (const order of changed) {
      published.push(() =>
        deps.bus.publish(TOPICS.orderChanged, { orderId: order.id } satisfies OrderChangedEvent),
      );
      // The unit of work only for the orders that may open an after-sale ticket.
      if (opensAfterSaleTicket(order)) {
        const ticket = await afterOrderMilestone(tx, await tx.findOneOrFail(Order, order.id));
        if (ticket) tickets.push(ticket.id);
      }
    }
    // After the history it reads: payments of orders these events showed paid.
    const paid = await settleMarketplacePayments(
      tx,
      [...paidNow].map((key) => orders.get(key)!.id),
    );
    tickets.push(...paid.map((ticket) => ticket.id));
    // A confirmed (Sendo) event: the detail that confirmed it fills in amounts, items and buyer.
    for (const { inboxId, event } of events) {
      const detail = byId.get(inboxId)!.confirmed;
      const order =
        detail && orders.get(orderKey(event.platform, event.shopId, event.externalOrderId));
      if (!detail || !order || !applied.includes(inboxId)) continue;
      const entity = await tx.findOneOrFail(Order, order.id);
      const done = await applyDetail(
        tx,
        entity,
        detail,
        await tx.findOneOrFail(Channel, order.channelId),
      );
      tickets.push(...done.ticketIds);
      if (!order.changed) {
        published.push(() =>
          deps.bus.publish(TOPICS.orderChanged, { orderId: order.id } satisfies OrderChangedEvent),
        );
      }
    }
    published.push(() => publishTicketsCreated(deps.bus, tickets));
    return { applied, refused };
  });
  for (const publish of published) publish();
  return outcome;
}

/** After-sale care only for orders already linked to a customer that reached a milestone. */
function opensAfterSaleTicket(order: OrderRow): boolean {
  return (
    order.customerId !== null &&
    (order.status === OrderStatus.DELIVERED || order.status === OrderStatus.COMPLETED)
  );
}

/** The normalized event a stored row stands for; throws, naming why, when it yields none. */
export function storedEvent(
  modules: Readonly<Record<string, PlatformModule>>,
  row: { platform: Platform; eventKey: string; rawBody: string | null },
): NormalizedOrderEvent {
  const module = modules[row.platform.toLowerCase()];
  if (!module) throw new Error(`no module for ${row.platform}`);
  const event = module
    .normalize(JSON.parse(row.rawBody ?? 'null'))
    .find((candidate) => candidate.eventKey === row.eventKey);
  if (!event) throw new Error(`the stored push no longer yields event ${row.eventKey}`);
  return event;
}

/** The pushed event with what the platform says now: its status, flags and status time. */
function confirmedEvent(pushed: NormalizedOrderEvent, detail: OrderDetail): NormalizedOrderEvent {
  return {
    ...pushed,
    rawStatus: detail.rawStatus,
    status: detail.status,
    flags: detail.flags,
    revert: false,
    refetch: false,
    eventTime: detail.statusTime,
  };
}

/**
 * An inbox row still waits to be applied (RECEIVED or FAILED), written as the
 * statuses it does not hold: a condition the status index cannot serve, so
 * that rows named by id are read through the primary key alone. Given
 * `in ('RECEIVED', 'FAILED')` the planner also scans the status index's
 * waiting range and ANDs it with the ids; under a steady stream of pushes
 * that range is mostly dead entries (every apply moves a row out of it), and
 * scanning them grew with the traffic until vacuum caught up.
 */
const WAITING = `not in (${Object.values(InboundEventStatus)
  .filter(
    (status) => status !== InboundEventStatus.RECEIVED && status !== InboundEventStatus.FAILED,
  )
  .map((status) => `'${status}'`)
  .join(', ')})`;

/** The waiting inbox rows among `items`, locked (SKIP LOCKED), with their bodies and channels. */
const inboxSql = (items: readonly StoredOrderEvent[], withBodies: boolean): Statement => ({
  sql: `select i."id", i."platform", i."event_key", i."shop_id", c."id" as "channel_id"${withBodies ? ', i."raw_body"' : ''}
     from "inbound_event" i
     left join "channel" c on c."platform" = i."platform" and c."external_shop_id" = i."shop_id"
     where i."id" in (${placeholders(items)}) and i."status" ${WAITING}
     for update of i skip locked`,
  params: items.map((item) => item.inboxId),
});

/**
 * The orders these events name, locked in id order so two batches cannot
 * deadlock. Typed keys as `(values …) join` use the unique index, where
 * `(platform::text, …) in (…)` cannot.
 */
function ordersSql(events: readonly NormalizedOrderEvent[]): Statement {
  const keys = new Map(
    events.map((e) => [
      orderKey(e.platform, e.shopId, e.externalOrderId),
      [e.platform, e.shopId, e.externalOrderId],
    ]),
  );
  return {
    sql: `select o."id", o."platform", o."shop_id" as "shopId", o."external_id" as "externalId", o."status",
            o."raw_status" as "rawStatus", o."status_source_time" as "statusSourceTime", o."flags",
            o."customer_id" as "customerId", o."channel_id" as "channelId"
     from (values ${tuplePlaceholders(keys.size, 3, ['::platform', '::text', '::text'])}) as k("platform", "shop_id", "external_id")
     join "customer_order" o on o."platform" = k."platform" and o."shop_id" = k."shop_id" and o."external_id" = k."external_id"
     order by o."id" for update of o`,
    params: [...keys.values()].flat(),
  };
}

type LockedOrder = Omit<OrderRow, 'created' | 'changed' | 'statusSourceTime'> & {
  statusSourceTime: Date | string | null;
};

const ordersByKey = (rows: readonly LockedOrder[]): Map<string, OrderRow> =>
  new Map(
    rows.map((row) => [
      orderKey(row.platform, row.shopId, row.externalId),
      {
        ...row,
        statusSourceTime: row.statusSourceTime ? new Date(row.statusSourceTime) : null,
        created: false,
        changed: false,
      },
    ]),
  );

async function lockInbox(
  em: EntityManager,
  items: readonly StoredOrderEvent[],
): Promise<InboxRow[]> {
  const { sql, params } = inboxSql(items, true);
  return rawRows<InboxRow>(em, sql, params);
}

async function lockOrders(
  em: EntityManager,
  events: readonly NormalizedOrderEvent[],
): Promise<Map<string, OrderRow>> {
  if (events.length === 0) return new Map();
  const { sql, params } = ordersSql(events);
  return ordersByKey(await rawRows<LockedOrder>(em, sql, params));
}

/** The inbox rows, then the orders their parsed events name, locked in one statement. */
async function lockInboxAndOrders(
  em: EntityManager,
  items: readonly StoredOrderEvent[],
  events: readonly NormalizedOrderEvent[],
): Promise<{ inbox: InboxRow[]; orders: Map<string, OrderRow> }> {
  const inbox = inboxSql(items, false);
  const orders = ordersSql(events);
  const [row] = await rawRows<{ inbox: InboxRow[] | null; orders: LockedOrder[] | null }>(
    em,
    `with "i" as materialized (${inbox.sql}), "o" as materialized (${orders.sql})
     select (select json_agg("i") from "i") as "inbox", (select json_agg("o") from "o") as "orders"`,
    [...inbox.params, ...orders.params],
  );
  return { inbox: row?.inbox ?? [], orders: ordersByKey(row?.orders ?? []) };
}

/** PostgreSQL's foreign_key_violation. */
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Everything the batch writes, as one statement: new orders (in key order,
 * so concurrent batches queue on the unique index in the same order),
 * changed orders, the inbox rows marked applied, and the history with its
 * log positions. A new order another writer created first is not inserted
 * (`on conflict do nothing`), and its history row then fails the foreign key
 * at the end of the statement, which undoes all of it.
 */
async function writeBatch(
  em: EntityManager,
  batch: {
    changed: readonly OrderRow[];
    applied: readonly string[];
    history: unknown[][];
    now: Date;
  },
): Promise<void> {
  const ctes = [LOG_LOCK];
  const params: unknown[] = [];
  const created = insertOrdersSql(batch.changed, batch.now);
  if (created) {
    ctes.push(`"created" as (${created.sql})`);
    params.push(...created.params);
  }
  const updated = updateOrdersSql(batch.changed, batch.now);
  if (updated) {
    ctes.push(`"updated" as (${updated.sql})`);
    params.push(...updated.params);
  }
  const done = markAppliedSql(batch.applied);
  ctes.push(`"done" as (${done.sql})`);
  params.push(...done.params);
  const history = appendHistorySql(batch.history);
  try {
    await rawRows(em, `with ${ctes.join(',\n')} ${history.sql}`, [...params, ...history.params]);
  } catch (error) {
    if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) {
      throw new OrderCreatedConcurrently();
    }
    throw error;
  }
}

/** New orders, in key order. */
function insertOrdersSql(changed: readonly OrderRow[], now: Date): Statement | null {
  const created = changed
    .filter((o) => o.created)
    .sort((a, b) =>
      orderKey(a.platform, a.shopId, a.externalId).localeCompare(
        orderKey(b.platform, b.shopId, b.externalId),
      ),
    );
  if (created.length === 0) return null;
  return {
    // Pushes carry an id and a status; amounts, items and buyer come with the order detail.
    sql: `insert into "customer_order" ("id", "platform", "channel_id", "shop_id", "external_id", "status", "raw_status",
         "flags", "status_source_time", "subtotal", "total", "placed_at", "platform_updated_at", "created_at", "updated_at")
       values ${tuplePlaceholders(created.length, 15, ['', '::platform', '', '', '', '::order_status', '', '::jsonb'])}
       on conflict ("platform", "shop_id", "external_id") do nothing
       returning "id"`,
    params: created.flatMap((o) => [
      o.id,
      o.platform,
      o.channelId,
      o.shopId,
      o.externalId,
      o.status,
      o.rawStatus,
      JSON.stringify(o.flags),
      o.statusSourceTime,
      0,
      0,
      o.statusSourceTime,
      o.statusSourceTime,
      now,
      now,
    ]),
  };
}

/** Changed orders in one update. */
function updateOrdersSql(changed: readonly OrderRow[], now: Date): Statement | null {
  const updated = changed.filter((o) => !o.created);
  if (updated.length === 0) return null;
  return {
    sql: `update "customer_order" o set "status" = v.status::order_status, "raw_status" = v.raw_status,
         "status_source_time" = v.source_time::timestamptz, "platform_updated_at" = v.source_time::timestamptz,
         "flags" = v.flags::jsonb, "updated_at" = ?
       from (values ${tuplePlaceholders(updated.length, 5)}) as v(id, status, raw_status, source_time, flags)
       where o."id" = v.id::uuid
       returning o."id"`,
    params: [
      now,
      ...updated.flatMap((o) => [
        o.id,
        o.status,
        o.rawStatus,
        o.statusSourceTime,
        JSON.stringify(o.flags),
      ]),
    ],
  };
}

/** The inbox rows, marked applied; they are locked, so none is applied twice. */
function markAppliedSql(applied: readonly string[]): Statement {
  return {
    sql: `update "inbound_event" set "status" = 'APPLIED', "attempts" = "attempts" + 1,
         "processed_at" = now(), "last_error" = null
       where "id" in (${placeholders(applied)}) and "status" ${WAITING}
       returning "id"`,
    params: [...applied],
  };
}

/**
 * The order event log's lock (the order_event_log migration), taken within
 * the statement that draws positions, so positions follow commit order and
 * the lock is held only for that statement and the commit. Materialized, so
 * it is taken once, before the first position is drawn.
 */
const LOG_LOCK = `"lock" as materialized (select pg_advisory_xact_lock(hashtext('order_status_event_sequence')))`;

/**
 * The history appended with its log positions drawn here rather than by the
 * per-row trigger at commit: from the rows joined with the lock, so never
 * before it is held, and in list order, so events of one order get rising
 * positions. Needs LOG_LOCK in the same statement.
 */
function appendHistorySql(history: readonly unknown[][]): Statement {
  return {
    sql: `insert into "order_status_event" ("id", "order_id", "raw_status", "status", "applied", "event_time", "received_at", "event_key", "sequence")
     select v.*, nextval('order_status_event_sequence_seq')
     from (values ${tuplePlaceholders(history.length, 8, ['::uuid', '::uuid', '::text', '::order_status', '::boolean', '::timestamptz', '::timestamptz', '::text'])}) as v
     cross join "lock"`,
    params: history.flat(),
  };
}

export class OrderCreatedConcurrently extends Error {
  constructor() {
    super('an order of this batch was created by another worker first');
    this.name = 'OrderCreatedConcurrently';
  }
}
