/**
 * Order enrichment: pushes carry an id and a status, so orders are created
 * from them at once with zero amounts, and the platform's order detail fills
 * in amounts, items, buyer and customer afterwards. The detail's status goes
 * through the same lattice as pushes: a detail read before a newer push
 * landed never moves the order back.
 */
import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { Channel, Customer, Order, OrderItem, OrderStatusEvent } from '../../entities';
import { clientFor, credentialsOf, type OrderApiClients } from '../../integrations/order-api';
import type { OrderDetail } from '../../integrations/order-api/types';
import { stepOrder, type StatusReport } from './order-lattice';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type OrderChangedEvent, type TicketChangedEvent } from '../../kernel/topics';
import { linkCustomer } from '../customers/customer-linking';
import { isErasedBuyer } from '../customers/erased-identity';
import { normalizePhone } from '../customers/phone';
import { afterOrderMilestone } from '../tickets/ticket-automation';
import { settleMarketplacePayments } from './payments';

/** Schedules an order's detail fetch inside the caller's transaction (see jobs/enrich-order.job.ts). */
export type EnrichmentQueue = {
  enqueue(em: EntityManager, orderId: string): Promise<void>;
  /** Many orders in one statement, for the batch apply path. */
  enqueueMany(em: EntityManager, orderIds: readonly string[]): Promise<void>;
};

/**
 * What applying pushes needs of the order APIs: clients to confirm unsigned
 * (Sendo) pushes, and the queue for enrichment. `queue` is absent in a
 * process that runs no jobs; the enrichment sweep then finds its new orders
 * (enriched_at is null) within a few minutes.
 */
export type OrderSync = {
  clients: OrderApiClients;
  queue?: EnrichmentQueue;
};

export type DetailApplied = { statusChanged: boolean; ticketIds: string[] };

/** The channel with its order-API secrets, which default selects leave out. */
export async function channelWithCredentials(
  em: EntityManager,
  channelId: string,
): Promise<Channel> {
  return em.findOneOrFail(Channel, channelId, {
    populate: ['accessToken', 'shopSecret', 'shopKey'],
  });
}

export async function fetchDetail(
  clients: OrderApiClients,
  channel: Channel,
  externalId: string,
): Promise<OrderDetail> {
  return clientFor(clients, channel.platform).fetchOrder(credentialsOf(channel), externalId);
}

/** What a detail says of the order's status, for the lattice. */
const detailReport = (detail: OrderDetail): StatusReport => ({
  status: detail.status,
  rawStatus: detail.rawStatus,
  flags: detail.flags,
  eventTime: detail.statusTime,
});

/** The history row of a status a detail moved (or started) the order to. */
function recordDetailStatus(em: EntityManager, order: Order, detail: OrderDetail): void {
  em.create(OrderStatusEvent, {
    order,
    rawStatus: detail.rawStatus,
    status: detail.status ?? undefined,
    applied: true,
    eventTime: detail.statusTime,
    eventKey: `detail:${detail.rawStatus}:${detail.statusTime.getTime()}`,
  });
}

/**
 * Writes a detail onto a locked order. Amounts, items (replaced, so a
 * repeated fetch leaves one set), buyer and placedAt always take the
 * detail's values; the status only moves along the lattice, and an
 * OrderStatusEvent is appended only when it does.
 */
export async function applyDetail(
  em: EntityManager,
  order: Order,
  detail: OrderDetail,
  channel: Channel,
): Promise<DetailApplied> {
  const step = stepOrder(order, detailReport(detail), 'detail');
  if (step.moved) {
    order.status = step.next!.status;
    order.rawStatus = step.next!.rawStatus;
    order.statusSourceTime = detail.statusTime;
    order.platformUpdatedAt = detail.statusTime;
    recordDetailStatus(em, order, detail);
  }
  if (step.next) order.flags = step.next.flags;
  // stale and anomaly: the stored status stands.

  order.currency = detail.currency;
  order.subtotal = detail.subtotal;
  order.shippingFee = detail.shippingFee;
  order.discount = detail.discount;
  order.total = detail.total;
  order.placedAt = detail.placedAt;
  // An erased buyer's orders stay under the pseudonym: the detail's buyer fields are not stored again.
  const erased = await isErasedBuyer(em, order.platform, detail.buyer);
  order.buyerName = erased ? undefined : (detail.buyer.name ?? undefined);
  order.buyerPhone = erased
    ? undefined
    : (normalizePhone(detail.buyer.phone) ?? detail.buyer.phone ?? undefined);
  order.buyerPlatformId = erased ? undefined : (detail.buyer.platformId ?? undefined);
  order.enrichedAt = new Date();

  await em.nativeDelete(OrderItem, { order: order.id });
  for (const item of detail.items) em.create(OrderItem, { order, ...item });

  // A customer already linked (by an earlier detail, or by staff) is kept.
  if (!order.customer) {
    const linked = await linkCustomer(em, order.platform, detail.buyer, channel.branch?.id ?? null);
    if (linked) order.customer = em.getReference(Customer, linked.customerId, { wrapped: true });
  }
  await em.flush();
  // Idempotent (origin key): a delivered order whose customer was just found gets its care ticket now.
  const ticket = await afterOrderMilestone(em, order);
  // A paid order's payment takes the detail's amount and buyer (and opens its ticket once).
  const paid = await settleMarketplacePayments(em, [order.id]);
  const ticketIds = [...(ticket ? [ticket.id] : []), ...paid.map((t) => t.id)];
  return { statusChanged: step.moved, ticketIds };
}

/** What applying a detail did to the stored order. */
export type DetailOutcome = 'created' | 'updated' | 'unchanged';

export type DetailUpserted = { orderId: string; outcome: DetailOutcome; applied: DetailApplied };

/**
 * Applies a platform's order detail to the order it describes, creating the
 * order when none is stored (a manual sync finds orders no push announced).
 * A new order starts at the detail's status with one applied history row,
 * like a first push; an existing one goes through applyDetail and its
 * lattice. `updated` means something a reader sees changed (status, flags,
 * amounts, items, buyer, customer); a detail that repeats what is stored, or
 * is older than it, is `unchanged`.
 */
export async function upsertFromDetail(
  em: EntityManager,
  channel: Channel,
  detail: OrderDetail,
): Promise<DetailUpserted> {
  const existing = await em.findOne(
    Order,
    { platform: detail.platform, shopId: detail.shopId, externalId: detail.externalId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (existing) {
    const before = await readableState(em, existing);
    const applied = await applyDetail(em, existing, detail, channel);
    const after = await readableState(em, existing);
    return {
      orderId: existing.id,
      outcome: before === after ? 'unchanged' : 'updated',
      applied,
    };
  }
  const start = stepOrder(null, detailReport(detail), 'detail').next;
  if (!start) {
    // Only a flag (e.g. Shopee IN_CANCEL): no status to start the order at.
    throw new Error(
      `order ${detail.externalId}: status ${detail.rawStatus} alone cannot create an order`,
    );
  }
  const order = em.create(Order, {
    platform: detail.platform,
    channel: em.getReference(Channel, channel.id),
    shopId: detail.shopId,
    externalId: detail.externalId,
    status: start.status,
    rawStatus: start.rawStatus,
    flags: start.flags,
    statusSourceTime: detail.statusTime,
    subtotal: 0,
    total: 0,
    placedAt: detail.placedAt,
    platformUpdatedAt: detail.statusTime,
  });
  recordDetailStatus(em, order, detail);
  await em.flush();
  // Same status now: applyDetail fills amounts, items and buyer and adds no second history row.
  const applied = await applyDetail(em, order, detail, channel);
  return { orderId: order.id, outcome: 'created', applied: { ...applied, statusChanged: true } };
}

/** What a reader of the order sees, as one comparable string (enrichedAt aside). */
async function readableState(em: EntityManager, order: Order): Promise<string> {
  const items = await em.find(
    OrderItem,
    { order: order.id },
    { fields: ['sku', 'name', 'quantity', 'unitPrice', 'total'], orderBy: { id: 'asc' } },
  );
  return JSON.stringify([
    order.status,
    order.rawStatus,
    order.flags,
    order.currency,
    order.subtotal,
    order.shippingFee,
    order.discount,
    order.total,
    order.placedAt.getTime(),
    order.buyerName ?? null,
    order.buyerPhone ?? null,
    order.buyerPlatformId ?? null,
    order.customer?.id ?? null,
    items
      .map((item) => [item.sku, item.name, item.quantity, item.unitPrice, item.total])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  ]);
}

export type EnrichResult = 'enriched' | 'missing';

/**
 * The enrich-order job's body. The HTTP call happens before the transaction,
 * so no row lock or transaction is held while the platform answers; a
 * failing fetch throws and pg-boss retries it, and the status the push set
 * stays as it is.
 */
export async function enrichOrder(
  orm: MikroORM,
  bus: EventBus,
  clients: OrderApiClients,
  orderId: string,
): Promise<EnrichResult> {
  const em = orm.em.fork();
  const order = await em.findOne(Order, orderId);
  if (!order) return 'missing';
  const channel = await channelWithCredentials(em, order.channel.id);
  const detail = await fetchDetail(clients, channel, order.externalId);
  const applied = await orm.em.fork().transactional(async (tx) => {
    const locked = await tx.findOneOrFail(Order, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    return applyDetail(tx, locked, detail, channel);
  });
  publishDetailApplied(bus, orderId, applied);
  return 'enriched';
}

/** After commit: amounts and buyer changed even when the status did not. */
export function publishDetailApplied(bus: EventBus, orderId: string, applied: DetailApplied): void {
  bus.publish(TOPICS.orderChanged, { orderId } satisfies OrderChangedEvent);
  for (const ticketId of applied.ticketIds) {
    bus.publish(TOPICS.ticketChanged, {
      ticketId,
      action: 'CREATED',
      changedFields: ['status'],
    } satisfies TicketChangedEvent);
  }
}

/**
 * Orders whose detail was never read, oldest first, for the sweep: created
 * between `notBefore` and `olderThan`. The lower bound stops an order the
 * platform will never describe (deleted, a revoked shop) from being asked
 * for forever. An order whose detail the platform refused is left out until
 * something that could change the answer has changed: its channel (a new
 * token, say), or the process's configuration (app keys), read at
 * `configuredAt`.
 */
export async function unenrichedOrders(
  em: EntityManager,
  window: { olderThan: Date; notBefore: Date; configuredAt: Date },
  limit = 500,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select o."id" from "customer_order" o
     join "channel" c on c."id" = o."channel_id"
     where o."enriched_at" is null and o."created_at" < ? and o."created_at" >= ?
       and (o."detail_rejected_at" is null
            or o."detail_rejected_at" < greatest(c."updated_at", ?::timestamptz))
     order by o."created_at" limit ?`,
    [window.olderThan, window.notBefore, window.configuredAt, limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Remembers that the platform refused this order's detail. Bookkeeping, not
 * a change a reader sees: `updated_at` stays, so exports do not send it again.
 */
export async function markDetailRejected(em: EntityManager, orderId: string): Promise<void> {
  await em.execute(`update "customer_order" set "detail_rejected_at" = now() where "id" = ?`, [
    orderId,
  ]);
}
