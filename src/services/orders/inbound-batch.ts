import { randomUUID } from 'node:crypto';
import { placeholders, rawRows } from '../../db/raw-sql';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Order } from '../../entities';
import { OrderStatus, type Platform } from '../../entities/enums';
import type { OrderFlags } from '../../entities/order.entity';
import { decideTransition } from '../../integrations/order-lattice';
import type { NormalizedOrderEvent, PlatformModule } from '../../integrations/types';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type OrderChangedEvent, type TicketChangedEvent } from '../../kernel/topics';
import type { OrderSync } from './order-enrichment.service';
import { mergeFlags } from './order-flags';
import { afterOrderMilestone, publishTicketsCreated } from '../tickets/ticket-automation';
import { paidByChange, settleMarketplacePayments } from './payments';

/**
 * The fast paths of applying stored pushes: many events at once in a
 * handful of set-based statements (read or lock the orders, create or update
 * them, append the history, mark the inbox rows applied), instead of a unit
 * of work per event. They take the common case only; an event they cannot
 * decide alone (an unknown shop, a flag for an order not seen yet, a push
 * that must be confirmed or re-fetched first, an unreadable body) is
 * returned untouched for the one-by-one path, which records failures and
 * dead letters.
 */
export type BatchResult = { applied: string[]; leftovers: string[] };

/** A stored event with what it says, as the receiving route parsed it. */
export type KnownEvent = { inboxId: string; event: NormalizedOrderEvent };

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
  /** The row version read (xmin), for a write that must find the order unchanged. */
  version?: string;
};
type Change = { order: OrderRow; created: boolean; changed: boolean };

/** What applying a batch comes to, decided in memory before anything is written. */
type Plan = {
  changes: Change[];
  /** Orders whose detail is to be read from the platform. */
  needDetail: string[];
  /** order_status_event rows, without their log position. */
  history: unknown[][];
  applied: string[];
  leftovers: string[];
};

type Statement = { sql: string; params: unknown[] };

const orderKey = (platform: string, shopId: string, externalId: string) =>
  `${platform}\u0000${shopId}\u0000${externalId}`;
const shopKey = (platform: string, shopId: string) => `${platform}\u0000${shopId}`;

/** `(?, ?), (?, ?)`: `rows` tuples of `columns` placeholders, each cast as `casts` says. */
const tuplePlaceholders = (rows: number, columns: number, casts: string[] = []) =>
  Array.from(
    { length: rows },
    () => `(${Array.from({ length: columns }, (_, i) => `?${casts[i] ?? ''}`).join(', ')})`,
  ).join(', ');

/** The SQLSTATE `order_batch_check` raises (migration order_batch_check). */
const BATCH_CONFLICT = 'CR001';

/**
 * Events the receiving route already parsed, applied without a transaction
 * of our own: one unlocked read of the orders (with their row versions and
 * channels), then one statement that writes everything only if no order and
 * no inbox row changed since that read, which PostgreSQL runs atomically. Two
 * round trips instead of the locked path's six, which under load is most of
 * the time between a push's answer and its subscribers' event.
 *
 * Returns null when the locked path must take the batch: another writer got
 * there first (the statement changed nothing), or an order reaches a
 * milestone that opens an after-sale ticket, which needs the unit of work.
 */
export async function applyKnownEvents(
  orm: MikroORM,
  bus: EventBus,
  items: readonly KnownEvent[],
  sync?: OrderSync,
): Promise<BatchResult | null> {
  const leftovers: string[] = [];
  const candidates = items.filter((item) => {
    // Unsigned or ambiguous pushes are confirmed or re-fetched on the one-by-one path.
    if (item.event.refetch) leftovers.push(item.inboxId);
    return !item.event.refetch;
  });
  if (candidates.length === 0) return { applied: [], leftovers };
  const em = orm.em.fork();
  const { orders, shops } = await readOrders(
    em,
    candidates.map(({ event }) => event),
  );
  // An event of an unknown shop fails on the one-by-one path.
  const known = candidates.filter((item) => {
    const channel = shops.has(shopKey(item.event.platform, item.event.shopId));
    if (!channel) leftovers.push(item.inboxId);
    return channel;
  });
  const readStatus = new Map([...orders.values()].map((order) => [order.id, order.status]));
  const plan = planBatch(known, orders);
  if (
    plan.changes.some(
      ({ order, changed }) =>
        changed &&
        (opensAfterSaleTicket(order) ||
          paidByChange(
            order.platform,
            readStatus.get(order.id) ?? null,
            order.status,
            order.raw_status,
          )),
    )
  )
    return null;
  if (plan.applied.length > 0) {
    const statement = writeUnchangedSql(plan, shops);
    try {
      await rawRows(em, statement.sql, statement.params);
    } catch (error) {
      if ((error as { code?: unknown }).code === BATCH_CONFLICT) return null;
      throw error;
    }
  }
  for (const { order, changed } of plan.changes) {
    if (changed)
      bus.publish(TOPICS.orderChanged, { orderId: order.id } satisfies OrderChangedEvent);
  }
  // After the commit, not in it: there is no transaction here to share. An
  // order whose job is lost (a crash in between) is queued by the sweep of
  // unenriched orders, and a job per order is unique, so neither path doubles it.
  await sync?.queue?.enqueueMany(orm.em.fork(), plan.needDetail).catch(() => undefined);
  return { applied: plan.applied, leftovers: [...leftovers, ...plan.leftovers] };
}

/** The locked path: stored events read back, their orders locked, in one transaction. */
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
    const known: KnownEvent[] = [];
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
      shops.set(shopKey(event.platform, event.shopId), row.channel_id);
      known.push({ inboxId: row.id, event });
    }
    const orders = await lockOrders(
      tx,
      known.map(({ event }) => event),
    );
    const plan = planBatch(known, orders);

    const created = insertOrdersSql(plan.changes, shops);
    if (created) {
      const inserted = await rawRows<{ id: string }>(tx, created.sql, created.params);
      if (inserted.length !== created.expected) throw new OrderCreatedConcurrently();
    }
    const updated = updateOrdersSql(plan.changes);
    if (updated) await rawRows(tx, updated.sql, updated.params);
    // Same transaction: the jobs exist exactly when the orders do.
    await sync?.queue?.enqueueMany(tx, plan.needDetail);
    for (const { order, changed } of plan.changes) {
      if (!changed) continue;
      const orderId = order.id;
      published.push(() =>
        bus.publish(TOPICS.orderChanged, { orderId } satisfies OrderChangedEvent),
      );
      if (opensAfterSaleTicket(order)) {
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
    if (plan.applied.length > 0) {
      // The last statement of the transaction, so the log's lock is held for it and the commit only.
      const done = markAppliedSql(plan.applied);
      const history = appendHistorySql(plan.history);
      await rawRows(tx, `with ${LOG_LOCK}, "done" as (${done.sql}) ${history.sql}`, [
        ...done.params,
        ...history.params,
      ]);
    }
    // After the history it reads: payments of orders these events showed paid.
    const paid = await settleMarketplacePayments(
      tx,
      plan.changes.filter(({ changed }) => changed).map(({ order }) => order.id),
    );
    published.push(() =>
      publishTicketsCreated(
        bus,
        paid.map(({ id }) => id),
      ),
    );
    return { applied: plan.applied, leftovers: [...leftovers, ...plan.leftovers] };
  });
  for (const publish of published) publish();
  return result;
}

/** After-sale care only for orders already linked to a customer that reached a milestone. */
function opensAfterSaleTicket(order: OrderRow): boolean {
  return (
    order.customer_id !== null &&
    (order.status === OrderStatus.DELIVERED || order.status === OrderStatus.COMPLETED)
  );
}

/**
 * Runs each event through the lattice against its order as read (and as
 * changed by the batch's earlier events), in arrival order.
 */
function planBatch(known: readonly KnownEvent[], orders: Map<string, OrderRow>): Plan {
  const changes = new Map<string, Change>();
  // New orders, and those the platform may have reworked (platforms.md 9.3), get their detail read.
  const needDetail = new Set<string>();
  const history: unknown[][] = [];
  const applied: string[] = [];
  const leftovers: string[] = [];
  const markChanged = (order: OrderRow) => {
    const seen = changes.get(order.id);
    changes.set(order.id, { order, created: seen?.created ?? false, changed: true });
  };
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
      markChanged(order);
    } else if (order && decision.kind === 'same') {
      const flags = mergeFlags(order.flags, event.flags, event.eventTime);
      if (JSON.stringify(flags) !== JSON.stringify(order.flags)) {
        order.flags = flags;
        markChanged(order);
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
  return {
    changes: [...changes.values()],
    needDetail: [...needDetail],
    history,
    applied,
    leftovers,
  };
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

const ORDER_COLUMNS = `o."id", o."platform", o."shop_id", o."external_id", o."status", o."raw_status", o."status_source_time", o."flags", o."customer_id"`;

/**
 * The orders and shops these events name, as `(values …) join`: typed keys
 * use the unique indexes, where `(platform::text, …) in (…)` cannot and
 * scanned the whole table once per batch.
 */
function keysOf(events: readonly NormalizedOrderEvent[]): Statement {
  const keys = new Map(
    events.map((e) => [
      orderKey(e.platform, e.shopId, e.externalOrderId),
      [e.platform, e.shopId, e.externalOrderId],
    ]),
  );
  return {
    sql: `(values ${tuplePlaceholders(keys.size, 3, ['::platform', '::text', '::text'])}) as k("platform", "shop_id", "external_id")`,
    params: [...keys.values()].flat(),
  };
}

const rowOf = (row: OrderRow): OrderRow => ({
  ...row,
  status_source_time: row.status_source_time ? new Date(row.status_source_time) : null,
});

/** Locks the orders these events touch, in id order so two batches cannot deadlock. */
async function lockOrders(
  em: EntityManager,
  events: readonly NormalizedOrderEvent[],
): Promise<Map<string, OrderRow>> {
  if (events.length === 0) return new Map();
  const keys = keysOf(events);
  const rows = await rawRows<OrderRow>(
    em,
    `select ${ORDER_COLUMNS}
     from ${keys.sql}
     join "customer_order" o on o."platform" = k."platform" and o."shop_id" = k."shop_id" and o."external_id" = k."external_id"
     order by o."id" for update of o`,
    keys.params,
  );
  return new Map(
    rows.map((row) => [orderKey(row.platform, row.shop_id, row.external_id), rowOf(row)]),
  );
}

/** The orders these events touch with their row versions, and the channels of their shops, unlocked. */
async function readOrders(
  em: EntityManager,
  events: readonly NormalizedOrderEvent[],
): Promise<{ orders: Map<string, OrderRow>; shops: Map<string, string> }> {
  const keys = keysOf(events);
  const rows = await rawRows<
    Omit<OrderRow, 'id' | 'platform' | 'shop_id' | 'external_id'> & {
      id: string | null;
      key_platform: Platform;
      key_shop_id: string;
      key_external_id: string;
      channel_id: string | null;
    }
  >(
    em,
    `select k."platform" as "key_platform", k."shop_id" as "key_shop_id", k."external_id" as "key_external_id",
            c."id" as "channel_id", ${ORDER_COLUMNS}, o."xmin"::text as "version"
     from ${keys.sql}
     left join "channel" c on c."platform" = k."platform" and c."external_shop_id" = k."shop_id"
     left join "customer_order" o on o."platform" = k."platform" and o."shop_id" = k."shop_id" and o."external_id" = k."external_id"`,
    keys.params,
  );
  const orders = new Map<string, OrderRow>();
  const shops = new Map<string, string>();
  for (const row of rows) {
    if (row.channel_id) shops.set(shopKey(row.key_platform, row.key_shop_id), row.channel_id);
    if (row.id === null) continue;
    orders.set(
      orderKey(row.key_platform, row.key_shop_id, row.key_external_id),
      rowOf({
        ...row,
        id: row.id,
        platform: row.key_platform,
        shop_id: row.key_shop_id,
        external_id: row.key_external_id,
      }),
    );
  }
  return { orders, shops };
}

/**
 * New orders in one insert (in key order, so concurrent batches queue on the
 * unique index in the same order), returning the ids it inserted: fewer than
 * `expected` means another writer created one of them first.
 */
function insertOrdersSql(
  changes: readonly Change[],
  shops: ReadonlyMap<string, string>,
): (Statement & { expected: number }) | null {
  const created = changes
    .filter((c) => c.created)
    .map((c) => c.order)
    .sort((a, b) =>
      orderKey(a.platform, a.shop_id, a.external_id).localeCompare(
        orderKey(b.platform, b.shop_id, b.external_id),
      ),
    );
  if (created.length === 0) return null;
  const now = new Date();
  return {
    expected: created.length,
    sql: `insert into "customer_order" ("id", "platform", "channel_id", "shop_id", "external_id", "status", "raw_status",
         "flags", "status_source_time", "subtotal", "total", "placed_at", "platform_updated_at", "created_at", "updated_at")
       values ${tuplePlaceholders(created.length, 15, ['', '::platform', '', '', '', '::order_status', '', '::jsonb'])}
       on conflict ("platform", "shop_id", "external_id") do nothing
       returning "id"`,
    params: created.flatMap((o) => [
      o.id,
      o.platform,
      shops.get(shopKey(o.platform, o.shop_id)),
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
  };
}

/**
 * Changed orders in one update. With row versions (the unlocked path) an
 * order changed since it was read is not updated, and the ids it returns
 * are fewer than `expected`.
 */
function updateOrdersSql(changes: readonly Change[]): (Statement & { expected: number }) | null {
  const updated = changes.filter((c) => !c.created && c.changed).map((c) => c.order);
  if (updated.length === 0) return null;
  const versioned = updated.every((o) => o.version !== undefined);
  return {
    expected: updated.length,
    sql: `update "customer_order" o set "status" = v.status::order_status, "raw_status" = v.raw_status,
         "status_source_time" = v.source_time::timestamptz, "platform_updated_at" = v.source_time::timestamptz,
         "flags" = v.flags::jsonb, "updated_at" = ?
       from (values ${tuplePlaceholders(updated.length, 6)}) as v(id, status, raw_status, source_time, flags, version)
       where o."id" = v.id::uuid${versioned ? ` and o."xmin" = v.version::xid` : ''}
       returning o."id"`,
    params: [
      new Date(),
      ...updated.flatMap((o) => [
        o.id,
        o.status,
        o.raw_status,
        o.status_source_time,
        JSON.stringify(o.flags),
        o.version ?? null,
      ]),
    ],
  };
}

/** Inbox rows still waiting, marked applied; one applied meanwhile by another worker is left out. */
function markAppliedSql(applied: readonly string[]): Statement {
  return {
    sql: `update "inbound_event" set "status" = 'APPLIED', "attempts" = "attempts" + 1,
         "processed_at" = now(), "last_error" = null
       where "id" in (${placeholders(applied)}) and "status" in ('RECEIVED', 'FAILED')
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

/**
 * The whole batch as one statement, which changes everything or nothing:
 * order_batch_check raises (BATCH_CONFLICT) unless every new order was
 * inserted, every changed order was still as read, and every inbox row was
 * still waiting.
 */
function writeUnchangedSql(plan: Plan, shops: ReadonlyMap<string, string>): Statement {
  const created = insertOrdersSql(plan.changes, shops);
  const updated = updateOrdersSql(plan.changes);
  const done = markAppliedSql(plan.applied);
  const history = appendHistorySql(plan.history);
  const ctes = [LOG_LOCK];
  const params: unknown[] = [];
  if (created) {
    ctes.push(`"created" as (${created.sql})`);
    params.push(...created.params);
  }
  if (updated) {
    ctes.push(`"updated" as (${updated.sql})`);
    params.push(...updated.params);
  }
  ctes.push(`"done" as (${done.sql})`, `"history" as (${history.sql})`);
  params.push(...done.params, ...history.params);
  const checks = [`(select count(*) from "done") = ?`];
  params.push(plan.applied.length);
  if (created) {
    checks.push(`(select count(*) from "created") = ?`);
    params.push(created.expected);
  }
  if (updated) {
    checks.push(`(select count(*) from "updated") = ?`);
    params.push(updated.expected);
  }
  return {
    sql: `with ${ctes.join(',\n')} select "order_batch_check"(${checks.join(' and ')})`,
    params,
  };
}

export class OrderCreatedConcurrently extends Error {
  constructor() {
    super('an order of this batch was created by another worker first');
    this.name = 'OrderCreatedConcurrently';
  }
}
