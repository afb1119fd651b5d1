import type { Row } from '../shared/rows';
/**
 * The customer detail page (BR-CRM customer workspace): each tab a keyset
 * page within the viewer's scope for that kind of row, so a staff user sees
 * only their own tickets inside a customer's tickets tab, IT no
 * conversations, and so on. Built for one customer at a time (the detail
 * view); lists of customers use the batched loaders instead.
 */
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { placeholders } from '../../db/raw-sql';
import {
  conversationScope,
  customerScope,
  orderScope,
  ticketScope,
  within,
  type Scope,
} from '../../auth/scopes';
import type { Viewer } from '../../auth/viewer';
import {
  Conversation,
  type Customer,
  CustomerLabel,
  CustomerNote,
  Order,
  Payment,
  Ticket,
} from '../../entities';
import type { ActivityKind } from '../../entities/enums';
import type { EventBus } from '../../realtime/event-bus';
import { customerService, publishCustomerChanged } from './customer.service';
import { assertId, assertIds, badInput } from '../../kernel/errors';
import {
  decodeCursor,
  emptyPage,
  encodeCursor,
  keysetPage,
  pageOfNodes,
  pageSize,
  type Page,
  type PageRequest,
} from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';
import { MAX_LENGTH, requiredText } from '../../kernel/text-limits';
import { actingUserId } from '../shared/actor';

export type ActivityEntry = {
  id: string;
  kind: ActivityKind;
  at: Date;
  summary: string;
  ticketId: string | null;
  orderId: string | null;
  conversationId: string | null;
};

/** Payments follow the orders rule: a viewer who may see the customer's orders sees their payments. */
function paymentScope(viewer: Viewer | null): Scope<Payment> {
  return viewer?.kind === 'user' ? {} : null;
}

async function scopedPage<T extends { id: string }>(
  em: EntityManager,
  entity: new () => T,
  scope: Scope<T>,
  where: FilterQuery<T>,
  page: PageRequest,
  field: keyof T & string,
): Promise<Page<Row<T>>> {
  const scoped = within(scope, where);
  if (!scoped) return emptyPage(page);
  return keysetPage(em, entity, scoped, page, { field, direction: 'DESC' });
}

async function visibleIds<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  scope: Scope<T>,
  where: FilterQuery<T>,
): Promise<string[]> {
  const scoped = within(scope, where);
  if (!scoped) return [];
  const rows = await em.find(entity, scoped, { fields: ['id'] as never });
  return rows.map((row) => row.id);
}

const ACTIVITY_KEY = 'activity:DESC';
const inList = (ids: string[]): string => (ids.length ? placeholders(ids) : 'null');

export const customerWorkspace = {
  notes: ({ em, viewer }: RequestScope, customerId: string, page: PageRequest) =>
    scopedPage(
      em,
      CustomerNote,
      customerScope(viewer) as Scope<CustomerNote>,
      { customer: customerId },
      page,
      'createdAt',
    ),

  orders: ({ em, viewer }: RequestScope, customerId: string, page: PageRequest) =>
    scopedPage(em, Order, orderScope(viewer), { customer: customerId }, page, 'placedAt'),

  tickets: ({ em, viewer }: RequestScope, customerId: string, page: PageRequest) =>
    scopedPage(em, Ticket, ticketScope(viewer), { customer: customerId }, page, 'createdAt'),

  conversations: ({ em, viewer }: RequestScope, customerId: string, page: PageRequest) =>
    scopedPage(
      em,
      Conversation,
      conversationScope(viewer),
      { customer: customerId },
      page,
      'updatedAt',
    ),

  payments: ({ em, viewer }: RequestScope, customerId: string, page: PageRequest) =>
    scopedPage(em, Payment, paymentScope(viewer), { customer: customerId }, page, 'createdAt'),

  /**
   * One time-ordered feed (newest first) of customer notes, ticket changes,
   * applied order status changes and messages, each part within the viewer's
   * scope for its kind of row. Calls and appointments join here once they exist.
   */
  async activity(
    { em, viewer }: RequestScope,
    customerId: string,
    page: PageRequest,
  ): Promise<Page<ActivityEntry>> {
    const size = pageSize(page.first);
    if (!customerScope(viewer)) return emptyPage(page);
    const [tickets, orders, conversations] = await Promise.all([
      visibleIds(em, Ticket, ticketScope(viewer), { customer: customerId }),
      visibleIds(em, Order, orderScope(viewer), { customer: customerId }),
      visibleIds(em, Conversation, conversationScope(viewer), { customer: customerId }),
    ]);
    const cursor = page.after ? decodeCursor(page.after, ACTIVITY_KEY) : null;
    const rows = await em.execute<
      {
        id: string;
        kind: ActivityKind;
        at: Date;
        summary: string;
        ticket_id: string | null;
        order_id: string | null;
        conversation_id: string | null;
      }[]
    >(
      `select * from (
         select n."id", 'NOTE' as "kind", n."created_at" as "at", n."body" as "summary",
                null::uuid as "ticket_id", null::uuid as "order_id", null::uuid as "conversation_id"
         from "customer_note" n where n."customer_id" = ?
         union all
         select h."id", 'TICKET_CHANGE', h."created_at", h."field" || ': ' || coalesce(h."after"::text, ''),
                h."ticket_id", null, null
         from "ticket_history" h where h."ticket_id" in (${inList(tickets)})
         union all
         select e."id", 'ORDER_STATUS', e."event_time", coalesce(e."status"::text, e."raw_status"),
                null, e."order_id", null
         from "order_status_event" e where e."applied" and e."order_id" in (${inList(orders)})
         union all
         select m."id", 'MESSAGE', m."sent_at", m."body", null, null, m."conversation_id"
         from "message" m where m."conversation_id" in (${inList(conversations)})
       ) a
       ${cursor?.value ? 'where ("at", "id") < (?, ?)' : ''}
       order by "at" desc, "id" desc
       limit ?`,
      [
        customerId,
        ...tickets,
        ...orders,
        ...conversations,
        ...(cursor?.value ? [cursor.value, cursor.id] : []),
        size + 1,
      ],
    );
    const entries = rows.map((row): ActivityEntry => ({
      id: row.id,
      kind: row.kind,
      at: new Date(row.at),
      summary: row.summary,
      ticketId: row.ticket_id,
      orderId: row.order_id,
      conversationId: row.conversation_id,
    }));
    return pageOfNodes(
      entries,
      page,
      (node) => encodeCursor(ACTIVITY_KEY, node.at, node.id),
      async () => {
        const [count] = await em.execute<{ n: string }[]>(
          `select (select count(*) from "customer_note" where "customer_id" = ?)
                + (select count(*) from "ticket_history" where "ticket_id" in (${inList(tickets)}))
                + (select count(*) from "order_status_event" where "applied" and "order_id" in (${inList(orders)}))
                + (select count(*) from "message" where "conversation_id" in (${inList(conversations)})) as "n"`,
          [customerId, ...tickets, ...orders, ...conversations],
        );
        return Number(count?.n ?? 0);
      },
    );
  },

  async addNote(
    scope: RequestScope,
    bus: EventBus,
    customerIdRaw: string,
    bodyRaw: string,
  ): Promise<CustomerNote> {
    const body = requiredText(bodyRaw, MAX_LENGTH.longText, 'body');
    const customer = await liveCustomer(scope, customerIdRaw);
    const note = scope.em.create(CustomerNote, {
      customer: customer.id,
      body,
      author: actingUserId(scope.viewer),
    });
    await scope.em.flush();
    publishCustomerChanged(bus, customer.id, 'NOTE_ADDED');
    return note;
  },

  /** Replaces the customer's labels with exactly these. */
  async setLabels(
    scope: RequestScope,
    bus: EventBus,
    customerIdRaw: string,
    labelIdsRaw: string[],
  ): Promise<Customer> {
    const labelIds = [...new Set(assertIds(labelIdsRaw, 'labelIds') ?? [])];
    if (labelIds.length > 50) throw badInput('labelIds: at most 50', 'labelIds');
    const customer = await liveCustomer(scope, customerIdRaw);
    await scope.em.transactional(async (tx) => {
      const labels = await tx.find(CustomerLabel, { id: { $in: labelIds } });
      const missing = labelIds.filter((id) => !labels.some((label) => label.id === id));
      if (missing.length) throw badInput(`labelIds: no label ${missing.join(', ')}`, 'labelIds');
      await tx.execute('delete from "customer_label_link" where "customer_id" = ?', [customer.id]);
      if (labelIds.length) {
        await tx.execute(
          `insert into "customer_label_link" ("customer_id", "customer_label_id") values ${labelIds.map(() => '(?, ?)').join(', ')}`,
          labelIds.flatMap((id) => [customer.id, id]),
        );
      }
    });
    publishCustomerChanged(bus, customer.id, 'LABELS_SET');
    return customer;
  },
};

/** The live customer a workspace write names by `customerId`. */
async function liveCustomer(scope: RequestScope, idRaw: string): Promise<Customer> {
  assertId(idRaw, 'customerId');
  return customerService.getLive(scope, idRaw);
}
