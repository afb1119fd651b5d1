import type { FilterQuery } from '@mikro-orm/postgresql';
import { customerScope, masksContactDetails, within } from '../auth/scopes';
import { Customer } from '../entities';
import { assertId, assertIds, badInput, notFound } from './errors';
import { emptyPage, keysetPage, type Page, type PageRequest } from './keyset';
import type { RequestScope } from './request-scope';

export type CustomerListFilter = {
  search?: string | null;
  branchIds?: string[] | null;
  labelIds?: string[] | null;
};

/** Escapes LIKE wildcards so that a typed % or _ matches itself. */
const likeLiteral = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function buildWhere(filter: CustomerListFilter, contactsMasked: boolean): FilterQuery<Customer> {
  const where: FilterQuery<Customer> & Record<string, unknown> = {};
  const search = filter.search?.trim();
  if (search) {
    if (search.length > 100) throw badInput('search: at most 100 characters', 'search');
    const digits = search.replace(/\D/g, '');
    const pattern = `%${likeLiteral(search)}%`;
    // A viewer who sees contacts masked must not recover them by searching.
    where.$or = contactsMasked
      ? [{ fullName: { $ilike: pattern } }]
      : [
          { fullName: { $ilike: pattern } },
          { email: { $ilike: pattern } },
          ...(digits.length >= 3 ? [{ phone: { $like: `%${digits.replace(/^0/, '')}%` } }] : []),
        ];
  }
  const branches = assertIds(filter.branchIds ?? undefined, 'branchIds');
  if (branches?.length) where.branch = { $in: branches };
  const labels = assertIds(filter.labelIds ?? undefined, 'labelIds');
  if (labels?.length) where.labels = { $in: labels };
  return where;
}

export const customerService = {
  async list(
    { em, viewer }: RequestScope,
    filter: CustomerListFilter,
    page: PageRequest,
  ): Promise<Page<Customer>> {
    const where = within(customerScope(viewer), buildWhere(filter, masksContactDetails(viewer)));
    if (!where) return emptyPage(page);
    return keysetPage(em, Customer, where, page, { field: 'createdAt', direction: 'DESC' });
  },

  async get({ em, viewer }: RequestScope, id: string): Promise<Customer> {
    const where = within(customerScope(viewer), { id: assertId(id) });
    const customer = where ? await em.findOne(Customer, where) : null;
    if (!customer) throw notFound('Customer', id);
    return customer;
  },
};
