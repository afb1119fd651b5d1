import { assignableTicketScope, ticketScope, within } from '../auth/scopes';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AssignmentSetting, Ticket, TicketHistory, User } from '../entities';
import type { Viewer } from '../auth/viewer';
import { targetOf } from '../auth/viewer';
import type { EventBus } from '../realtime/event-bus';
import {
  TOPICS,
  type TicketChangedEvent,
  type TicketReminderEvent,
} from '../realtime/scoped-subscription';
import { TicketStatus, type TicketTarget } from '../entities/enums';
import { assertId, badInput, notFound } from './errors';
import { emptyPage, keysetPage, type Page, type PageRequest } from './keyset';
import type { RequestScope } from './request-scope';
import {
  buildTicketWhere,
  ticketSort,
  type TicketListFilter,
  type TicketSort,
} from './ticket-filter';

export const ticketService = {
  async list(
    { em, viewer }: RequestScope,
    filter: TicketListFilter,
    page: PageRequest,
    sort?: TicketSort | null,
  ): Promise<Page<Ticket>> {
    const where = within(ticketScope(viewer), buildTicketWhere(filter));
    if (!where) return emptyPage(page);
    return keysetPage(em, Ticket, where, page, ticketSort(sort));
  },

  /** Outside the viewer's scope is NOT_FOUND too: existence does not leak. */
  async get({ em, viewer }: RequestScope, id: string): Promise<Ticket> {
    const where = within(ticketScope(viewer), { id: assertId(id) });
    const ticket = where ? await em.findOne(Ticket, where) : null;
    if (!ticket) throw notFound('Ticket', id);
    return ticket;
  },
};

export type AssignTicketInput = {
  ticketId: string;
  assigneeId: string;
  inChargeId?: string | null;
};

async function teamMember(
  em: EntityManager,
  id: string,
  field: string,
  target: TicketTarget,
): Promise<User> {
  const user = await em.findOne(User, { id: assertId(id, field) });
  if (!user || !user.active) throw badInput(`${field}: no active user ${id}`, field);
  if (targetOf(user.role) !== target) {
    throw badInput(`${field}: ${user.email} is not in the ${target} team of this ticket`, field);
  }
  return user;
}

export const ticketAssignment = {
  /**
   * Gives a ticket an owner (and optionally a curator): new -> assigned, or
   * a reassignment. History rows are written in the same transaction; the
   * change is published after commit.
   */
  async assign(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: AssignTicketInput,
  ): Promise<Ticket> {
    const where = within(assignableTicketScope(viewer), {
      id: assertId(input.ticketId, 'ticketId'),
    });
    let changedFields: string[] = [];
    const ticket = await em.transactional(async (tx) => {
      const found = where ? await tx.findOne(Ticket, where) : null;
      if (!found) throw notFound('Ticket', input.ticketId);
      if (found.status !== TicketStatus.NEW && found.status !== TicketStatus.ASSIGNED) {
        throw badInput(`A ${found.status} ticket cannot be assigned`, 'ticketId');
      }
      const assignee = await teamMember(tx, input.assigneeId, 'assigneeId', found.target);
      const setting = await tx.findOne(AssignmentSetting, { branch: found.branch, user: assignee });
      if (setting && !setting.active) {
        throw badInput(
          `assigneeId: ${assignee.email} does not receive tickets in this branch`,
          'assigneeId',
        );
      }
      const inCharge = input.inChargeId
        ? await teamMember(tx, input.inChargeId, 'inChargeId', found.target)
        : undefined;
      const changes: [string, unknown, unknown][] = [];
      const record = (field: string, before: unknown, after: unknown) => {
        if (before !== after) changes.push([field, before ?? null, after ?? null]);
      };
      record('assignee', found.assignee?.id, assignee.id);
      found.assignee = tx.getReference(User, assignee.id, { wrapped: true });
      if (inCharge) {
        record('inCharge', found.inCharge?.id, inCharge.id);
        found.inCharge = tx.getReference(User, inCharge.id, { wrapped: true });
      }
      record('status', found.status, TicketStatus.ASSIGNED);
      found.status = TicketStatus.ASSIGNED;
      changedFields = changes.map(([field]) => field);
      for (const [field, before, after] of changes) {
        tx.create(TicketHistory, {
          ticket: found,
          actor: actorId(viewer),
          field,
          before,
          after,
        });
      }
      return found;
    });
    bus.publish(TOPICS.ticketChanged, {
      ticketId: ticket.id,
      action: 'ASSIGNED',
      changedFields: changedFields,
    } satisfies TicketChangedEvent);
    return ticket;
  },
};

const actorId = (viewer: Viewer | null): string | undefined =>
  viewer?.kind === 'user' ? viewer.id : undefined;

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
