import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Channel, Customer, CustomerLabel, Order, Ticket, type Payment } from '../../entities';
import {
  OrderStatus,
  PaymentStatus,
  Role,
  TicketAutomationRule,
  TicketResult,
  TicketSource,
  TicketStatus,
  TicketTarget,
} from '../../entities/enums';
import { realRevenueSql } from '../customers/customer-revenue';
import { parseBusinessDate } from '../orders/reconciliation.service';
import { DomainError } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { TOPICS, type TicketChangedEvent } from '../../kernel/topics';
import type { EventBus } from '../../realtime/event-bus';
import { phoneDigits, startOfBusinessDay, ticketKeywords } from './ticket-filter';

/**
 * The rules that create tickets by themselves. Each has an idempotency key
 * stored in ticket.origin_key (unique): re-running a rule, or a redelivered
 * event, finds the key taken and creates nothing.
 *
 * | source | trigger                                        | origin key                     |
 * | 3      | ticket completed with a follow-up result       | follow-up:<ticket id>          |
 * | 4      | order DELIVERED/COMPLETED, or a payment PAID   | after-sale:<order id>          |
 * |        | (a payment without an order)                   | after-sale:payment:<payment id>|
 * | 7      | ticket completed with WRONG_NUMBER             | verify-contact:<ticket id>     |
 * | 8      | daily 07:00, birthday today, revenue >= 1M VND | birthday:<customer id>:<year>  |
 */

/** Results that call for another try, and after how many days (due 09:00 business time). */
export const FOLLOW_UP_AFTER_DAYS: Partial<Record<TicketResult, number>> = {
  [TicketResult.CALL_LATER]: 1,
  [TicketResult.MISSED_CALL]: 1,
  [TicketResult.TURN_OFF]: 1,
  [TicketResult.NOT_AVAILABLE_CALL]: 1,
  [TicketResult.HOLD_POTENTIAL_APPOINTMENT]: 3,
};

export const WRONG_CONTACT_LABEL = 'WRONG_CONTACT';
export const BIRTHDAY_MIN_REVENUE_VND = 1_000_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** 09:00 in Asia/Ho_Chi_Minh, `days` business days after `from`. */
export function followUpDue(from: Date, days: number): Date {
  return new Date(startOfBusinessDay(from).getTime() + days * DAY_MS + 9 * HOUR_MS);
}

type AutomaticTicket = {
  originKey: string;
  source: TicketSource;
  /** Without the customer's name: readers append it (see ticket-title.ts). */
  title: string;
  customer: Customer;
  branchId: string;
  target: TicketTarget;
  dueAt?: Date;
  assigneeId?: string;
  inChargeId?: string;
  rootTicketId?: string;
};

/** INSERT ... ON CONFLICT (origin_key) DO NOTHING: safe under concurrent instances. */
async function insertOnce(em: EntityManager, spec: AutomaticTicket): Promise<Ticket | null> {
  const now = new Date();
  const id = randomUUID();
  const rows = await em.execute<{ id: string }[]>(
    `insert into "ticket" ("id", "title", "assignee_id", "in_charge_id", "target", "belong_to", "branch_id",
       "customer_id", "source", "status", "due_at", "is_missed", "keywords", "phone_digits", "root_ticket_id", "origin_key",
       "title_names_customer", "version", "created_at", "updated_at")
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?, ?, ?, ?, true, 1, ?, ?)
     on conflict ("origin_key") do nothing
     returning "id"`,
    [
      id,
      spec.title,
      spec.assigneeId ?? null,
      spec.inChargeId ?? null,
      spec.target,
      spec.target,
      spec.branchId,
      spec.customer.id,
      spec.source,
      spec.assigneeId ? TicketStatus.ASSIGNED : TicketStatus.NEW,
      spec.dueAt ?? null,
      ticketKeywords(spec.title, spec.customer),
      phoneDigits(spec.customer.phone),
      spec.rootTicketId ?? null,
      spec.originKey,
      now,
      now,
    ],
  );
  if (rows.length === 0) return null;
  // The system is the actor: the same history a person's creation leaves.
  const status = spec.assigneeId ? TicketStatus.ASSIGNED : TicketStatus.NEW;
  const history: [string, string][] = [['status', JSON.stringify(status)]];
  if (spec.assigneeId) history.push(['assignee', JSON.stringify(spec.assigneeId)]);
  for (const [field, after] of history) {
    await em.execute(
      `insert into "ticket_history" ("id", "ticket_id", "actor_id", "field", "before", "after", "created_at")
       values (?, ?, null, ?, null, ?, ?)`,
      [randomUUID(), id, field, after, now],
    );
  }
  return em.findOneOrFail(Ticket, id);
}

/** Source 3 and source 7, in the completing transaction. */
export async function afterCompletion(em: EntityManager, ticket: Ticket): Promise<Ticket[]> {
  const created: Ticket[] = [];
  const customer = await em.findOneOrFail(Customer, ticket.customer.id);
  const result = ticket.result;
  const days = result ? FOLLOW_UP_AFTER_DAYS[result] : undefined;
  // Whatever a completion spawns stays with its customer and branch, in its ticket's chain.
  const lineage = {
    customer,
    branchId: ticket.branch.id,
    rootTicketId: ticket.rootTicket?.id ?? ticket.id,
  };
  if (days !== undefined) {
    const next = await insertOnce(em, {
      ...lineage,
      originKey: `follow-up:${ticket.id}`,
      source: TicketSource.FOLLOW_UP,
      title: 'Gọi lại / follow up',
      target: ticket.target,
      dueAt: followUpDue(ticket.completedAt ?? new Date(), days),
      assigneeId: ticket.assignee?.id,
      inChargeId: ticket.inCharge?.id,
    });
    if (next) created.push(next);
  }
  if (result === TicketResult.WRONG_NUMBER) {
    await labelWrongContact(em, customer);
    const verify = await insertOnce(em, {
      ...lineage,
      originKey: `verify-contact:${ticket.id}`,
      source: TicketSource.CONTACT_VERIFICATION,
      title: 'Xác minh số điện thoại / verify contact',
      target: TicketTarget.CUSTOMER_SERVICE,
      dueAt: followUpDue(new Date(), 1),
    });
    if (verify) created.push(verify);
  }
  return created;
}

async function labelWrongContact(em: EntityManager, customer: Customer): Promise<void> {
  await em.execute(
    `insert into "customer_label" ("id", "code", "name", "color", "created_at")
     values (?, ?, 'Sai thông tin liên hệ / wrong contact', '#c62828', ?)
     on conflict ("code") do nothing`,
    [randomUUID(), WRONG_CONTACT_LABEL, new Date()],
  );
  const label = await em.findOneOrFail(CustomerLabel, { code: WRONG_CONTACT_LABEL });
  await em.execute(
    `insert into "customer_label_link" ("customer_id", "customer_label_id") values (?, ?) on conflict do nothing`,
    [customer.id, label.id],
  );
}

async function afterSaleTicket(
  em: EntityManager,
  customerId: string,
  originKey: string,
  channelBranchId?: string,
): Promise<Ticket | null> {
  const customer = await em.findOne(Customer, customerId);
  const branchId = customer?.branch?.id ?? channelBranchId;
  if (!customer || !branchId) return null;
  return insertOnce(em, {
    originKey,
    source: TicketSource.AFTER_SALE_CARE,
    title: 'Chăm sóc sau mua / after-sale care',
    customer,
    branchId,
    target: TicketTarget.CUSTOMER_SERVICE,
    dueAt: followUpDue(new Date(), 2),
  });
}

/** Source 4 from an order: once per order, whichever milestone comes first. */
export async function afterOrderMilestone(em: EntityManager, order: Order): Promise<Ticket | null> {
  if (order.status !== OrderStatus.DELIVERED && order.status !== OrderStatus.COMPLETED) return null;
  if (!order.customer) return null;
  const channel = await em.findOne(Channel, order.channel.id);
  const branchId = channel?.branch?.id;
  return afterSaleTicket(em, order.customer.id, `after-sale:${order.id}`, branchId);
}

/** Source 4 from a payment: shares the order's key, so an order gets one care ticket. */
export async function afterPayment(em: EntityManager, payment: Payment): Promise<Ticket | null> {
  if (payment.status !== PaymentStatus.PAID || !payment.customer) return null;
  if (!payment.order) {
    return afterSaleTicket(em, payment.customer.id, `after-sale:payment:${payment.id}`);
  }
  // As for the order's own milestone: a customer without a branch is cared for by the shop's.
  const order = await em.findOneOrFail(Order, payment.order.id, { populate: ['channel'] });
  const branchId = order.channel.getEntity().branch?.id;
  return afterSaleTicket(em, payment.customer.id, `after-sale:${order.id}`, branchId);
}

/**
 * Source 8: a birthday ticket for every customer born on this business day
 * whose real revenue (completed orders, plus paid payments not already
 * counted through a completed order) reaches the threshold. Feb 29 birthdays
 * are celebrated on Feb 28 in other years. Returns the new tickets' ids.
 */
export async function createBirthdayTickets(
  em: EntityManager,
  now = new Date(),
): Promise<string[]> {
  const local = new Date(startOfBusinessDay(now).getTime() + 7 * HOUR_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  const alsoFeb29 = !leap && month === 2 && day === 28;
  const candidates = await em.execute<{ id: string }[]>(
    `select c.id
     from customer c
     where c.birthday is not null and c.branch_id is not null
       -- a merged tombstone keeps its birthday for an un-merge: its survivor is the person
       and c.merged_into_id is null
       and ((extract(month from c.birthday) = ? and extract(day from c.birthday) = ?)
            or (? and extract(month from c.birthday) = 2 and extract(day from c.birthday) = 29))
       and ${realRevenueSql('c.id')} >= ?`,
    [month, day, alsoFeb29, BIRTHDAY_MIN_REVENUE_VND],
  );
  const created: string[] = [];
  for (const { id } of candidates) {
    const customer = await em.findOneOrFail(Customer, id);
    const ticket = await insertOnce(em, {
      originKey: `birthday:${customer.id}:${year}`,
      source: TicketSource.BIRTHDAY,
      title: 'Chúc mừng sinh nhật / birthday',
      customer,
      branchId: customer.branch!.id,
      target: TicketTarget.TELESALES,
      dueAt: followUpDue(now, 0),
    });
    if (ticket) created.push(ticket.id);
  }
  return created;
}

/** After commit: the tickets a rule created reach their viewers' ticketChanged. */
export function publishTicketsCreated(bus: EventBus, ticketIds: readonly string[]): void {
  for (const ticketId of ticketIds) {
    bus.publish(TOPICS.ticketChanged, {
      ticketId,
      action: 'CREATED',
      changedFields: ['status'],
    } satisfies TicketChangedEvent);
  }
}

/**
 * Runs a dated rule for a business date now, as its schedule would have run
 * at 07:00 that day: a missed or failed run, or a date being checked. The
 * origin keys make it idempotent: a second run (or the schedule's) creates
 * nothing. One transaction; returns the tickets it created.
 */
export async function runTicketAutomation(
  { em, viewer }: RequestScope,
  bus: EventBus,
  rule: TicketAutomationRule,
  date: string,
): Promise<Ticket[]> {
  if (viewer?.kind !== 'user' || viewer.role !== Role.ADMIN) {
    throw new DomainError('FORBIDDEN', 'Only an Admin runs ticket rules by hand');
  }
  const day = parseBusinessDate(date);
  const scheduledAt = new Date(day.from.getTime() + 7 * HOUR_MS);
  const ids = await em.transactional(async (tx) => {
    switch (rule) {
      case TicketAutomationRule.BIRTHDAY:
        return createBirthdayTickets(tx, scheduledAt);
    }
  });
  publishTicketsCreated(bus, ids);
  return ids.length === 0
    ? []
    : em.find(Ticket, { id: { $in: ids } }, { orderBy: { createdAt: 'ASC', id: 'ASC' } });
}
