import type { FilterQuery } from '@mikro-orm/postgresql';
import type {
  Conversation,
  Customer,
  KnowledgeBaseArticle,
  Order,
  Ticket,
  User,
} from '../entities';
import { KnowledgeBaseType, Role, type TicketTarget } from '../entities/enums';
import { isLeader, isStaff, targetOf, type Viewer } from './viewer';

/**
 * Row scopes: which rows a viewer may see, as a filter the services AND into
 * every list, lookup, count, nested relation and subscription event. `null`
 * means no row at all. Built only here, so the rules of BR-CRM live in one file.
 */
export type Scope<T> = FilterQuery<T> | null;

const ALL = {};

/** BR-CRM-001/002 and the staff rule the reference code meant to add. */
export function ticketScope(viewer: Viewer | null): Scope<Ticket> {
  if (!viewer || viewer.kind === 'partner') return null;
  if (viewer.role === Role.ADMIN || viewer.role === Role.BOD) return ALL;
  const target = targetOf(viewer.role);
  if (!target) return null; // IT works on settings, not on tickets
  const team: FilterQuery<Ticket> = { belongTo: target, target };
  if (isLeader(viewer.role)) return team;
  return { ...team, $or: [{ assignee: viewer.id }, { inCharge: viewer.id }] };
}

/**
 * ticketScope as a predicate, for rows already in memory (subscription
 * events). Kept beside the filter it mirrors; a test checks both agree on
 * the demo data for every role.
 */
export function ticketVisibleTo(viewer: Viewer | null, ticket: Ticket): boolean {
  if (!viewer || viewer.kind === 'partner') return false;
  if (viewer.role === Role.ADMIN || viewer.role === Role.BOD) return true;
  const target = targetOf(viewer.role);
  if (!target || ticket.belongTo !== target || ticket.target !== target) return false;
  return (
    isLeader(viewer.role) || ticket.assignee?.id === viewer.id || ticket.inCharge?.id === viewer.id
  );
}

/** Tickets a viewer may (re)assign: a leader within their target, IT any (BR-CRM-003/008). */
export function assignableTicketScope(viewer: Viewer | null): Scope<Ticket> {
  if (!viewer || viewer.kind === 'partner') return null;
  if (viewer.role === Role.IT) return ALL;
  const target = targetOf(viewer.role);
  return target && isLeader(viewer.role) ? { belongTo: target, target } : null;
}

export function conversationScope(viewer: Viewer | null): Scope<Conversation> {
  if (!viewer || viewer.kind === 'partner') return null;
  switch (viewer.role) {
    case Role.ADMIN:
    case Role.BOD:
    case Role.CUSTOMER_SERVICE_LEADER:
      return ALL;
    case Role.CUSTOMER_SERVICE:
      return { $or: [{ assignee: viewer.id }, { assignee: null }] };
    case Role.IT:
    case Role.TELESALES_LEADER:
    case Role.TELESALES:
      return null;
  }
}

/** conversationScope as a predicate, for subscription events (same rule as the SQL). */
export function conversationVisibleTo(viewer: Viewer | null, conversation: Conversation): boolean {
  const scope = conversationScope(viewer);
  if (scope === null) return false;
  if (viewer?.kind !== 'user' || viewer.role !== Role.CUSTOMER_SERVICE) return true;
  const assignee = conversation.assignee?.id ?? null;
  return assignee === null || assignee === viewer.id;
}

export function orderScope(viewer: Viewer | null): Scope<Order> {
  if (!viewer) return null;
  if (viewer.kind === 'partner') return { channel: { $in: viewer.channelIds } };
  return ALL;
}

/** orderScope for the order event log, which filters by channel: a partner key's channels; null (all) for users. */
export function orderLogChannelScope(viewer: Viewer | null): readonly string[] | null {
  if (!viewer) return [];
  return viewer.kind === 'partner' ? viewer.channelIds : null;
}

/** orderScope as a predicate, for rows already in memory. */
export function orderVisibleTo(viewer: Viewer | null, order: Order): boolean {
  if (!viewer) return false;
  return viewer.kind === 'user' || viewer.channelIds.includes(order.channel.id);
}

/** BR-CRM-006: the same rule whether a customer is reached directly or through another record. */
export function customerScope(viewer: Viewer | null): Scope<Customer> {
  return viewer?.kind === 'user' ? ALL : null;
}

/** IT supports the system but does not need people's contact details. */
export function masksContactDetails(viewer: Viewer | null): boolean {
  return viewer?.kind !== 'user' || viewer.role === Role.IT;
}

export function maskContact(value: string | undefined | null): string | null {
  if (!value) return null;
  if (value.includes('@')) {
    const [local = '', domain = ''] = value.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  }
  return `${value.slice(0, 4)}*****${value.slice(-2)}`;
}

const KB_TYPE_OF: Record<TicketTarget, KnowledgeBaseType> = {
  TELESALES: KnowledgeBaseType.TELESALES,
  CUSTOMER_SERVICE: KnowledgeBaseType.CUSTOMER_SERVICE,
};

/** BR-CRM-007: team roles read their own team's articles whatever the filter says. */
export function knowledgeBaseScope(viewer: Viewer | null): Scope<KnowledgeBaseArticle> {
  if (!viewer || viewer.kind === 'partner') return null;
  const target = targetOf(viewer.role);
  return target ? { type: KB_TYPE_OF[target] } : ALL;
}

/**
 * Which user accounts a viewer may list: Admin and IT (who assigns anyone,
 * BR-CRM-008) all of them, a team leader their own team (to assign its
 * tickets), nobody else any.
 */
export function userScope(viewer: Viewer | null): Scope<User> {
  if (!viewer || viewer.kind === 'partner') return null;
  if (viewer.role === Role.ADMIN || viewer.role === Role.IT) return ALL;
  const target = targetOf(viewer.role);
  if (!target || !isLeader(viewer.role)) return null;
  const team = Object.values(Role).filter((role) => targetOf(role) === target);
  return { role: { $in: team } };
}

/** Both filters must hold; a null scope turns the whole query into "nothing". */
export function within<T>(scope: Scope<T>, where: FilterQuery<T>): FilterQuery<T> | null {
  if (scope === null) return null;
  if (Object.keys(scope).length === 0) return where;
  return { $and: [scope, where] } as FilterQuery<T>;
}

const sortedList = (values: readonly string[]): string => [...values].sort().join(',');

/**
 * Viewers with the same class see the same rows through every rule above and
 * the same fields (roles, a key's scopes, masking): a subscription event
 * executed for one of them answers them all (realtime/fan-out.ts). Staff see
 * rows by their own id, so each of them is a class of one.
 */
export function scopeClassOf(viewer: Viewer): string {
  if (viewer.kind === 'partner') {
    return `partner:${sortedList(viewer.channelIds)}:${sortedList(viewer.scopes)}`;
  }
  const own = isStaff(viewer.role) ? `:${viewer.id}` : '';
  return `user:${viewer.role}:${sortedList(viewer.branchIds)}${own}`;
}
