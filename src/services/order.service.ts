import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Order } from '../entities';
import type { OrderStatus, Platform } from '../entities/enums';
import { assertId, assertIds, badInput, notFound } from './errors';
import { keysetPage, type Page, type PageRequest } from './keyset';

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
  list(em: EntityManager, filter: OrderListFilter, page: PageRequest): Promise<Page<Order>> {
    return keysetPage(em, Order, buildWhere(filter), page, {
      field: 'placedAt',
      direction: 'DESC',
    });
  },

  async get(em: EntityManager, id: string): Promise<Order> {
    const order = await em.findOne(Order, { id: assertId(id) });
    if (!order) throw notFound('Order', id);
    return order;
  },
};
