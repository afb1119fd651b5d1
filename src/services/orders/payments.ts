/**
 * Payments: recorded by staff or a payment gateway's relay (`recordPayment`),
 * or learned from a marketplace saying an order is paid. Both are idempotent
 * on (source, external id), and a PAID payment of a customer opens the
 * after-sale care ticket (source 4) once: it shares the order's origin key
 * with the delivered milestone, so an order gets one care ticket whichever
 * comes first (ticket-automation.ts).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, Order, Payment, Ticket } from '../../entities';
import { OrderStatus, PaymentSource, Platform } from '../../entities/enums';
import { RANK } from './order-lattice';
import type { EventBus } from '../../realtime/event-bus';
import { assertId, badInput, DomainError } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { MAX_LENGTH, requiredText } from '../../kernel/text-limits';
import { afterPayment, publishTicketsCreated } from '../tickets/ticket-automation';

/**
 * Which applied order statuses prove a marketplace order was paid (platforms.md 9.2):
 * - Tiki names it: its raw `paid` status.
 * - Lazada, Shopee and TikTok Shop hold an order paid online in their unpaid
 *   status (normalized PENDING_PAYMENT) until the payment clears, and a COD
 *   order never waits there: an order seen PENDING_PAYMENT that later moved
 *   on the main chain was paid at that move.
 * - Sendo: its pushes as read here carry no payment status; its payments come
 *   through recordPayment.
 * A COD order is paid on delivery, which opens the same care ticket through
 * the delivered milestone.
 */
const PAID_RAW_STATUS: Partial<Record<Platform, string>> = { [Platform.TIKI]: 'paid' };
const PAID_AFTER_UNPAID: readonly Platform[] = [Platform.LAZADA, Platform.SHOPEE, Platform.TIKTOK];
/** The main chain past payment, from the lattice's ranks. */
const PAST_PAYMENT: readonly OrderStatus[] = (Object.entries(RANK) as [OrderStatus, number][])
  .filter(([, rank]) => rank > RANK[OrderStatus.PENDING_PAYMENT]!)
  .map(([status]) => status);

const MARKETPLACE_METHOD = 'MARKETPLACE';

/**
 * Whether one applied status change is the moment a marketplace order was
 * paid (the rule above), for an apply path that must hand such a change to
 * the transaction that records it.
 */
export function paidByChange(
  platform: string,
  before: OrderStatus | null,
  after: OrderStatus,
  rawStatus: string,
): boolean {
  if (PAID_RAW_STATUS[platform as Platform] === rawStatus) return true;
  return (
    (PAID_AFTER_UNPAID as readonly string[]).includes(platform) &&
    before === OrderStatus.PENDING_PAYMENT &&
    PAST_PAYMENT.includes(after)
  );
}

export function marketplacePaymentId(order: {
  platform: string;
  shopId: string;
  externalId: string;
}): string {
  return `${order.platform}:${order.shopId}:${order.externalId}`;
}

/**
 * For the orders just applied (after their status history is written, in the
 * same transaction): records the payment of each one whose history proves it
 * paid, keeps an existing one's amount, currency and customer in step with the
 * order (a push comes before the order's detail), and opens the after-sale
 * ticket of each payment whose customer is known. Safe to call for any order,
 * any number of times; returns the tickets it created.
 */
export async function settleMarketplacePayments(
  em: EntityManager,
  orderIds: readonly string[],
): Promise<Ticket[]> {
  if (orderIds.length === 0) return [];
  const tikiPaid = PAID_RAW_STATUS[Platform.TIKI]!;
  const paid = await em.execute<{ id: string; paid_at: Date }[]>(
    `select o."id",
            (select min(e."event_time") from "order_status_event" e
              where e."order_id" = o."id" and e."applied"
                and ((o."platform" = ? and e."raw_status" = ?)
                     or (o."platform" in (?, ?, ?) and e."status" in (${PAST_PAYMENT.map(() => '?').join(', ')})))) as "paid_at"
     from "customer_order" o
     where o."id" in (${orderIds.map(() => '?').join(', ')})
       and ((o."platform" = ? and exists (select 1 from "order_status_event" e
              where e."order_id" = o."id" and e."applied" and e."raw_status" = ?))
         or (o."platform" in (?, ?, ?)
             and exists (select 1 from "order_status_event" e
               where e."order_id" = o."id" and e."applied" and e."status" = ?)
             and exists (select 1 from "order_status_event" e
               where e."order_id" = o."id" and e."applied" and e."status" in (${PAST_PAYMENT.map(() => '?').join(', ')})))) `,
    [
      Platform.TIKI,
      tikiPaid,
      ...PAID_AFTER_UNPAID,
      ...PAST_PAYMENT,
      ...orderIds,
      Platform.TIKI,
      tikiPaid,
      ...PAID_AFTER_UNPAID,
      OrderStatus.PENDING_PAYMENT,
      ...PAST_PAYMENT,
    ],
  );
  const created: Ticket[] = [];
  for (const row of paid) {
    const order = await em.findOneOrFail(Order, row.id);
    await em.execute(
      `insert into "payment" ("id", "order_id", "customer_id", "method", "amount", "currency", "status",
         "paid_at", "created_at", "source", "external_id")
       values (?, ?, ?, ?, ?, ?, 'PAID', ?, now(), 'MARKETPLACE', ?)
       on conflict ("source", "external_id") do update
         set "amount" = excluded."amount", "currency" = excluded."currency",
             "customer_id" = coalesce("payment"."customer_id", excluded."customer_id")
         where "payment"."status" = 'PAID'`,
      [
        randomUUID(),
        order.id,
        order.customer?.id ?? null,
        MARKETPLACE_METHOD,
        order.total,
        order.currency,
        row.paid_at,
        marketplacePaymentId(order),
      ],
    );
    const payment = await em.findOneOrFail(
      Payment,
      { source: PaymentSource.MARKETPLACE, externalId: marketplacePaymentId(order) },
      { refresh: true },
    );
    const ticket = await afterPayment(em, payment);
    if (ticket) created.push(ticket);
  }
  return created;
}

export type RecordPaymentInput = {
  externalId: string;
  customerId?: string | null;
  orderId?: string | null;
  amount: number;
  currency?: string | null;
  method: string;
  paidAt?: Date | null;
};

export type RecordPaymentResult = {
  payment: Payment;
  /** false when this external id was already recorded: the call changed nothing. */
  created: boolean;
  /** The after-sale care ticket this payment opened (now or when first recorded), if it did. */
  afterSaleTicket: Ticket | null;
};

const CURRENCY = /^[A-Z]{3}$/;

/** The fields that make two recordings of one external id the same payment. */
const sameness = (p: {
  amount: number;
  currency: string;
  customerId: string | null;
  orderId: string | null;
}): string => JSON.stringify([p.amount, p.currency, p.customerId, p.orderId]);

async function resolvePayer(
  em: EntityManager,
  input: RecordPaymentInput,
): Promise<{ customer: Customer; order: Order | null }> {
  const order = input.orderId
    ? await em.findOne(Order, { id: assertId(input.orderId, 'orderId') })
    : null;
  if (input.orderId && !order) throw badInput(`orderId: no order ${input.orderId}`, 'orderId');
  const customerId = input.customerId
    ? assertId(input.customerId, 'customerId')
    : order?.customer?.id;
  if (!customerId) {
    throw badInput(
      'customerId: name the paying customer (the order has no customer linked yet)',
      'customerId',
    );
  }
  const found = await em.findOne(Customer, customerId);
  // A merged customer's old id pays on the survivor, as tickets do.
  const customer = found?.mergedInto ? await em.findOne(Customer, found.mergedInto.id) : found;
  if (!customer) throw badInput(`customerId: no customer ${customerId}`, 'customerId');
  if (customer.erasedAt) throw badInput('customerId: this customer was erased', 'customerId');
  if (order?.customer && order.customer.id !== customer.id) {
    throw badInput(
      `customerId: order ${order.id} belongs to another customer (${order.customer.id})`,
      'customerId',
    );
  }
  return { customer, order };
}

async function afterSaleTicketOf(em: EntityManager, payment: Payment): Promise<Ticket | null> {
  const key = payment.order ? `after-sale:${payment.order.id}` : `after-sale:payment:${payment.id}`;
  return em.findOne(Ticket, { originKey: key });
}

export const paymentService = {
  /**
   * A PAID payment, idempotent on `externalId`: the same id again returns the
   * first recording and changes nothing; the same id with another amount,
   * currency, customer or order is CONFLICT (one id cannot be two payments).
   */
  async record(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: RecordPaymentInput,
  ): Promise<RecordPaymentResult> {
    if (viewer?.kind !== 'user') throw new DomainError('FORBIDDEN', 'Your role may not do this');
    const externalId = requiredText(input.externalId, MAX_LENGTH.externalId, 'externalId');
    const method = requiredText(input.method, MAX_LENGTH.paymentMethod, 'method').toUpperCase();
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
      throw badInput('amount: a positive whole number of minor units (VND has none)', 'amount');
    }
    const currency = (input.currency ?? 'VND').trim().toUpperCase();
    if (!CURRENCY.test(currency))
      throw badInput('currency: an ISO 4217 code such as VND', 'currency');
    const paidAt = input.paidAt ?? new Date();
    if (paidAt.getTime() > Date.now() + 60_000) {
      throw badInput('paidAt: must not be in the future', 'paidAt');
    }

    const outcome = await em.transactional(async (tx) => {
      const { customer, order } = await resolvePayer(tx, input);
      const wanted = sameness({
        amount: input.amount,
        currency,
        customerId: customer.id,
        orderId: order?.id ?? null,
      });
      const inserted = await tx.execute<{ id: string }[]>(
        `insert into "payment" ("id", "order_id", "customer_id", "method", "amount", "currency", "status",
           "paid_at", "created_at", "source", "external_id")
         values (?, ?, ?, ?, ?, ?, 'PAID', ?, now(), 'API', ?)
         on conflict ("source", "external_id") do nothing
         returning "id"`,
        [
          randomUUID(),
          order?.id ?? null,
          customer.id,
          method,
          input.amount,
          currency,
          paidAt,
          externalId,
        ],
      );
      const payment = await tx.findOneOrFail(Payment, {
        source: PaymentSource.API,
        externalId,
      });
      if (inserted.length === 0) {
        const stored = sameness({
          amount: payment.amount,
          currency: payment.currency,
          customerId: payment.customer?.id ?? null,
          orderId: payment.order?.id ?? null,
        });
        if (stored !== wanted) {
          throw new DomainError(
            'CONFLICT',
            `externalId ${externalId} was already recorded as another payment (amount, currency, customer or order differ)`,
            { paymentId: payment.id },
          );
        }
        return {
          payment,
          created: false,
          ticket: await afterSaleTicketOf(tx, payment),
          fresh: null,
        };
      }
      const fresh = await afterPayment(tx, payment);
      return {
        payment,
        created: true,
        ticket: fresh ?? (await afterSaleTicketOf(tx, payment)),
        fresh,
      };
    });
    if (outcome.fresh) publishTicketsCreated(bus, [outcome.fresh.id]);
    return { payment: outcome.payment, created: outcome.created, afterSaleTicket: outcome.ticket };
  },
};
