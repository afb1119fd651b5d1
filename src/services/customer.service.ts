import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Customer } from '../entities';
import { assertId, assertIds, badInput, notFound } from './errors';
import { keysetPage, type Page, type PageRequest } from './keyset';

export type CustomerListFilter = {
  search?: string | null;
  branchIds?: string[] | null;
  labelIds?: string[] | null;
};

/** Escapes LIKE wildcards so that a typed % or _ matches itself. */
const likeLiteral = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function buildWhere(filter: CustomerListFilter): FilterQuery<Customer> {
  const where: FilterQuery<Customer> & Record<string, unknown> = {};
  const search = filter.search?.trim();
  if (search) {
    if (search.length > 100) throw badInput('search: at most 100 characters', 'search');
    const digits = search.replace(/\D/g, '');
    const pattern = `%${likeLiteral(search)}%`;
    where.$or = [
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
  list(em: EntityManager, filter: CustomerListFilter, page: PageRequest): Promise<Page<Customer>> {
    return keysetPage(em, Customer, buildWhere(filter), page, {
      field: 'createdAt',
      direction: 'DESC',
    });
  },

  async get(em: EntityManager, id: string): Promise<Customer> {
    const customer = await em.findOne(Customer, { id: assertId(id) });
    if (!customer) throw notFound('Customer', id);
    return customer;
  },
};
