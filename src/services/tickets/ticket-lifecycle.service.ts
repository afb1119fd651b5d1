import type { Row } from '../shared/rows';
import { OptimisticLockError, type EntityManager } from '@mikro-orm/postgresql';
import { assignableTicketScope, ticketScope, within } from '../../auth/scopes';
import { isLeader, isStaff, targetOf, type Viewer } from '../../auth/viewer';
import {
  AssignmentSetting,
  Branch,
  Customer,
  Ticket,
  TicketHistory,
  TicketNote,
  User,
} from '../../entities';
import {
  Role,
  type TicketResult,
  TicketSource,
  TicketStatus,
  type TicketTarget,
} from '../../entities/enums';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type TicketChangedEvent } from '../../kernel/topics';
import { assertId, badInput, DomainError, isId, notFound } from '../../kernel/errors';
import {
  keysetPage,
  NOTHING_ASKED,
  type Page,
  type PageRequest,
  type PageSelection,
} from '../shared/keyset';
import { joinsFor, type Loaders } from '../shared/loaders';
import { actingUserId } from '../shared/actor';
import type { RequestScope } from '../../kernel/request-scope';
import { afterCompletion } from './ticket-automation';
import { phoneDigits, ticketKeywords } from './ticket-filter';
import { MAX_LENGTH, assertMaxLength, requiredText } from '../../kernel/text-limits';

/** Sources a person may create through the API; 3, 4, 7 and 8 come from the system's rules. */
export const API_SOURCES = [
  TicketSource.NEW_CUSTOMER,
  TicketSource.COMPLAINT,
  TicketSource.CONVERSATION,
  TicketSource.MANUAL,
] as const;

export type TicketAction =
  'CREATED' | 'UPDATED' | 'ASSIGNED' | 'COMPLETED' | 'CANCELED' | 'REOPENED' | 'NOTE_ADDED';

export type CreateTicketInput = {
  customerId: string;
  title: string;
  description?: string | null;
  source: TicketSource;
  target?: TicketTarget | null;
  branchId: string;
  dueAt?: Date | null;
  assigneeId?: string | null;
  inChargeId?: string | null;
  rootTicketId?: string | null;
};

export type UpdateTicketInput = {
  title?: string | null;
  description?: string | null;
  dueAt?: Date | null;
  inChargeId?: string | null;
};

/**
 * The lifecycle (DESIGN "The four aggregates"): new -> assigned -> completed |
 * canceled, and canceled -> reopened (back to assigned, or new without an
 * owner). Each change names the statuses it may start from; one table, so the
 * schema descriptions and docs/tickets.md describe exactly this.
 */
export const TRANSITIONS = {
  edited: [TicketStatus.NEW, TicketStatus.ASSIGNED],
  assigned: [TicketStatus.NEW, TicketStatus.ASSIGNED],
  // A ticket nobody was given has been worked by nobody: it has no result yet.
  completed: [TicketStatus.ASSIGNED],
  canceled: [TicketStatus.NEW, TicketStatus.ASSIGNED],
  reopened: [TicketStatus.CANCELED],
} as const satisfies Record<string, readonly TicketStatus[]>;

function publish(
  bus: EventBus,
  ticketId: string,
  action: TicketAction,
  changedFields: string[],
): void {
  bus.publish(TOPICS.ticketChanged, {
    ticketId,
    action,
    changedFields,
  } satisfies TicketChangedEvent);
}

/** A field change for the history; equal values record nothing. */
type Change = [field: string, before: unknown, after: unknown];

const norm = (value: unknown): unknown =>
  value instanceof Date ? value.toISOString() : (value ?? null);

function writeHistory(
  em: EntityManager,
  ticket: Ticket,
  viewer: Viewer | null,
  changes: Change[],
): string[] {
  const fields: string[] = [];
  for (const [field, before, after] of changes) {
    if (norm(before) === norm(after)) continue;
    fields.push(field);
    em.create(TicketHistory, {
      ticket,
      actor: actingUserId(viewer),
      field,
      before: norm(before),
      after: norm(after),
    });
  }
  return fields;
}

async function findInScope(em: EntityManager, viewer: Viewer | null, id: string): Promise<Ticket> {
  const where = within(ticketScope(viewer), { id: assertId(id) });
  const ticket = where ? await em.findOne(Ticket, where, { populate: ['customer'] }) : null;
  if (!ticket) throw notFound('Ticket', id);
  return ticket;
}

function assertStatus(ticket: Ticket, action: keyof typeof TRANSITIONS): void {
  const allowed: readonly TicketStatus[] = TRANSITIONS[action];
  if (!allowed.includes(ticket.status)) {
    throw badInput(
      `A ${ticket.status} ticket cannot be ${action} (only ${allowed.join(' or ')} tickets can)`,
      'id',
    );
  }
}

/** Every change states the version it was made from, so no write overwrites one it never saw. */
function assertVersion(ticket: Ticket, version: number): void {
  if (version !== ticket.version) {
    throw new DomainError(
      'CONFLICT',
      `The ticket changed since you loaded it (version ${version}, now ${ticket.version}); reload and retry`,
      { currentVersion: ticket.version },
    );
  }
}

/**
 * The ticket a change is made to: within the viewer's scope, at the version
 * the caller saw, in a status the change may start from.
 */
async function findForChange(
  em: EntityManager,
  viewer: Viewer | null,
  ticket: { id: string; version: number },
  action: keyof typeof TRANSITIONS,
): Promise<Ticket> {
  const found = await findInScope(em, viewer, ticket.id);
  assertVersion(found, ticket.version);
  assertStatus(found, action);
  return found;
}

/** Runs a change in one transaction; a concurrent write that got there first is CONFLICT. */
async function inTransaction<T>(
  em: EntityManager,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  try {
    return await em.transactional(work);
  } catch (error) {
    if (error instanceof OptimisticLockError) {
      throw new DomainError(
        'CONFLICT',
        'The ticket was changed by someone else at the same time; reload and retry',
      );
    }
    throw error;
  }
}

async function activeTeamMember(
  em: EntityManager,
  id: string,
  field: string,
  target: TicketTarget,
): Promise<User> {
  const user = await em.findOne(User, { id: assertId(id, field) });
  if (!user || !user.active) throw badInput(`${field}: no active user ${id}`, field);
  if (targetOf(user.role) !== target) {
    throw badInput(`${field}: ${user.email} is not in the ${target} team`, field);
  }
  return user;
}

/**
 * Who owns a ticket a viewer creates: staff take their own tickets (or they
 * could not see them), leaders and admins may name an owner in the team.
 */
async function resolveOwner(
  em: EntityManager,
  viewer: Viewer,
  target: TicketTarget,
  assigneeId: string | null | undefined,
): Promise<User | undefined> {
  if (viewer.kind === 'user' && isStaff(viewer.role)) {
    if (assigneeId && assigneeId !== viewer.id) {
      throw new DomainError(
        'FORBIDDEN',
        'Only leaders assign tickets to someone else (BR-CRM-003)',
      );
    }
    return em.findOneOrFail(User, viewer.id);
  }
  return assigneeId ? activeTeamMember(em, assigneeId, 'assigneeId', target) : undefined;
}

function createTarget(viewer: Viewer, requested: TicketTarget | null | undefined): TicketTarget {
  if (viewer.kind !== 'user') throw new DomainError('FORBIDDEN', 'Your role may not do this');
  const own = targetOf(viewer.role);
  if (own) {
    if (requested && requested !== own) {
      throw new DomainError('FORBIDDEN', `Your team creates ${own} tickets only`);
    }
    return own;
  }
  if (viewer.role !== Role.ADMIN && viewer.role !== Role.BOD) {
    throw new DomainError('FORBIDDEN', 'Your role may not create tickets');
  }
  if (!requested) throw badInput('target is required', 'target');
  return requested;
}

export type RowError = { row: number; field: string; message: string };

/** Validates one creation and builds its ticket; throws BAD_USER_INPUT naming the field. */
async function buildTicket(
  em: EntityManager,
  viewer: Viewer,
  input: CreateTicketInput,
): Promise<{ ticket: Ticket; fields: string[] }> {
  if (!(API_SOURCES as readonly TicketSource[]).includes(input.source)) {
    throw badInput(`source: ${input.source} tickets are created by the system only`, 'source');
  }
  const title = requiredText(input.title, MAX_LENGTH.ticketTitle, 'title');
  if (input.description) assertMaxLength(input.description, MAX_LENGTH.longText, 'description');
  const target = createTarget(viewer, input.target);
  const [found, branch] = await Promise.all([
    em.findOne(Customer, { id: assertId(input.customerId, 'customerId') }),
    em.findOne(Branch, { id: assertId(input.branchId, 'branchId') }),
  ]);
  // A merged customer's old id (a stale list, a saved link) files the ticket on the survivor.
  const customer = found?.mergedInto
    ? await em.findOne(Customer, { id: found.mergedInto.id })
    : found;
  if (!customer) throw badInput(`customerId: no customer ${input.customerId}`, 'customerId');
  if (!branch) throw badInput(`branchId: no branch ${input.branchId}`, 'branchId');
  const assignee = await resolveOwner(em, viewer, target, input.assigneeId);
  const inCharge = input.inChargeId
    ? await activeTeamMember(em, input.inChargeId, 'inChargeId', target)
    : undefined;
  let rootTicket: Ticket | undefined;
  if (input.rootTicketId) {
    const where = within(ticketScope(viewer), { id: assertId(input.rootTicketId, 'rootTicketId') });
    rootTicket = (where && (await em.findOne(Ticket, where))) || undefined;
    if (!rootTicket)
      throw badInput(`rootTicketId: no ticket ${input.rootTicketId}`, 'rootTicketId');
  }
  const ticket = em.create(Ticket, {
    title,
    description: input.description ?? undefined,
    source: input.source,
    target,
    belongTo: target,
    customer,
    branch,
    dueAt: input.dueAt ?? undefined,
    assignee,
    inCharge,
    status: assignee ? TicketStatus.ASSIGNED : TicketStatus.NEW,
    rootTicket: rootTicket?.rootTicket ?? rootTicket,
    keywords: ticketKeywords(title, customer),
    phoneDigits: phoneDigits(customer.phone),
  });
  const fields = writeHistory(em, ticket, viewer, [
    ['status', null, ticket.status],
    ...(assignee ? ([['assignee', null, assignee.id]] as Change[]) : []),
  ]);
  return { ticket, fields };
}

/** A ticket's history and notes, newest first. */
const NEWEST_FIRST = { field: 'createdAt', direction: 'DESC' } as const;

export const ticketLifecycle = {
  async create(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: CreateTicketInput,
  ): Promise<Ticket> {
    if (!viewer) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
    const ticket = await inTransaction(
      em,
      async (tx) => (await buildTicket(tx, viewer, input)).ticket,
    );
    publish(bus, ticket.id, 'CREATED', ['status']);
    return ticket;
  },

  /**
   * BR-CRM-009: many tickets in one transaction, all or nothing. Every row is
   * validated first; if any fails, nothing is written and each failing row
   * is reported with its index and field.
   */
  async createMany(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: {
      rootTicketId?: string | null;
      shared?: Omit<CreateTicketInput, 'customerId'> | null;
      customerIds: string[];
    },
  ): Promise<Ticket[]> {
    if (!viewer) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
    if (input.customerIds.length === 0)
      throw badInput('customerIds: name at least one customer', 'customerIds');
    if (input.customerIds.length > 5_000)
      throw badInput('customerIds: at most 5000 per call', 'customerIds');
    const tickets = await inTransaction(em, async (tx) => {
      let shared: Omit<CreateTicketInput, 'customerId'>;
      if (input.rootTicketId) {
        const root = await findInScope(tx, viewer, input.rootTicketId);
        shared = {
          title: input.shared?.title ?? root.title,
          description: input.shared?.description ?? root.description,
          source: input.shared?.source ?? root.source,
          target: root.target,
          branchId: input.shared?.branchId ?? root.branch.id,
          dueAt: input.shared?.dueAt ?? root.dueAt,
          assigneeId: input.shared?.assigneeId,
          inChargeId: input.shared?.inChargeId ?? root.inCharge?.id,
          rootTicketId: root.id,
        };
      } else if (input.shared) {
        shared = input.shared;
      } else {
        throw badInput('give either rootTicketId or shared', 'shared');
      }
      // One round trip for all customers, so 1,000 rows stay fast.
      // Malformed ids are reported per row by buildTicket below.
      await tx.find(Customer, { id: { $in: input.customerIds.filter(isId) } });
      const errors: RowError[] = [];
      const created: Ticket[] = [];
      // One ticket per customer and call: a repeated id (or a merged id beside its survivor)
      // is a pasted list's mistake, refused with the row it repeats.
      const rowOfCustomer = new Map<string, number>();
      for (const [row, customerId] of input.customerIds.entries()) {
        try {
          const { ticket } = await buildTicket(tx, viewer, { ...shared, customerId });
          const first = rowOfCustomer.get(ticket.customer.id);
          if (first !== undefined) {
            throw badInput(
              `customerIds[${row}]: customer ${ticket.customer.id} is already on row ${first}; one ticket per customer`,
              'customerIds',
            );
          }
          rowOfCustomer.set(ticket.customer.id, row);
          created.push(ticket);
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== 'BAD_USER_INPUT') throw error;
          const field = typeof error.details.field === 'string' ? error.details.field : 'input';
          errors.push({ row, field, message: error.message });
        }
      }
      if (errors.length > 0) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `${errors.length} of ${input.customerIds.length} rows are invalid; nothing was created`,
          { rowErrors: errors.slice(0, 100) },
        );
      }
      return created;
    });
    for (const ticket of tickets) publish(bus, ticket.id, 'CREATED', ['status']);
    return tickets;
  },

  async update(
    { em, viewer }: RequestScope,
    bus: EventBus,
    id: string,
    version: number,
    input: UpdateTicketInput,
  ): Promise<Ticket> {
    let fields: string[] = [];
    const ticket = await inTransaction(em, async (tx) => {
      const found = await findForChange(tx, viewer, { id, version }, 'edited');
      const changes: Change[] = [];
      if (input.title != null) {
        const title = requiredText(input.title, MAX_LENGTH.ticketTitle, 'title');
        changes.push(['title', found.title, title]);
        found.title = title;
        // A person's title is the whole title: the customer's name is no longer appended.
        found.titleNamesCustomer = false;
        found.keywords = ticketKeywords(title, found.customer.getEntity());
      }
      if (input.description !== undefined) {
        if (input.description)
          assertMaxLength(input.description, MAX_LENGTH.longText, 'description');
        changes.push(['description', found.description, input.description]);
        found.description = input.description ?? undefined;
      }
      if (input.dueAt !== undefined) {
        changes.push(['dueAt', found.dueAt, input.dueAt]);
        found.dueAt = input.dueAt ?? undefined;
        found.remindedAt = undefined;
        // A new due date in the future clears the missed mark.
        if (found.isMissed && (!found.dueAt || found.dueAt > new Date())) {
          changes.push(['isMissed', true, false]);
          found.isMissed = false;
        }
      }
      if (input.inChargeId !== undefined) {
        if (
          !viewer ||
          viewer.kind !== 'user' ||
          !(isLeader(viewer.role) || viewer.role === Role.ADMIN || viewer.role === Role.BOD)
        ) {
          throw new DomainError('FORBIDDEN', 'Only leaders change the curator');
        }
        const curator = input.inChargeId
          ? await activeTeamMember(tx, input.inChargeId, 'inChargeId', found.target)
          : undefined;
        changes.push(['inCharge', found.inCharge?.id, curator?.id]);
        found.inCharge = curator ? tx.getReference(User, curator.id, { wrapped: true }) : undefined;
      }
      fields = writeHistory(tx, found, viewer, changes);
      return found;
    });
    if (fields.length > 0) publish(bus, ticket.id, 'UPDATED', fields);
    return ticket;
  },

  /**
   * Gives a ticket an owner (and optionally a curator): new -> assigned, or
   * a reassignment (BR-CRM-003/008: leaders within their target, IT any). The
   * owner must be active in the ticket's team and receive tickets in its branch.
   */
  async assign(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: { ticketId: string; assigneeId: string; inChargeId?: string | null; version: number },
  ): Promise<Ticket> {
    const where = within(assignableTicketScope(viewer), {
      id: assertId(input.ticketId, 'ticketId'),
    });
    let fields: string[] = [];
    const ticket = await inTransaction(em, async (tx) => {
      const found = where ? await tx.findOne(Ticket, where) : null;
      if (!found) throw notFound('Ticket', input.ticketId);
      assertVersion(found, input.version);
      assertStatus(found, 'assigned');
      const assignee = await activeTeamMember(tx, input.assigneeId, 'assigneeId', found.target);
      const setting = await tx.findOne(AssignmentSetting, { branch: found.branch, user: assignee });
      if (setting && !setting.active) {
        throw badInput(
          `assigneeId: ${assignee.email} does not receive tickets in this branch`,
          'assigneeId',
        );
      }
      const inCharge = input.inChargeId
        ? await activeTeamMember(tx, input.inChargeId, 'inChargeId', found.target)
        : undefined;
      const changes: Change[] = [
        ['assignee', found.assignee?.id, assignee.id],
        ['status', found.status, TicketStatus.ASSIGNED],
      ];
      found.assignee = tx.getReference(User, assignee.id, { wrapped: true });
      if (inCharge) {
        changes.push(['inCharge', found.inCharge?.id, inCharge.id]);
        found.inCharge = tx.getReference(User, inCharge.id, { wrapped: true });
      }
      found.status = TicketStatus.ASSIGNED;
      fields = writeHistory(tx, found, viewer, changes);
      return found;
    });
    publish(bus, ticket.id, 'ASSIGNED', fields);
    return ticket;
  },

  /** Closes a ticket with a result; follow-up rules run in the same transaction. */
  async complete(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: { id: string; result: TicketResult; note?: string | null; version: number },
  ): Promise<Ticket> {
    const spawned: Ticket[] = [];
    const ticket = await inTransaction(em, async (tx) => {
      const found = await findForChange(tx, viewer, input, 'completed');
      writeHistory(tx, found, viewer, [
        ['status', found.status, TicketStatus.COMPLETED],
        ['result', found.result, input.result],
      ]);
      found.status = TicketStatus.COMPLETED;
      found.result = input.result;
      found.completedAt = new Date();
      const note = input.note?.trim();
      if (note) assertMaxLength(note, MAX_LENGTH.longText, 'note');
      if (note) tx.create(TicketNote, { ticket: found, author: actingUserId(viewer), body: note });
      await tx.flush();
      spawned.push(...(await afterCompletion(tx, found)));
      return found;
    });
    publish(bus, ticket.id, 'COMPLETED', ['status', 'result']);
    for (const next of spawned) publish(bus, next.id, 'CREATED', ['status']);
    return ticket;
  },

  async cancel(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: { id: string; reason: string; version: number },
  ): Promise<Ticket> {
    const reason = input.reason.trim();
    if (!reason) throw badInput('reason: say why the ticket is canceled', 'reason');
    assertMaxLength(reason, MAX_LENGTH.reason, 'reason');
    const ticket = await inTransaction(em, async (tx) => {
      const found = await findForChange(tx, viewer, input, 'canceled');
      writeHistory(tx, found, viewer, [
        ['status', found.status, TicketStatus.CANCELED],
        ['cancelReason', null, reason],
      ]);
      found.status = TicketStatus.CANCELED;
      tx.create(TicketNote, {
        ticket: found,
        author: actingUserId(viewer),
        body: `Hủy / canceled: ${reason}`,
      });
      return found;
    });
    publish(bus, ticket.id, 'CANCELED', ['status']);
    return ticket;
  },

  /**
   * Only a canceled ticket reopens (a completed one has a result and its
   * follow-up rules already ran); it returns to ASSIGNED if it has an owner.
   */
  async reopen(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: { id: string; version: number },
  ): Promise<Ticket> {
    const ticket = await inTransaction(em, async (tx) => {
      const found = await findForChange(tx, viewer, input, 'reopened');
      const next = found.assignee ? TicketStatus.ASSIGNED : TicketStatus.NEW;
      writeHistory(tx, found, viewer, [['status', found.status, next]]);
      found.status = next;
      return found;
    });
    publish(bus, ticket.id, 'REOPENED', ['status']);
    return ticket;
  },

  async addNote(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: { ticketId: string; body: string },
  ): Promise<TicketNote> {
    const body = requiredText(input.body, MAX_LENGTH.longText, 'body');
    const ticket = await findInScope(em, viewer, input.ticketId);
    const note = em.create(TicketNote, { ticket, author: actingUserId(viewer), body });
    await em.flush();
    publish(bus, ticket.id, 'NOTE_ADDED', ['notes']);
    return note;
  },

  /** `asked`: what the client wants (the actor and the count are read in the page statement). */
  history(
    scope: RequestScope & { loaders: Loaders },
    ticketId: string,
    page: PageRequest,
    asked: PageSelection = NOTHING_ASKED,
  ): Promise<Page<Row<TicketHistory>>> {
    const joins = joinsFor(asked, [[['actor'], scope.loaders.user.joinAs('actor')]]);
    return keysetPage(scope.em, TicketHistory, { ticket: ticketId }, page, NEWEST_FIRST, {
      joins,
      totalCount: asked.totalCount,
    });
  },

  /** `asked`: what the client wants (the author and the count are read in the page statement). */
  notes(
    scope: RequestScope & { loaders: Loaders },
    ticketId: string,
    page: PageRequest,
    asked: PageSelection = NOTHING_ASKED,
  ): Promise<Page<Row<TicketNote>>> {
    const joins = joinsFor(asked, [[['author'], scope.loaders.user.joinAs('author')]]);
    return keysetPage(scope.em, TicketNote, { ticket: ticketId }, page, NEWEST_FIRST, {
      joins,
      totalCount: asked.totalCount,
    });
  },
};
