import { randomUUID } from 'node:crypto';
import type { Row } from '../shared/rows';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { ReconciliationMismatch, ReconciliationRun } from '../../entities';
import type { ReconciliationMismatchKind } from '../../entities/enums';
import { badInput } from '../../kernel/errors';
import { emptyPage, keysetPage, type Page, type PageRequest } from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';
import { BUSINESS_OFFSET_MS } from '../tickets/ticket-filter';

/*
 * Reconciliation of payments against orders, one business day at a time.
 *
 * A business date is a calendar day in Asia/Ho_Chi_Minh (UTC+7 all year), so
 * 2026-03-10 is [2026-03-09T17:00Z, 2026-03-10T17:00Z).
 *
 * The orders a date covers: those placed on it, those that reached their
 * current status on it (`status_source_time`, so a COD order placed earlier
 * and delivered that day is checked), and those with a payment paid on it.
 * Each covered order is compared with all of its payments, whatever day they
 * were paid, as they stand when the run happens.
 *
 * The payments: those of the covered orders, plus every PAID payment paid on
 * the date (`paid_at`, or `created_at` when no paid time was recorded) that
 * has no order. Only PAID and REFUNDED payments carry money; PENDING and
 * FAILED ones are ignored.
 *
 * Per order: net paid = sum of its PAID payments (a REFUNDED payment is money
 * returned, so it counts zero). What it should have collected is its total
 * while it is open, delivered or completed, and zero once CANCELLED, FAILED or
 * RETURNED. Amounts are integers in minor units, compared without floats:
 * - a payment in another currency than the order: CURRENCY_MISMATCH (amounts
 *   cannot be added across currencies; `actual` counts the order's currency);
 * - DELIVERED or COMPLETED with a total and no PAID or REFUNDED payment:
 *   MISSING_PAYMENT;
 * - |net paid - expected| above 1% of the order total (exactly 1% is within
 *   tolerance, for platform fees and rounding): AMOUNT_MISMATCH;
 * - an order still open (pending payment up to shipped) without any payment
 *   is a COD order not delivered yet, not a mismatch; with payments it is
 *   compared (prepaid). A RETURN_REQUESTED order is skipped until the return
 *   settles (RETURNED) or is withdrawn.
 * A PAID payment without an order (none linked, or the order was deleted) is
 * MISSING_ORDER.
 */

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export type BusinessDay = { date: string; from: Date; to: Date };

/** `YYYY-MM-DD` as a business day; anything else, or a day not yet begun, is bad input. */
export function parseBusinessDate(date: string, now = new Date()): BusinessDay {
  const match = DATE_PATTERN.exec(date);
  const [year, month, day] = match ? match.slice(1).map(Number) : [];
  const midnightUtc =
    year !== undefined && month !== undefined && day !== undefined
      ? Date.UTC(year, month - 1, day)
      : Number.NaN;
  // Date.UTC rolls 2026-02-30 over to March: a real date survives the round trip.
  if (Number.isNaN(midnightUtc) || new Date(midnightUtc).toISOString().slice(0, 10) !== date) {
    throw badInput(`date: "${date}" is not a calendar date written YYYY-MM-DD`, 'date');
  }
  const from = new Date(midnightUtc - BUSINESS_OFFSET_MS);
  if (from.getTime() > now.getTime()) {
    throw badInput(`date: ${date} has not begun in Asia/Ho_Chi_Minh yet`, 'date');
  }
  return { date, from, to: new Date(from.getTime() + DAY_MS) };
}

/** The business date (Asia/Ho_Chi_Minh) an instant falls on. */
export function businessDateOf(at: Date): string {
  return new Date(at.getTime() + BUSINESS_OFFSET_MS).toISOString().slice(0, 10);
}

/** The business day before the one `now` falls on: what the nightly job reconciles. */
export function previousBusinessDate(now: Date): string {
  return businessDateOf(new Date(now.getTime() - DAY_MS));
}

/**
 * One statement over the whole day: covered orders are aggregated with their
 * payments in PostgreSQL and the mismatches inserted from the same SELECT, so
 * no order or payment row is loaded into the process however big the day is.
 * Parameters: run id, date, from, to (in that order, via `params`).
 */
const RECONCILE_SQL = `
with params as (
  select ?::uuid as run_id, ?::text as run_date, ?::timestamptz as from_at, ?::timestamptz as to_at
),
covered as (
  select o."id" from "customer_order" o, params
  where o."placed_at" >= params.from_at and o."placed_at" < params.to_at
  union
  select o."id" from "customer_order" o, params
  where o."status_source_time" >= params.from_at and o."status_source_time" < params.to_at
  union
  select p."order_id" from "payment" p, params
  where p."order_id" is not null and p."status" in ('PAID', 'REFUNDED')
    and coalesce(p."paid_at", p."created_at") >= params.from_at
    and coalesce(p."paid_at", p."created_at") < params.to_at
),
per_order as (
  select o."id", o."status", o."currency", o."total", o."placed_at",
    case when o."status" in ('CANCELLED', 'FAILED', 'RETURNED') then 0 else o."total" end as expected,
    coalesce(sum(p."amount") filter (where p."status" = 'PAID' and p."currency" = o."currency"), 0) as actual,
    count(p."id") filter (where p."status" in ('PAID', 'REFUNDED')) as settled,
    string_agg(distinct p."currency", ', ') filter (where p."status" in ('PAID', 'REFUNDED') and p."currency" <> o."currency") as foreign_currencies,
    coalesce(array_agg(p."id" order by p."id") filter (where p."status" in ('PAID', 'REFUNDED')), '{}') as payment_ids
  from covered c
  join "customer_order" o on o."id" = c."id"
  left join "payment" p on p."order_id" = o."id"
  group by o."id"
),
judged as (
  select *,
    case
      when foreign_currencies is not null then 'CURRENCY_MISMATCH'
      when "status" = 'RETURN_REQUESTED' then null
      when "status" in ('DELIVERED', 'COMPLETED') and settled = 0 and "total" > 0 then 'MISSING_PAYMENT'
      when "status" in ('PENDING_PAYMENT', 'CONFIRMED', 'PACKED', 'READY_TO_SHIP', 'SHIPPED') and settled = 0 then null
      when abs(actual::numeric - expected) * 100 > abs("total"::numeric) then 'AMOUNT_MISMATCH'
    end as kind
  from per_order
),
orphans as (
  select p."id", p."amount", p."currency", p."method", p."order_id",
         coalesce(p."paid_at", p."created_at") as paid_at
  from "payment" p
  cross join params
  left join "customer_order" o on o."id" = p."order_id"
  where p."status" = 'PAID' and o."id" is null
    and coalesce(p."paid_at", p."created_at") >= params.from_at
    and coalesce(p."paid_at", p."created_at") < params.to_at
),
found as (
  select kind, "id" as order_id, payment_ids, expected, actual, "currency", "placed_at" as occurred_at, "id" as subject,
    case kind
      when 'CURRENCY_MISMATCH' then format('order in %s has payments in %s', "currency", foreign_currencies)
      when 'MISSING_PAYMENT' then format('%s order of %s %s has no payment', lower("status"::text), "total", "currency")
      else format('%s order: %s %s paid against %s expected, off by %s%% of its total of %s',
        lower("status"::text), actual, "currency", expected,
        coalesce(round(abs(actual::numeric - expected) * 100 / nullif("total", 0), 2)::text, 'all'), "total")
    end as detail
  from judged where kind is not null
  union all
  select 'MISSING_ORDER', null, array["id"], 0, "amount", "currency", paid_at, "id",
    case when "order_id" is null
      then format('%s payment of %s %s has no order', "method", "amount", "currency")
      else format('%s payment of %s %s belongs to order %s, which does not exist', "method", "amount", "currency", "order_id")
    end
  from orphans
),
inserted as (
  insert into "reconciliation_mismatch"
    ("id", "run_id", "kind", "order_id", "payment_ids", "expected", "actual", "currency", "detail", "occurred_at")
  select md5(params.run_date || ':' || f.kind || ':' || f.subject)::uuid, params.run_id,
         f.kind::reconciliation_mismatch_kind, f.order_id, f.payment_ids, f.expected, f.actual,
         f."currency", f.detail, f.occurred_at
  from found f cross join params
  returning 1
)
select (select count(*) from per_order) as orders_checked,
       (select coalesce(sum(settled), 0) from per_order) + (select count(*) from orphans) as payments_checked,
       (select count(*) from inserted) as mismatches`;

export type ReconciliationReport = {
  run: ReconciliationRun | null;
  mismatches: Page<Row<ReconciliationMismatch>>;
};

export const reconciliationService = {
  /**
   * Reconciles one business date and replaces whatever an earlier run of it
   * recorded, in one transaction: the upsert of the run row locks it, so two
   * runs of a date take turns and a report never shows half of either.
   */
  async run(em: EntityManager, date: string, now = new Date()): Promise<ReconciliationRun> {
    const day = parseBusinessDate(date, now);
    const startedAt = new Date();
    const runId = await em.transactional(async (tx) => {
      const [run] = await tx.execute<{ id: string }[]>(
        `insert into "reconciliation_run" ("id", "date", "started_at", "finished_at", "orders_checked", "payments_checked", "mismatches")
         values (?, ?, ?, ?, 0, 0, 0)
         on conflict ("date") do update set "started_at" = excluded."started_at"
         returning "id"`,
        [randomUUID(), day.date, startedAt, startedAt],
      );
      const id = run!.id;
      await tx.execute(`delete from "reconciliation_mismatch" where "run_id" = ?`, [id]);
      const [counts] = await tx.execute<
        { orders_checked: string; payments_checked: string; mismatches: string }[]
      >(RECONCILE_SQL, [id, day.date, day.from, day.to]);
      await tx.execute(
        `update "reconciliation_run"
         set "finished_at" = ?, "orders_checked" = ?, "payments_checked" = ?, "mismatches" = ?
         where "id" = ?`,
        [
          new Date(),
          Number(counts!.orders_checked),
          Number(counts!.payments_checked),
          Number(counts!.mismatches),
          id,
        ],
      );
      return id;
    });
    return em.fork().findOneOrFail(ReconciliationRun, runId);
  },

  /** The run of a date (null if it was never run) and its mismatches, oldest first. */
  async report(
    { em }: RequestScope,
    date: string,
    filter: { kinds?: ReconciliationMismatchKind[] | null },
    page: PageRequest,
  ): Promise<ReconciliationReport> {
    const day = parseBusinessDate(date);
    const run = await em.findOne(ReconciliationRun, { date: day.date });
    if (!run || (filter.kinds && filter.kinds.length === 0)) {
      return { run, mismatches: emptyPage(page) };
    }
    const where: FilterQuery<ReconciliationMismatch> = filter.kinds
      ? { run: run.id, kind: { $in: filter.kinds } }
      : { run: run.id };
    return {
      run,
      mismatches: await keysetPage(em, ReconciliationMismatch, where, page, {
        field: 'occurredAt',
        direction: 'ASC',
      }),
    };
  },
};
