import DataLoader from 'dataloader';
import { placeholders } from '../../db/raw-sql';
import {
  raw,
  type EntityManager,
  type EntityName,
  type EntityProperty,
  type FilterQuery,
} from '@mikro-orm/postgresql';
import {
  conversationScope,
  customerScope,
  orderScope,
  ticketScope,
  within,
  type Scope,
} from '../../auth/scopes';
import type { Viewer } from '../../auth/viewer';
import type { PageSelection } from './keyset';
import {
  Branch,
  Channel,
  Conversation,
  Customer,
  CustomerLabel,
  Message,
  Order,
  OrderItem,
  OrderStatusEvent,
  Ticket,
  TicketNote,
  User,
} from '../../entities';
import { realRevenueSql } from '../customers/customer-revenue';
import { findRows, rowsByIds, toRows, type NewestChildJoin, type Row, type RowJoin } from './rows';

function columnOf<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  property: string,
): string {
  const meta = em.getMetadata().get(entity);
  const column = (meta.properties as Record<string, EntityProperty>)[property]?.fieldNames[0];
  if (!column) throw new Error(`${meta.className} has no column for ${property}`);
  return column;
}

async function scopedRows<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  scope: Scope<T>,
  ids: readonly string[],
): Promise<Row<T>[]> {
  const where = within(scope, { id: { $in: [...ids] } } as unknown as FilterQuery<T>);
  return where ? findRows(em, entity, where) : [];
}

/**
 * Rows of `entity` by primary key, one query per batch; missing ids load as
 * undefined. `joinAs` lets a list read the rows in its own statement instead
 * (rows.ts RowJoin), only where the loader applies no row scope for the
 * viewer, since the join applies none.
 */
export type RowsById<T> = DataLoader<string, Row<T> | undefined> & {
  joinAs: (relation: string) => RowJoin | null;
  /** The row at once when a page's statement read it, else `load(id)`. */
  row: (id: string) => Loaded<T>;
};

/**
 * A to-one field's answer: the row itself when the page already read it, so
 * that graphql need not wait on a promise per field of every row.
 */
export type Loaded<T> = Row<T> | undefined | Promise<Row<T> | undefined>;

function byId<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  scope: Scope<T> = {},
): RowsById<T> {
  const unscoped = scope !== null && Object.keys(scope).length === 0;
  const loader = new DataLoader<string, Row<T> | undefined>(async (ids) => {
    const rows = unscoped
      ? await rowsByIds(em, entity, ids)
      : await scopedRows(em, entity, scope, ids);
    const found = new Map(rows.map((row) => [(row as { id: string }).id, row]));
    return ids.map((id) => found.get(id));
  });
  const joined = new Map<string, Row<T>>();
  const found = (row: Row<{ id: string }>) => {
    joined.set(row.id, row as Row<T>);
    loader.prime(row.id, row as Row<T>);
  };
  return Object.assign(loader, {
    joinAs: (relation: string): RowJoin | null => (unscoped ? { relation, found } : null),
    row: (id: string): Loaded<T> => joined.get(id) ?? loader.load(id),
  });
}

/**
 * The joins of a list page: each candidate's join when the client asked for
 * any of its fields and its loader allows one.
 */
export function joinsFor(
  asked: PageSelection,
  candidates: readonly (readonly [fields: readonly string[], join: RowJoin | null])[],
): RowJoin[] {
  return candidates.flatMap(([fields, join]) =>
    join && fields.some((field) => asked.fields.has(field)) ? [join] : [],
  );
}

/**
 * The newest children of each parent, by `limit`, with what a page's
 * statement read itself: `joinNewest` offers each parent's newest child to a
 * list (rows.ts NewestChildJoin), only where no row scope applies, and `of`
 * answers at once from it, else through the loader.
 */
export type NewestChildren<T> = ((limit: number) => DataLoader<string, Row<T>[]>) & {
  joinNewest: (joins: readonly RowJoin[], options?: { more: boolean }) => NewestChildJoin | null;
  of: (limit: number, parentId: string) => Row<T>[] | Promise<Row<T>[]>;
  /** A first page of one child, when a page's statement read it with `more`. */
  firstOfJoined: (parentId: string) => { rows: Row<T>[]; more: boolean } | undefined;
};

/**
 * The newest `limit` children of each parent within `scope`, in one
 * statement: a window function ranks children per parent so that a page of
 * parents never costs a query per parent.
 */
function newestChildren<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  parentProperty: keyof T & string,
  orderProperty: keyof T & string,
  direction: 'asc' | 'desc',
  scope: Scope<T> = {},
): NewestChildren<T> {
  const byLimit = new Map<number, DataLoader<string, Row<T>[]>>();
  const loaderOf = (limit: number) => {
    let loader = byLimit.get(limit);
    if (!loader) {
      loader = new DataLoader(async (parentIds) => {
        const where = within(scope, {
          [parentProperty]: { $in: [...parentIds] },
        } as FilterQuery<T>);
        if (!where) return parentIds.map(() => []);
        const parentColumn = columnOf(em, entity, parentProperty);
        const orderColumn = columnOf(em, entity, orderProperty);
        const ranked = em
          .createQueryBuilder(entity, 't')
          .select('t.*')
          .addSelect(
            raw(
              `row_number() over (partition by t."${parentColumn}" order by t."${orderColumn}" ${direction}, t."id" ${direction}) as "rank_in_parent"`,
            ),
          )
          .where(where);
        const query = em
          .getKnex()
          .select('*')
          .from(ranked.getKnexQuery().as('ranked'))
          .where('rank_in_parent', '<=', limit)
          .orderBy('rank_in_parent');
        const raws = await em.execute<Record<string, unknown>[]>(query);
        const rows = toRows(em, entity, raws);
        const grouped = new Map<string, Row<T>[]>(parentIds.map((id) => [id, []]));
        raws.forEach((raw, index) => grouped.get(raw[parentColumn] as string)?.push(rows[index]!));
        return parentIds.map((id) => grouped.get(id) ?? []);
      });
      byLimit.set(limit, loader);
    }
    return loader;
  };
  const unscoped = scope !== null && Object.keys(scope).length === 0;
  const joinedNewest = new Map<string, Row<T>[]>();
  const joinedMore = new Map<string, boolean>();
  return Object.assign(loaderOf, {
    joinNewest: (joins: readonly RowJoin[], options = { more: false }): NewestChildJoin | null =>
      unscoped && direction === 'desc'
        ? {
            entity: entity as EntityName<object>,
            owner: parentProperty,
            newestBy: orderProperty,
            joins,
            more: options.more,
            found: (parentId: string, child: Row<{ id: string }> | undefined, more: boolean) => {
              const rows = child ? [child as Row<T>] : [];
              joinedNewest.set(parentId, rows);
              if (options.more) joinedMore.set(parentId, more);
              loaderOf(1).prime(parentId, rows);
            },
          }
        : null,
    of: (limit: number, parentId: string) =>
      (limit === 1 ? joinedNewest.get(parentId) : undefined) ?? loaderOf(limit).load(parentId),
    firstOfJoined: (parentId: string) => {
      const rows = joinedNewest.get(parentId);
      const more = joinedMore.get(parentId);
      return rows && more !== undefined ? { rows, more } : undefined;
    },
  });
}

/** The targets of a many-to-many link for each owner, one statement per batch. */
function linked<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  link: { table: string; ownerColumn: string; targetColumn: string },
  orderProperty: keyof T & string,
): DataLoader<string, Row<T>[]> {
  return new DataLoader(async (ownerIds) => {
    const meta = em.getMetadata().get(entity);
    const orderColumn = columnOf(em, entity, orderProperty);
    const rows = await em.execute<Record<string, unknown>[]>(
      `select t.*, link."${link.ownerColumn}" as "link_owner_id"
       from "${meta.tableName}" t
       join "${link.table}" link on link."${link.targetColumn}" = t."id"
       where link."${link.ownerColumn}" in (${placeholders(ownerIds)})
       order by t."${orderColumn}"`,
      [...ownerIds],
    );
    const targets = toRows(em, entity, rows);
    const grouped = new Map<string, Row<T>[]>(ownerIds.map((id) => [id, []]));
    rows.forEach((row, index) => grouped.get(row.link_owner_id as string)?.push(targets[index]!));
    return ownerIds.map((id) => grouped.get(id) ?? []);
  });
}

export type CustomerOrderTotals = { realRevenue: number; lastOrderAt: Date | null };

/**
 * Each customer's real revenue and latest order time, one statement per
 * batch. Customers are visible to CRM users only, who see every order
 * (orderScope), so no row scope applies.
 */
function customerOrderTotals(em: EntityManager): DataLoader<string, CustomerOrderTotals> {
  return new DataLoader(async (customerIds) => {
    const rows = await em.execute<{ id: string; revenue: string; last: Date | null }[]>(
      `select c.id, ${realRevenueSql('c.id')} as "revenue",
              (select max(o.placed_at) from customer_order o where o.customer_id = c.id) as "last"
       from unnest(?::uuid[]) as c(id)`,
      [`{${customerIds.join(',')}}`],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return customerIds.map((id) => {
      const row = byId.get(id);
      return {
        realRevenue: Number(row?.revenue ?? 0),
        lastOrderAt: row?.last ? new Date(row.last) : null,
      };
    });
  });
}

export type ChannelSecretsSet = { accessToken: boolean; shopKey: boolean; shopSecret: boolean };

/** Which write-only secrets each channel holds, without reading them: one statement per batch. */
function channelSecretsSet(em: EntityManager): DataLoader<string, ChannelSecretsSet> {
  return new DataLoader(async (channelIds) => {
    const rows = await em.execute<
      { id: string; access_token: boolean; shop_key: boolean; shop_secret: boolean }[]
    >(
      `select "id", "access_token" is not null as "access_token",
              "shop_key" is not null as "shop_key", "shop_secret" is not null as "shop_secret"
       from "channel" where "id" in (${placeholders(channelIds)})`,
      [...channelIds],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return channelIds.map((id) => {
      const row = byId.get(id);
      return {
        accessToken: row?.access_token ?? false,
        shopKey: row?.shop_key ?? false,
        shopSecret: row?.shop_secret ?? false,
      };
    });
  });
}

/**
 * Per-request batching for every nested relation the schema exposes, each
 * within the viewer's row scope: a customer's tickets, a ticket's customer
 * or a root ticket obey the same rules as a direct lookup (BR-CRM-006).
 */
export function createLoaders(em: EntityManager, viewer: Viewer | null) {
  const tickets = ticketScope(viewer);
  return {
    user: byId(em, User),
    customer: byId(em, Customer, customerScope(viewer)),
    branch: byId(em, Branch),
    channel: byId(em, Channel),
    order: byId(em, Order, orderScope(viewer)),
    ticket: byId(em, Ticket, tickets),
    customerLabels: linked(
      em,
      CustomerLabel,
      {
        table: 'customer_label_link',
        ownerColumn: 'customer_id',
        targetColumn: 'customer_label_id',
      },
      'name',
    ),
    userBranches: linked(
      em,
      Branch,
      { table: 'user_branch', ownerColumn: 'user_id', targetColumn: 'branch_id' },
      'name',
    ),
    ticketNotes: newestChildren(em, TicketNote, 'ticket', 'createdAt', 'desc'),
    customerOrders: newestChildren(em, Order, 'customer', 'placedAt', 'desc', orderScope(viewer)),
    customerTickets: newestChildren(em, Ticket, 'customer', 'createdAt', 'desc', tickets),
    customerConversations: newestChildren(
      em,
      Conversation,
      'customer',
      'updatedAt',
      'desc',
      conversationScope(viewer),
    ),
    conversationMessages: newestChildren(em, Message, 'conversation', 'sentAt', 'desc'),
    customerOrderTotals: customerOrderTotals(em),
    channelSecretsSet: channelSecretsSet(em),
    orderItems: newestChildren(em, OrderItem, 'order', 'id', 'asc'),
    orderHistory: newestChildren(em, OrderStatusEvent, 'order', 'eventTime', 'asc'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
