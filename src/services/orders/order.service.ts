import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Row } from '../shared/rows';
import { joinsFor, type Loaders } from '../shared/loaders';
import { rawRows } from '../../db/raw-sql';
import { orderScope, within } from '../../auth/scopes';
import { Order } from '../../entities';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderStatus, Platform } from '../../entities/enums';
import type { OrderChangedEvent } from '../../kernel/topics';
import { assertId, assertIds, badInput, notFound } from '../../kernel/errors';
import {
  emptyPage,
  keysetPage,
  NOTHING_ASKED,
  type Page,
  type PageRequest,
  type PageSelection,
} from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';
import { scopedSelect } from '../shared/scoped-sql';

export type OrderStatusCount = { platform: Platform; status: OrderStatus; orders: number };

export type OrderListFilter = {
  platforms?: Platform[] | null;
  statuses?: OrderStatus[] | null;
  channelIds?: string[] | null;
  customerId?: string | null;
  placedFrom?: Date | null;
  placedTo?: Date | null;
};

function buildWhere(filter: OrderListFilter): FilterQuery<Order> {
  const where: FilterQuery<Order> & Record<string, unknown> = {};
  if (filter.platforms?.length) where.platform = { $in: filter.platforms };
  if (filter.statuses?.length) where.status = { $in: filter.statuses };
  const channels = assertIds(filter.channelIds ?? undefined, 'channelIds');
  if (channels?.length) where.channel = { $in: channels };
  if (filter.customerId) where.customer = assertId(filter.customerId, 'customerId');
  if (filter.placedFrom && filter.placedTo && filter.placedFrom > filter.placedTo) {
    throw badInput('placedFrom must not be after placedTo', 'placedFrom');
  }
  if (filter.placedFrom || filter.placedTo) {
    where.placedAt = {
      ...(filter.placedFrom ? { $gte: filter.placedFrom } : {}),
      ...(filter.placedTo ? { $lt: filter.placedTo } : {}),
    };
  }
  return where;
}

export const orderService = {
  /** `asked`: the node fields the client wants, whose to-one relations the page statement reads. */
  async list(
    { em, viewer, loaders }: RequestScope & { loaders: Loaders },
    filter: OrderListFilter,
    page: PageRequest,
    asked: PageSelection = NOTHING_ASKED,
  ): Promise<Page<Row<Order>>> {
    const where = within(orderScope(viewer), buildWhere(filter));
    if (!where) return emptyPage(page);
    const joins = joinsFor(asked, [
      [['customer'], loaders.customer.joinAs('customer')],
      [['channel'], loaders.channel.joinAs('channel')],
    ]);
    return keysetPage(
      em,
      Order,
      where,
      page,
      { field: 'placedAt', direction: 'DESC' },
      { joins, totalCount: asked.totalCount },
    );
  },

  /**
   * Orders of the viewer's scope by platform and current status: the
   * dashboard's board. Zero cells are left out.
   */
  async statusBoard(
    { em, viewer }: RequestScope,
    filter: Pick<OrderListFilter, 'channelIds' | 'placedFrom'>,
  ): Promise<OrderStatusCount[]> {
    const where = within(orderScope(viewer), buildWhere(filter));
    if (!where) return [];
    const scoped = scopedSelect(em, Order, 'o', where);
    const rows = await rawRows<{ platform: Platform; status: OrderStatus; orders: number }>(
      em,
      `select o."platform", o."status", count(*)::int as "orders" from (${scoped.sql}) o
       group by o."platform", o."status" order by o."platform", o."status"`,
      scoped.params,
    );
    return rows.map((row) => ({
      platform: row.platform,
      status: row.status,
      orders: Number(row.orders),
    }));
  },

  async get({ em, viewer }: RequestScope, id: string): Promise<Order> {
    const where = within(orderScope(viewer), { id: assertId(id) });
    const order = where ? await em.findOne(Order, where) : null;
    if (!order) throw notFound('Order', id);
    return order;
  },
};

/** The order an event is about, unscoped: subscriptions check visibility per viewer. */
export function orderOfEvent(em: EntityManager, event: OrderChangedEvent): Promise<Order | null> {
  return em.findOne(Order, { id: event.orderId });
}
