import type { EntityManager } from '@mikro-orm/postgresql';
import { placeholders, rawRows } from '../../db/raw-sql';
import { Order } from '../../entities';
import type { OrderStatus, Platform } from '../../entities/enums';
import { badInput } from '../../kernel/errors';
import { toRows, type Row } from '../shared/rows';

/**
 * Reads the order event log: applied status changes in commit order (the
 * `sequence` column, assigned at commit; see the order_event_log migration).
 * Events that moved nothing (stale, repeated) stay in the order's history
 * but are not part of the stream.
 */
export type OrderLogEvent = {
  sequence: number;
  id: string;
  orderId: string;
  channelId: string;
  platform: Platform;
  status: OrderStatus;
  rawStatus: string;
  eventTime: Date;
  receivedAt: Date;
  /**
   * The order as it is now, loaded once for a whole page of events and
   * shared by every subscriber (each still checks its own scope). A plain
   * row, not a managed entity: it is serialized and dropped, and the shared
   * tail reads one for every event the API applies.
   */
  order?: Row<Order>;
};

export type OrderLogFilter = {
  platforms?: Platform[] | null;
  statuses?: OrderStatus[] | null;
  channelIds?: string[] | null;
  orderIds?: string[] | null;
};

type LogRow = {
  log_sequence: string;
  log_id: string;
  log_status: OrderStatus;
  log_raw_status: string;
  log_event_time: Date;
  log_received_at: Date;
};

const CURSOR_PREFIX = 'oe:';

export function encodeLogCursor(sequence: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${sequence}`, 'utf8').toString('base64url');
}

export function decodeLogCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  const sequence = /^\d{1,15}$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(sequence)) {
    throw badInput('after: malformed cursor; pass the cursor of an event you received', 'after');
  }
  return sequence;
}

/** The in-memory form of the SQL filter, for events already read by the shared tail. */
export function matchesLogFilter(event: OrderLogEvent, filter: OrderLogFilter): boolean {
  return (
    (!filter.platforms?.length || filter.platforms.includes(event.platform)) &&
    (!filter.statuses?.length || filter.statuses.includes(event.status)) &&
    (!filter.channelIds?.length || filter.channelIds.includes(event.channelId)) &&
    (!filter.orderIds?.length || filter.orderIds.includes(event.orderId))
  );
}

export const orderEventLog = {
  /** The last committed position; a live-only reader starts after it. */
  async head(em: EntityManager): Promise<number> {
    const rows = await rawRows<{ head: string | null }>(
      em,
      `select max("sequence") as "head" from "order_status_event"`,
    );
    return Number(rows[0]?.head ?? 0);
  },

  /** Up to `limit` events after `after`, oldest first, within the filter and the channel scope (null: all). */
  readAfter(
    em: EntityManager,
    after: number,
    limit: number,
    filter: OrderLogFilter = {},
    channelScope: readonly string[] | null = null,
  ): Promise<OrderLogEvent[]> {
    return readLog(em, { after, limit, newestFirst: false }, filter, channelScope);
  },

  /**
   * The latest `limit` events, newest first: what a dashboard shows on load
   * before it subscribes with the newest one's cursor, so nothing falls between.
   */
  readLatest(
    em: EntityManager,
    limit: number,
    filter: OrderLogFilter = {},
    channelScope: readonly string[] | null = null,
  ): Promise<OrderLogEvent[]> {
    return readLog(em, { after: 0, limit, newestFirst: true }, filter, channelScope);
  },
};

async function readLog(
  em: EntityManager,
  window: { after: number; limit: number; newestFirst: boolean },
  filter: OrderLogFilter,
  channelScope: readonly string[] | null,
): Promise<OrderLogEvent[]> {
  const where = [`e."sequence" > ?`, `e."applied"`];
  const params: unknown[] = [window.after];
  // An empty list filters nothing, as in matchesLogFilter. One placeholder
  // per value: the driver would expand an array binding into a list anyway.
  const anyOf = (column: string, values: readonly unknown[] | null | undefined) => {
    if (!values?.length) return;
    where.push(`${column} in (${placeholders(values)})`);
    params.push(...values);
  };
  anyOf('o."platform"', filter.platforms);
  anyOf('e."status"', filter.statuses);
  anyOf('o."channel_id"', filter.channelIds);
  anyOf('e."order_id"', filter.orderIds);
  // A partner key without channels sees nothing, never everything.
  if (channelScope) {
    if (channelScope.length === 0) return [];
    anyOf('o."channel_id"', channelScope);
  }
  params.push(window.limit);
  // The orders come in the same rows (a second query for them cost the shared
  // tail a round trip per read): the log's own columns under `log_` names,
  // everything else is the order's row.
  const rows = await rawRows<LogRow & Record<string, unknown>>(
    em,
    `select e."sequence" as "log_sequence", e."id" as "log_id", e."status" as "log_status",
            e."raw_status" as "log_raw_status", e."event_time" as "log_event_time",
            e."received_at" as "log_received_at", o.*
     from "order_status_event" e join "customer_order" o on o."id" = e."order_id"
     where ${where.join(' and ')}
     order by e."sequence" ${window.newestFirst ? 'desc' : 'asc'} limit ?`,
    params,
  );
  // The mapper reads the order's own columns only; the log_ ones pass by.
  const orders = toRows(em, Order, rows);
  return rows.map((row, index) => {
    const order = orders[index]!;
    return {
      sequence: Number(row.log_sequence),
      id: row.log_id,
      orderId: order.id,
      channelId: order.channel.id,
      platform: order.platform,
      status: row.log_status,
      rawStatus: row.log_raw_status,
      eventTime: new Date(row.log_event_time),
      receivedAt: new Date(row.log_received_at),
      order,
    };
  });
}
