import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import {
  conversationScope,
  customerScope,
  orderScope,
  ticketScope,
  within,
  type Scope,
} from '../../auth/scopes';
import { Conversation, Customer, InboundEvent, Order, Ticket } from '../../entities';
import { OrderReportCell, OrderReportDelta } from '../../entities/order-report.entity';
import type { BotStep, Platform, TicketTarget } from '../../entities/enums';
import { rawRows } from '../../db/raw-sql';
import { assertIds, badInput } from '../../kernel/errors';
import { parseBusinessDate } from '../orders/reconciliation.service';
import type { RequestScope } from '../../kernel/request-scope';
import { scopedSelect, type SqlPart } from '../shared/scoped-sql';

/*
 * Aggregate reports for dashboards and BI tools. Every report reads the
 * viewer's rows through the same scope filter as the lists (scoped-sql.ts)
 * and answers with one or two aggregate statements (GROUPING SETS: one scan
 * gives the total and every breakdown), so no row is loaded into the process.
 *
 * Dates are business dates in Asia/Ho_Chi_Minh (UTC+7 all year): `from` and
 * `to` are both included, and DAY/WEEK/MONTH buckets start at local midnight,
 * weeks on Monday. The date a report filters on is named per report: orders
 * by placed time, tickets and conversations by creation, customers by
 * creation (their revenue by the placed time of their orders), webhook pushes
 * by arrival.
 *
 * Revenue counts what an order is still worth: its total unless it is
 * CANCELLED, FAILED or RETURNED.
 */

export enum ReportPeriod {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

export type BusinessRange = { from: string; to: string; start: Date; end: Date };

const DAY_MS = 86_400_000;
/** Two years by day is 731 buckets: enough for any dashboard, bounded for the database. */
export const MAX_RANGE_DAYS = 731;
/** No "not begun yet" check: a range may end today or later (a dashboard's "this month"). */
const NO_LIMIT = new Date(8.64e15);

export function parseBusinessRange(from: string, to: string): BusinessRange {
  const first = parseBusinessDate(from, NO_LIMIT);
  const last = parseBusinessDate(to, NO_LIMIT);
  if (first.from > last.from) throw badInput('from must not be after to', 'from');
  const days = (last.to.getTime() - first.from.getTime()) / DAY_MS;
  if (days > MAX_RANGE_DAYS) {
    throw badInput(`the range spans ${days} days; at most ${MAX_RANGE_DAYS}`, 'to');
  }
  return { from, to, start: first.from, end: last.to };
}

const PERIOD_UNIT: Record<ReportPeriod, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };

/** The local time a bucket starts at; one `?` for the unit. */
const bucketOf = (local: string): string => `date_trunc(?::text, ${local})`;

/**
 * The bucket of a timestamptz column: shifted by a fixed +7 hours like
 * BUSINESS_OFFSET_MS, so SQL and TypeScript agree without relying on the
 * server's zone database.
 */
const periodOf = (column: string): string =>
  bucketOf(`(${column} at time zone 'UTC') + interval '7 hours'`);

/**
 * A bucket's key, the business date it starts on (YYYY-MM-DD). Reports group
 * by the bucket and format only their output rows: to_char on every input
 * row was a third of the ticket report's time.
 */
const PERIOD_KEY = `to_char(p.period, 'YYYY-MM-DD')`;

/** One breakdown of a GROUPING SETS report: the `dim` its rows carry and what it groups by. */
type Breakdown = readonly [dim: string, groupedBy: string];

const BY_PERIOD: Breakdown = ['period', 'p.period'];

/**
 * A GROUPING SETS report's `dim` and `key` columns (the breakdown a row
 * belongs to, 'total' for the grand total, and its value as text; a period's
 * key is its business date) and its grouping sets, both written from the one
 * list so that they cannot drift apart.
 */
function breakdownSql(breakdowns: readonly Breakdown[]): { dimAndKey: string; groupBy: string } {
  const when = breakdowns.map(([dim, by]) => `when grouping(${by}) = 0 then '${dim}'`);
  const key = breakdowns.map(([dim, by]) => (dim === 'period' ? PERIOD_KEY : `${by}::text`));
  const sets = breakdowns.map(([, by]) => `(${by})`);
  return {
    dimAndKey: `case ${when.join(' ')} else 'total' end as dim, coalesce(${key.join(', ')}) as key`,
    groupBy: `group by grouping sets (${sets.join(', ')}, ())`,
  };
}

const REVENUE_STATUSES_EXCLUDED = `('CANCELLED', 'FAILED', 'RETURNED')`;

/**
 * Runs one report statement with JIT off and more work_mem. Their estimated
 * cost passes PostgreSQL's jit_above_cost, and compiling costs 100-300 ms
 * that a sub-second aggregate never wins back. With the default 4 MB the
 * planner expects the GROUPING SETS hash tables not to fit and sorts every
 * row for one of the breakdowns instead (a third of the ticket report's
 * time); reports are few at a time, so 32 MB each is affordable. Both
 * measured on the scale-10 demo data. Set locally in a transaction of its
 * own, so the pooled connection keeps its settings.
 */
function reportRows<Row>(em: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
    return rawRows<Row>(tx, sql, params);
  });
}

/** n / d, 0 for an empty group (a dashboard plots 0, not an error). */
export const rate = (n: number, d: number): number => (d === 0 ? 0 : n / d);

type Dimensioned = { dim: string; key: string | null; label: string | null };

/** Splits GROUPING SETS rows by the dimension each row belongs to, adding derived rates. */
function byDimension<R extends Dimensioned, O>(rows: R[], empty: R, derive: (row: R) => O) {
  return {
    total: derive(rows.find((row) => row.dim === 'total') ?? empty),
    of: (dim: string) => rows.filter((row) => row.dim === dim).map(derive),
  };
}

/** A scope of null (the viewer sees none of these rows) answers an empty report, like lists do. */
function scoped<T extends object>(
  { em }: RequestScope,
  entity: new () => T,
  scope: FilterQuery<T> | null,
  where: FilterQuery<T>,
): SqlPart | null {
  const filter = within(scope, where);
  return filter ? scopedSelect(em, entity, 'x', filter) : null;
}

/** What an order summary row is keyed by besides its day, named as on Order. */
const ORDER_SUMMARY_KEYS: ReadonlySet<string> = new Set(['channel', 'platform', 'status']);

/**
 * A value a property is compared with: a plain value, a list, or operators
 * over those (`{ $in: [...] }`), never a nested relation filter.
 */
function isOperand(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isOperand);
  if (value === null || typeof value !== 'object' || value instanceof Date) return true;
  return Object.entries(value).every(([key, inner]) => key.startsWith('$') && isOperand(inner));
}

/** Whether a filter names no property but `keys` ($and/$or/$not nest freely). */
function namesOnly(filter: unknown, keys: ReadonlySet<string>): boolean {
  if (Array.isArray(filter)) return filter.every((inner) => namesOnly(inner, keys));
  if (filter === null || typeof filter !== 'object') return false;
  return Object.entries(filter).every(([key, value]) =>
    key.startsWith('$') ? namesOnly(value, keys) : keys.has(key) && isOperand(value),
  );
}

/**
 * A viewer's row scope, for a summary table that keeps the properties it
 * names under the same names: the very filter of scopes.ts then selects the
 * summary rows of exactly the viewer's rows. A scope naming anything else
 * cannot be answered from the summary, and a wrong total is worse than an
 * error: such a change to scopes.ts must add the property to the summary.
 */
function summaryScope<S extends object>(
  scope: Scope<object>,
  keys: ReadonlySet<string>,
): FilterQuery<S> | null {
  if (scope === null) return null;
  if (!namesOnly(scope, keys)) {
    throw new Error(
      `a row scope names properties the report summary does not keep: ${JSON.stringify(scope)}`,
    );
  }
  // Checked above: every property it names exists on S under the same name.
  return scope as FilterQuery<S>;
}

export type OrderReportRow = Dimensioned & {
  orders: number;
  revenue: number;
  cancelled: number;
  returned: number;
  avgConfirmedToShippedSeconds: number | null;
  avgShippedToDeliveredSeconds: number | null;
};

export type OrderReportFilter = { platforms?: Platform[] | null; channelIds?: string[] | null };

const emptyOrderRow: OrderReportRow = {
  dim: 'total',
  key: null,
  label: null,
  orders: 0,
  revenue: 0,
  cancelled: 0,
  returned: 0,
  avgConfirmedToShippedSeconds: null,
  avgShippedToDeliveredSeconds: null,
};

export type TicketReportRow = Dimensioned & {
  tickets: number;
  completed: number;
  canceled: number;
  missed: number;
  overdue: number;
  medianTimeToCompleteSeconds: number | null;
};

export type TicketReportFilter = { targets?: TicketTarget[] | null; branchIds?: string[] | null };

const emptyTicketRow: TicketReportRow = {
  dim: 'total',
  key: null,
  label: null,
  tickets: 0,
  completed: 0,
  canceled: 0,
  missed: 0,
  overdue: 0,
  medianTimeToCompleteSeconds: null,
};

export type ConversationReportRow = Dimensioned & {
  conversations: number;
  responded: number;
  resolved: number;
  handedOff: number;
  firstResponseMedianSeconds: number | null;
  firstResponseP90Seconds: number | null;
  resolutionMedianSeconds: number | null;
  resolutionP90Seconds: number | null;
};

const emptyConversationRow: ConversationReportRow = {
  dim: 'total',
  key: null,
  label: null,
  conversations: 0,
  responded: 0,
  resolved: 0,
  handedOff: 0,
  firstResponseMedianSeconds: null,
  firstResponseP90Seconds: null,
  resolutionMedianSeconds: null,
  resolutionP90Seconds: null,
};

export type BotAnswerRow = {
  step: BotStep | null;
  answers: number;
  medianLatencyMs: number | null;
  p90LatencyMs: number | null;
};

export type IntegrationReportRow = {
  dim: string;
  platform: Platform | null;
  shopId: string | null;
  received: number;
  applied: number;
  pending: number;
  failed: number;
  deadLetters: number;
  retried: number;
  staleOrRepeatedDropped: number;
};

const emptyIntegrationRow: IntegrationReportRow = {
  dim: 'total',
  platform: null,
  shopId: null,
  received: 0,
  applied: 0,
  pending: 0,
  failed: 0,
  deadLetters: 0,
  retried: 0,
  staleOrRepeatedDropped: 0,
};

export type CustomerChannelRow = {
  channelId: string | null;
  platform: Platform | null;
  label: string | null;
  customers: number;
};

export type CustomerSegmentRow = {
  labelId: string | null;
  code: string | null;
  name: string | null;
  customers: number;
  orders: number;
  revenue: number;
};

/** A week by the hour: the longest window the volume chart is meant for. */
export const MAX_VOLUME_HOURS = 168;
const HOUR_MS = 3_600_000;

export type PlatformOrderCount = { platform: Platform; orders: number };
export type OrderVolumeBucket = { start: Date; orders: number; byPlatform: PlatformOrderCount[] };

export const reportService = {
  async orders(
    scope: RequestScope,
    range: BusinessRange,
    groupBy: ReportPeriod,
    filter: OrderReportFilter,
  ) {
    const where: FilterQuery<OrderReportCell> & Record<string, unknown> = {
      day: { $gte: range.from, $lte: range.to },
    };
    if (filter.platforms) where.platform = { $in: filter.platforms };
    const channels = assertIds(filter.channelIds ?? undefined, 'channelIds');
    if (channels) where.channel = { $in: channels };
    const summary = summaryScope<OrderReportCell>(orderScope(scope.viewer), ORDER_SUMMARY_KEYS);
    const cells = scoped(scope, OrderReportCell, summary, where);
    const deltas = scoped(scope, OrderReportDelta, summary, where);
    const breakdowns = breakdownSql([
      ['platform', 's."platform"'],
      ['channel', 's."channel_id"'],
      ['status', 's."status"'],
      BY_PERIOD,
    ]);
    const rows =
      cells && deltas
        ? await reportRows<OrderReportRow>(
            scope.em,
            // The summary's cells and the deltas not folded in yet (order-report.entity.ts):
            // a few thousand rows, every figure a sum, so each breakdown adds them up
            // directly. A key whose orders net to zero (every order left it) is no row.
            // Lead times are carried as sums and counts so that the means stay exact.
            `with s as (${cells.sql} union all ${deltas.sql}),
            r as (
              select ${breakdowns.dimAndKey},
                sum(s."orders")::int as orders,
                coalesce(sum(s."total") filter (where s."status" not in ${REVENUE_STATUSES_EXCLUDED}), 0)::float8 as revenue,
                coalesce(sum(s."orders") filter (where s."status" = 'CANCELLED'), 0)::int as cancelled,
                coalesce(sum(s."orders") filter (where s."status" in ('RETURN_REQUESTED', 'RETURNED')), 0)::int as returned,
                (sum(s."confirmed_to_shipped_micros") / 1000000.0
                  / nullif(sum(s."confirmed_to_shipped"), 0))::float8 as "avgConfirmedToShippedSeconds",
                (sum(s."shipped_to_delivered_micros") / 1000000.0
                  / nullif(sum(s."shipped_to_delivered"), 0))::float8 as "avgShippedToDeliveredSeconds"
              from s
              cross join lateral (select ${bucketOf('s."day"::timestamp')} as period) p
              ${breakdowns.groupBy}
              having sum(s."orders") <> 0
            )
            select r.*, c."name" as label from r
            left join "channel" c on r.dim = 'channel' and c."id"::text = r.key
            order by r.dim, r.key`,
            [...cells.params, ...deltas.params, PERIOD_UNIT[groupBy]],
          )
        : [];
    const split = byDimension(rows, emptyOrderRow, (row) => ({
      ...row,
      cancellationRate: rate(row.cancelled, row.orders),
      returnRate: rate(row.returned, row.orders),
    }));
    return {
      from: range.from,
      to: range.to,
      groupBy,
      total: split.total,
      byPlatform: split.of('platform'),
      byChannel: split.of('channel'),
      byStatus: split.of('status'),
      byPeriod: split.of('period'),
    };
  },

  async tickets(
    scope: RequestScope,
    range: BusinessRange,
    groupBy: ReportPeriod,
    filter: TicketReportFilter,
    now = new Date(),
  ) {
    const where: FilterQuery<Ticket> & Record<string, unknown> = {
      createdAt: { $gte: range.start, $lt: range.end },
    };
    if (filter.targets) where.target = { $in: filter.targets };
    const branches = assertIds(filter.branchIds ?? undefined, 'branchIds');
    if (branches) where.branch = { $in: branches };
    const base = scoped(scope, Ticket, ticketScope(scope.viewer), where);
    // Two statements, side by side: the counts hash every ticket into all the
    // breakdowns in one pass, while the medians need sorted input, which only
    // the completed tickets have to go through (one sort of everything per
    // breakdown was most of the report's time).
    const breakdowns = breakdownSql([
      ['source', 'b."source"'],
      ['result', 'b."result"'],
      ['status', 'b."status"'],
      ['target', 'b."target"'],
      ['branch', 'b."branch_id"'],
      ['assignee', 'b."assignee_id"'],
      BY_PERIOD,
    ]);
    // date_part: the float8 that percentile_cont sorts, not extract()'s numeric, cast per row.
    const from = `from b cross join lateral (select ${periodOf('b."created_at"')} as period,
      date_part('epoch', b."completed_at" - b."created_at") as seconds) p`;
    const [counted, medians] = base
      ? await Promise.all([
          reportRows<Omit<TicketReportRow, 'medianTimeToCompleteSeconds'>>(
            scope.em,
            `with b as (${base.sql}),
            r as (
              select ${breakdowns.dimAndKey},
                count(*)::int as tickets,
                (count(*) filter (where b."status" = 'COMPLETED'))::int as completed,
                (count(*) filter (where b."status" = 'CANCELED'))::int as canceled,
                (count(*) filter (where b."is_missed"))::int as missed,
                (count(*) filter (where b."status" in ('NEW', 'ASSIGNED') and b."due_at" < ?))::int as overdue
              ${from}
              ${breakdowns.groupBy}
            )
            select r.*, coalesce(br."name", u."full_name") as label from r
            left join "branch" br on r.dim = 'branch' and br."id"::text = r.key
            left join "app_user" u on r.dim = 'assignee' and u."id"::text = r.key
            order by r.dim, r.key nulls last`,
            [...base.params, now, PERIOD_UNIT[groupBy]],
          ),
          reportRows<Dimensioned & { medianTimeToCompleteSeconds: number }>(
            scope.em,
            `with b as (${base.sql})
            select ${breakdowns.dimAndKey},
              (percentile_cont(0.5) within group (order by p.seconds))::float8 as "medianTimeToCompleteSeconds"
            ${from}
            where b."status" = 'COMPLETED'
            ${breakdowns.groupBy}`,
            [...base.params, PERIOD_UNIT[groupBy]],
          ),
        ])
      : [[], []];
    const cellOf = (row: Dimensioned) => `${row.dim}\u0000${row.key ?? ''}`;
    const median = new Map(medians.map((row) => [cellOf(row), row.medianTimeToCompleteSeconds]));
    const rows: TicketReportRow[] = counted.map((row) => ({
      ...row,
      medianTimeToCompleteSeconds: median.get(cellOf(row)) ?? null,
    }));
    const split = byDimension(rows, emptyTicketRow, (row) => ({
      ...row,
      completionRate: rate(row.completed, row.tickets),
      missedRate: rate(row.missed, row.tickets),
    }));
    return {
      from: range.from,
      to: range.to,
      groupBy,
      total: split.total,
      bySource: split.of('source'),
      byResult: split.of('result'),
      byStatus: split.of('status'),
      byTarget: split.of('target'),
      byBranch: split.of('branch'),
      byAssignee: split.of('assignee'),
      byPeriod: split.of('period'),
    };
  },

  async conversations(
    scope: RequestScope,
    range: BusinessRange,
    groupBy: ReportPeriod,
    filter: { channelIds?: string[] | null },
  ) {
    const where: FilterQuery<Conversation> & Record<string, unknown> = {
      createdAt: { $gte: range.start, $lt: range.end },
    };
    const channels = assertIds(filter.channelIds ?? undefined, 'channelIds');
    if (channels) where.channel = { $in: channels };
    const base = scoped(scope, Conversation, conversationScope(scope.viewer), where);
    const breakdowns = breakdownSql([['channel', 'b."channel_id"'], BY_PERIOD]);
    const seconds = (from: string, to: string, p: number) =>
      `(percentile_cont(${p}) within group (order by extract(epoch from b."${to}" - b."${from}")))::float8`;
    const [rows, botAnswers] = base
      ? await Promise.all([
          reportRows<ConversationReportRow>(
            scope.em,
            `with b as (${base.sql}),
            r as (
              select ${breakdowns.dimAndKey},
                count(*)::int as conversations,
                count(b."first_response_at")::int as responded,
                count(b."resolved_at")::int as resolved,
                count(b."handed_off_at")::int as "handedOff",
                ${seconds('created_at', 'first_response_at', 0.5)} as "firstResponseMedianSeconds",
                ${seconds('created_at', 'first_response_at', 0.9)} as "firstResponseP90Seconds",
                ${seconds('created_at', 'resolved_at', 0.5)} as "resolutionMedianSeconds",
                ${seconds('created_at', 'resolved_at', 0.9)} as "resolutionP90Seconds"
              from b
              cross join lateral (select ${periodOf('b."created_at"')} as period) p
              ${breakdowns.groupBy}
            )
            select r.*, c."name" as label from r
            left join "channel" c on r.dim = 'channel' and c."id"::text = r.key
            order by r.dim, r.key`,
            [...base.params, PERIOD_UNIT[groupBy]],
          ),
          reportRows<BotAnswerRow>(
            scope.em,
            `with b as (${base.sql})
            select m."bot_step" as step, count(*)::int as answers,
              (percentile_cont(0.5) within group (order by m."bot_latency_ms"))::float8 as "medianLatencyMs",
              (percentile_cont(0.9) within group (order by m."bot_latency_ms"))::float8 as "p90LatencyMs"
            from b join "message" m on m."conversation_id" = b."id"
            where m."sender" = 'BOT'
            group by m."bot_step"
            order by m."bot_step" nulls last`,
            base.params,
          ),
        ])
      : [[], []];
    const split = byDimension(rows, emptyConversationRow, (row) => ({
      ...row,
      handoffRate: rate(row.handedOff, row.conversations),
    }));
    return {
      from: range.from,
      to: range.to,
      groupBy,
      total: split.total,
      byChannel: split.of('channel'),
      byPeriod: split.of('period'),
      botAnswers,
    };
  },

  /**
   * Admin and IT only (the resolver's access rule): inbox rows are not
   * per-user data, so there is no row scope to apply beyond the role.
   */
  async integrations(
    { em }: RequestScope,
    range: BusinessRange,
    filter: { platforms?: Platform[] | null },
  ) {
    const where: FilterQuery<InboundEvent> & Record<string, unknown> = {
      receivedAt: { $gte: range.start, $lt: range.end },
    };
    if (filter.platforms) where.platform = { $in: filter.platforms };
    const base = scopedSelect(em, InboundEvent, 'x', where);
    // A list, not an array parameter: knex would spread an array into `?, ?, ...`.
    const platforms = filter.platforms ? filter.platforms.join(',') : null;
    const rows = await reportRows<IntegrationReportRow>(
      em,
      `with b as (${base.sql}),
      pushes as (
        select b."platform", b."shop_id",
          count(*)::int as received,
          (count(*) filter (where b."status" = 'APPLIED'))::int as applied,
          (count(*) filter (where b."status" = 'RECEIVED'))::int as pending,
          (count(*) filter (where b."status" = 'FAILED'))::int as failed,
          (count(*) filter (where b."status" = 'DEAD'))::int as "deadLetters",
          (count(*) filter (where b."attempts" > 1))::int as retried,
          0 as dropped
        from b group by b."platform", b."shop_id"
      ),
      dropped as (
        select o."platform", o."shop_id", 0, 0, 0, 0, 0, 0, count(*)::int
        from "order_status_event" e join "customer_order" o on o."id" = e."order_id"
        where not e."applied" and e."received_at" >= ? and e."received_at" < ?
          and (?::text is null or o."platform"::text = any(string_to_array(?::text, ',')))
        group by o."platform", o."shop_id"
      ),
      per_shop as (select * from pushes union all select * from dropped)
      select case
          when grouping(s."shop_id") = 0 then 'shop'
          when grouping(s."platform") = 0 then 'platform'
          else 'total' end as dim,
        s."platform", s."shop_id" as "shopId",
        coalesce(sum(s.received), 0)::int as received, coalesce(sum(s.applied), 0)::int as applied,
        coalesce(sum(s.pending), 0)::int as pending, coalesce(sum(s.failed), 0)::int as failed,
        coalesce(sum(s."deadLetters"), 0)::int as "deadLetters", coalesce(sum(s.retried), 0)::int as retried,
        coalesce(sum(s.dropped), 0)::int as "staleOrRepeatedDropped"
      from per_shop s
      group by grouping sets ((s."platform", s."shop_id"), (s."platform"), ())
      order by sum(s."deadLetters" + s.failed) desc, sum(s.received) desc, s."platform", s."shop_id"`,
      [...base.params, range.start, range.end, platforms, platforms],
    );
    return {
      from: range.from,
      to: range.to,
      total: rows.find((row) => row.dim === 'total') ?? emptyIntegrationRow,
      byPlatform: rows.filter((row) => row.dim === 'platform'),
      byShop: rows.filter((row) => row.dim === 'shop'),
    };
  },

  async customers(scope: RequestScope, range: BusinessRange, groupBy: ReportPeriod) {
    const customerBase = scoped(scope, Customer, customerScope(scope.viewer), {
      createdAt: { $gte: range.start, $lt: range.end },
    });
    const orderBase = scoped(scope, Order, orderScope(scope.viewer), {
      placedAt: { $gte: range.start, $lt: range.end },
    });
    if (!customerBase || !orderBase) {
      return {
        from: range.from,
        to: range.to,
        groupBy,
        newCustomers: 0,
        possibleDuplicates: 0,
        newByChannel: [],
        newByPeriod: [],
        revenueBySegment: [],
      };
    }
    const breakdowns = breakdownSql([['channel', 'first."channel_id"'], BY_PERIOD]);
    const [created, revenueBySegment] = await Promise.all([
      reportRows<{
        dim: string;
        key: string | null;
        customers: number;
        duplicates: number;
        platform: Platform | null;
        label: string | null;
      }>(
        scope.em,
        // A customer's channel is where they first appeared: their first order or
        // conversation, whichever came first; none for people entered by staff.
        `with b as (${customerBase.sql}),
        r as (
          select ${breakdowns.dimAndKey},
            count(*)::int as customers,
            (count(*) filter (where
              exists (select 1 from "customer" d where d."phone" = b."phone" and d."id" <> b."id")
              or exists (select 1 from "customer" d where d."email" = b."email" and d."id" <> b."id")))::int as duplicates
          from b
          left join lateral (
            select f."channel_id" from (
              (select o."channel_id", o."placed_at" as at from "customer_order" o
                where o."customer_id" = b."id" order by o."placed_at" limit 1)
              union all
              (select c."channel_id", c."created_at" from "conversation" c
                where c."customer_id" = b."id" order by c."created_at" limit 1)
            ) f order by f.at limit 1
          ) first on true
          cross join lateral (select ${periodOf('b."created_at"')} as period) p
          ${breakdowns.groupBy}
        )
        select r.*, ch."platform", ch."name" as label from r
        left join "channel" ch on r.dim = 'channel' and ch."id"::text = r.key
        order by r.dim, r.key nulls last`,
        [...customerBase.params, PERIOD_UNIT[groupBy]],
      ),
      reportRows<CustomerSegmentRow>(
        scope.em,
        // A customer with two labels counts in both segments; "no label" is its own row.
        // Orders are added up per customer first: a few thousand customers to join to
        // their labels, not every order (a sort of all of them was most of the time).
        `with o as (${orderBase.sql}),
        per_customer as (
          select o."customer_id", count(*) as orders,
            sum(o."total") filter (where o."status" not in ${REVENUE_STATUSES_EXCLUDED}) as revenue
          from o where o."customer_id" is not null
          group by o."customer_id"
        ),
        s as (
          select k."customer_label_id" as label_id, c.*
          from per_customer c join "customer_label_link" k on k."customer_id" = c."customer_id"
          union all
          select null, c.* from per_customer c
          where not exists (select 1 from "customer_label_link" k where k."customer_id" = c."customer_id")
        )
        select l."id" as "labelId", l."code", l."name",
          count(*)::int as customers, sum(s.orders)::int as orders,
          coalesce(sum(s.revenue), 0)::float8 as revenue
        from s left join "customer_label" l on l."id" = s.label_id
        group by l."id", l."code", l."name"
        order by revenue desc, l."code" nulls last`,
        orderBase.params,
      ),
    ]);
    const total = created.find((row) => row.dim === 'total');
    return {
      from: range.from,
      to: range.to,
      groupBy,
      newCustomers: total?.customers ?? 0,
      possibleDuplicates: total?.duplicates ?? 0,
      newByChannel: created
        .filter((row) => row.dim === 'channel')
        .map((row): CustomerChannelRow => ({
          channelId: row.key,
          platform: row.platform,
          label: row.label,
          customers: row.customers,
        })),
      newByPeriod: created
        .filter((row) => row.dim === 'period')
        .map((row) => ({ key: row.key ?? '', customers: row.customers })),
      revenueBySegment,
    };
  },

  /**
   * Orders placed per clock hour and platform over the last `hours` hours,
   * the current (partly elapsed) hour last, every hour present even when
   * empty, so that a chart plots them as they come. Read from the orders
   * themselves, not the daily summary: a day or so of orders by placed time
   * is an index range. Asia/Ho_Chi_Minh is a whole number of hours from UTC,
   * so these hours are also its local hours.
   */
  async orderVolume(scope: RequestScope, hours: number, now = new Date()) {
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_VOLUME_HOURS) {
      throw badInput(`hours must be between 1 and ${MAX_VOLUME_HOURS}`, 'hours');
    }
    const currentHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
    const from = new Date(currentHour - (hours - 1) * HOUR_MS);
    const to = new Date(currentHour + HOUR_MS);
    const base = scoped(scope, Order, orderScope(scope.viewer), {
      placedAt: { $gte: from, $lt: to },
    });
    const rows = base
      ? await reportRows<{ bucket: number; platform: Platform; orders: number }>(
          scope.em,
          `with b as (${base.sql})
          select floor(extract(epoch from b."placed_at" - ?::timestamptz) / 3600)::int as bucket,
            b."platform", count(*)::int as orders
          from b group by 1, 2 order by 1, 2`,
          [...base.params, from],
        )
      : [];
    const buckets: OrderVolumeBucket[] = Array.from({ length: hours }, (_, index) => ({
      start: new Date(from.getTime() + index * HOUR_MS),
      orders: 0,
      byPlatform: [],
    }));
    const totals = new Map<Platform, number>();
    for (const row of rows) {
      const bucket = buckets[row.bucket];
      if (!bucket) continue;
      bucket.orders += row.orders;
      bucket.byPlatform.push({ platform: row.platform, orders: row.orders });
      totals.set(row.platform, (totals.get(row.platform) ?? 0) + row.orders);
    }
    return {
      from,
      to,
      total: rows.reduce((sum, row) => sum + row.orders, 0),
      byPlatform: [...totals].map(([platform, orders]): PlatformOrderCount => ({
        platform,
        orders,
      })),
      buckets,
    };
  },
};
