import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Row } from '../shared/rows';
import type { Loaders } from '../shared/loaders';
import { placeholders } from '../../db/raw-sql';
import { customerScope, masksContactDetails, within } from '../../auth/scopes';
import { Customer } from '../../entities';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type CustomerChangedEvent } from '../../kernel/topics';
import {
  normalizeCustomerFields,
  type CustomerFields,
  type NormalizedCustomerFields,
} from './customer-input';
import {
  DomainError,
  assertId,
  assertIds,
  badInput,
  notFound,
  customerErased,
} from '../../kernel/errors';
import {
  emptyPage,
  keysetPage,
  NOTHING_ASKED,
  type Page,
  type PageRequest,
  type PageSelection,
} from '../shared/keyset';
import { phoneSpellings } from './phone';
import type { RequestScope } from '../../kernel/request-scope';
import { MAX_LENGTH } from '../../kernel/text-limits';
import { anyFieldContaining, searchText } from '../shared/like-pattern';

export type CustomerListFilter = {
  search?: string | null;
  branchIds?: string[] | null;
  labelIds?: string[] | null;
};

export type CustomerInput = CustomerFields & { branchId?: string | null };

function buildWhere(filter: CustomerListFilter, contactsMasked: boolean): FilterQuery<Customer> {
  // Tombstones are not people any more: their survivor is listed instead.
  const where: FilterQuery<Customer> & Record<string, unknown> = { mergedInto: null };
  const search = searchText(filter.search, MAX_LENGTH.search);
  if (search) {
    const digits = search.replace(/\D/g, '');
    // A viewer who sees contacts masked must not recover them by searching.
    where.$or = contactsMasked
      ? anyFieldContaining(['fullName'], search)
      : [
          ...anyFieldContaining(['fullName', 'email'], search),
          ...(digits.length >= 3 ? [{ phone: { $like: `%${digits.replace(/^0/, '')}%` } }] : []),
        ];
  }
  const branches = assertIds(filter.branchIds ?? undefined, 'branchIds');
  if (branches?.length) where.branch = { $in: branches };
  const labels = assertIds(filter.labelIds ?? undefined, 'labelIds');
  if (labels?.length) where.labels = { $in: labels };
  return where;
}

/**
 * The live customer an id names: itself, or the survivor a tombstone was
 * merged into (merges keep tombstones one hop from their survivor). Null
 * when no such row exists.
 */
export async function resolveCustomerId(em: EntityManager, id: string): Promise<string | null> {
  const rows = await em.execute<{ id: string }[]>(
    'select coalesce("merged_into_id", "id") as "id" from "customer" where "id" = ?',
    [assertId(id)],
  );
  return rows[0]?.id ?? null;
}

export type DuplicateMatch = { id: string; field: 'phone' | 'email' };

/**
 * A live customer other than `exceptId` with the same normalized phone (any
 * older spelling of it) or e-mail; the oldest wins so that every caller
 * names the same one.
 */
export async function findDuplicate(
  em: EntityManager,
  fields: { phone?: string | null; email?: string | null },
  exceptId?: string,
): Promise<DuplicateMatch | null> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (fields.phone) {
    const spellings = phoneSpellings(fields.phone);
    conditions.push(`"phone" in (${placeholders(spellings)})`);
    params.push(...spellings);
  }
  if (fields.email) {
    conditions.push('lower("email") = ?');
    params.push(fields.email);
  }
  if (conditions.length === 0) return null;
  const rows = await em.execute<{ id: string; phone: string | null }[]>(
    `select "id", "phone" from "customer"
     where "merged_into_id" is null and (${conditions.join(' or ')})
       ${exceptId ? 'and "id" <> ?' : ''}
     order by "created_at", "id" limit 1`,
    exceptId ? [...params, exceptId] : params,
  );
  const row = rows[0];
  if (!row) return null;
  const samePhone = fields.phone && row.phone && phoneSpellings(fields.phone).includes(row.phone);
  return { id: row.id, field: samePhone ? 'phone' : 'email' };
}

/**
 * Serializes writers of one phone or e-mail until commit, so two creates of
 * the same person at once cannot both pass the duplicate check.
 */
async function lockContacts(em: EntityManager, fields: NormalizedCustomerFields): Promise<void> {
  const keys = [fields.phone, fields.email].filter((key): key is string => Boolean(key)).sort();
  for (const key of keys) {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 7))', [`customer:${key}`]);
  }
}

function duplicateError(match: DuplicateMatch): DomainError {
  return new DomainError(
    'CONFLICT',
    `A customer with this ${match.field} already exists (${match.id}); open it, merge, or create anyway with allowDuplicate`,
    { existingCustomerId: match.id, field: match.field, reason: 'DUPLICATE_CUSTOMER' },
  );
}

export function publishCustomerChanged(
  bus: EventBus,
  customerId: string,
  action: CustomerChangedEvent['action'],
  relatedIds: string[] = [],
): void {
  bus.publish(TOPICS.customerChanged, {
    customerId,
    action,
    relatedIds,
  } satisfies CustomerChangedEvent);
}

export const customerService = {
  /** `asked`: what the client wants; each customer's newest order and the count come in the page statement. */
  async list(
    { em, viewer, loaders }: RequestScope & { loaders: Loaders },
    filter: CustomerListFilter,
    page: PageRequest,
    asked: PageSelection = NOTHING_ASKED,
  ): Promise<Page<Row<Customer>>> {
    const where = within(customerScope(viewer), buildWhere(filter, masksContactDetails(viewer)));
    if (!where) return emptyPage(page);
    const newestOrder =
      asked.first.get('orders') === 1 ? loaders.customerOrders.joinNewest([]) : null;
    return keysetPage(
      em,
      Customer,
      where,
      page,
      { field: 'createdAt', direction: 'DESC' },
      { newest: newestOrder ? [newestOrder] : [], totalCount: asked.totalCount },
    );
  },

  /** By id; a tombstone's old id answers with its survivor. */
  async get({ em, viewer }: RequestScope, id: string): Promise<Customer> {
    const resolved = await resolveCustomerId(em, id);
    const where = resolved ? within(customerScope(viewer), { id: resolved }) : null;
    const customer = where ? await em.findOne(Customer, where) : null;
    if (!customer) throw notFound('Customer', id);
    return customer;
  },

  /** The customer a write targets: a tombstone's id writes to the survivor; an erased record takes no new data. */
  async getLive(scope: RequestScope, id: string): Promise<Customer> {
    const customer = await customerService.get(scope, id);
    if (customer.erasedAt) throw customerErased();
    return customer;
  },

  /**
   * A new customer, unless one with the same phone or e-mail exists: then a
   * CONFLICT carrying the existing id, so the client can open that one
   * instead. `allowDuplicate` is the deliberate "they really are two people".
   */
  async create(
    scope: RequestScope,
    bus: EventBus,
    input: CustomerInput,
    allowDuplicate: boolean,
  ): Promise<Customer> {
    if (input.fullName === undefined) throw badInput('fullName: required', 'fullName');
    const fields = normalizeCustomerFields(input);
    const branchId = input.branchId ? assertId(input.branchId, 'branchId') : undefined;
    const customer = await scope.em.transactional(async (tx) => {
      await lockContacts(tx, fields);
      if (!allowDuplicate) {
        const match = await findDuplicate(tx, fields);
        if (match) throw duplicateError(match);
      }
      const created = tx.create(Customer, {
        ...withoutNulls(fields),
        fullName: fields.fullName ?? '',
        branch: branchId,
      });
      await tx.flush();
      return created;
    });
    publishCustomerChanged(bus, customer.id, 'CREATED');
    return customer;
  },

  async update(
    scope: RequestScope,
    bus: EventBus,
    id: string,
    input: CustomerInput,
    allowDuplicate: boolean,
  ): Promise<Customer> {
    const fields = normalizeCustomerFields(input);
    const customer = await scope.em.transactional(async (tx) => {
      const found = await customerService.getLive({ em: tx, viewer: scope.viewer }, id);
      await lockContacts(tx, fields);
      if (!allowDuplicate) {
        const match = await findDuplicate(
          tx,
          {
            phone: fields.phone === found.phone ? null : fields.phone,
            email: fields.email === found.email ? null : fields.email,
          },
          found.id,
        );
        if (match) throw duplicateError(match);
      }
      tx.assign(found, {
        ...fields,
        ...(input.branchId !== undefined
          ? { branch: input.branchId ? assertId(input.branchId, 'branchId') : null }
          : {}),
      });
      await tx.flush();
      return found;
    });
    publishCustomerChanged(bus, customer.id, 'UPDATED');
    return customer;
  },
};

/** `null` means "clear" on update; on create an absent value is simply not set. */
function withoutNulls<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== null && value !== undefined),
  ) as { [K in keyof T]?: NonNullable<T[K]> };
}
