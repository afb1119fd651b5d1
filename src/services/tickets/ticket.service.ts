import { ticketScope, within } from '../../auth/scopes';
import { findRows, type Row } from '../shared/rows';
import { joinsFor, type Loaders } from '../shared/loaders';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ticket } from '../../entities';
import type { TicketChangedEvent, TicketReminderEvent } from '../../kernel/topics';
import { assertId, notFound } from '../../kernel/errors';
import {
  emptyPage,
  keysetPage,
  NOTHING_ASKED,
  type Page,
  type PageRequest,
  type PageSelection,
} from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';
import {
  buildTicketWhere,
  ticketSort,
  type TicketListFilter,
  type TicketSort,
} from './ticket-filter';

export const ticketService = {
  /** `asked`: what the client wants, whose relations and count the page statement reads. */
  async list(
    { em, viewer, loaders }: RequestScope & { loaders: Loaders },
    filter: TicketListFilter,
    page: PageRequest,
    sort?: TicketSort | null,
    asked: PageSelection = NOTHING_ASKED,
  ): Promise<Page<Row<Ticket>>> {
    const where = within(ticketScope(viewer), buildTicketWhere(filter));
    if (!where) return emptyPage(page);
    const joins = joinsFor(asked, [
      // A title written after the customer shows the customer's current name.
      [['customer', 'title'], loaders.customer.joinAs('customer')],
      [['assignee'], loaders.user.joinAs('assignee')],
      [['inCharge'], loaders.user.joinAs('inCharge')],
      [['branch'], loaders.branch.joinAs('branch')],
    ]);
    const authorJoin = joinsFor(asked, [[['latestNote.author'], loaders.user.joinAs('author')]]);
    const newest = asked.fields.has('latestNote')
      ? [loaders.ticketNotes.joinNewest(authorJoin)].filter((join) => join !== null)
      : [];
    return keysetPage(em, Ticket, where, page, ticketSort(sort), {
      joins,
      newest,
      totalCount: asked.totalCount,
    });
  },

  /**
   * One ticket as a row. Its relations come from the loaders, not joins: for
   * a single row the joins cost PostgreSQL more planning than the loaders'
   * statements they would save (docs/benchmarks.md, "After the page joins").
   * Outside the viewer's scope is NOT_FOUND too: existence does not leak.
   */
  async get({ em, viewer }: RequestScope, id: string): Promise<Row<Ticket>> {
    const where = within(ticketScope(viewer), { id: assertId(id) });
    const [ticket] = where ? await findRows(em, Ticket, where, { limit: 1 }) : [];
    if (!ticket) throw notFound('Ticket', id);
    return ticket;
  },
};

/** The change an event announces, with its ticket, unscoped: subscriptions check visibility per viewer. */
export async function ticketChangeOfEvent(
  em: EntityManager,
  event: TicketChangedEvent,
): Promise<{ ticket: Ticket; action: string; changedFields: string[] } | null> {
  const ticket = await em.findOne(Ticket, { id: event.ticketId });
  return ticket ? { ticket, action: event.action, changedFields: event.changedFields } : null;
}

/** The reminder an event announces, with its ticket; only the owner will get it. */
export async function ticketReminderOfEvent(
  em: EntityManager,
  event: TicketReminderEvent,
): Promise<{ ticket: Ticket; dueAt: Date; assigneeId: string } | null> {
  const ticket = await em.findOne(Ticket, { id: event.ticketId });
  return ticket ? { ticket, dueAt: new Date(event.dueAt), assigneeId: event.assigneeId } : null;
}
