import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Ticket } from '../entities';
import type { TicketResult, TicketSource, TicketStatus, TicketTarget } from '../entities/enums';
import { assertId, assertIds, notFound } from './errors';
import { keysetPage, type Page, type PageRequest } from './keyset';

export type TicketListFilter = {
  status?: TicketStatus | null;
  statuses?: TicketStatus[] | null;
  missed?: boolean | null;
  assigneeIds?: string[] | null;
  curatorIds?: string[] | null;
  branchIds?: string[] | null;
  customerId?: string | null;
  targets?: TicketTarget[] | null;
  ticketSources?: TicketSource[] | null;
  ticketResults?: TicketResult[] | null;
};

function buildWhere(filter: TicketListFilter): FilterQuery<Ticket> {
  const where: FilterQuery<Ticket> & Record<string, unknown> = {};
  const statuses = [...(filter.statuses ?? []), ...(filter.status ? [filter.status] : [])];
  if (statuses.length > 0) where.status = { $in: statuses };
  if (filter.missed != null) where.isMissed = filter.missed;
  const assignees = assertIds(filter.assigneeIds ?? undefined, 'assigneeIds');
  if (assignees?.length) where.assignee = { $in: assignees };
  const curators = assertIds(filter.curatorIds ?? undefined, 'curatorIds');
  if (curators?.length) where.inCharge = { $in: curators };
  const branches = assertIds(filter.branchIds ?? undefined, 'branchIds');
  if (branches?.length) where.branch = { $in: branches };
  if (filter.customerId) where.customer = assertId(filter.customerId, 'customerId');
  if (filter.targets?.length) where.target = { $in: filter.targets };
  if (filter.ticketSources?.length) where.source = { $in: filter.ticketSources };
  if (filter.ticketResults?.length) where.result = { $in: filter.ticketResults };
  return where;
}

export const ticketService = {
  list(em: EntityManager, filter: TicketListFilter, page: PageRequest): Promise<Page<Ticket>> {
    return keysetPage(em, Ticket, buildWhere(filter), page, {
      field: 'createdAt',
      direction: 'DESC',
    });
  },

  async get(em: EntityManager, id: string): Promise<Ticket> {
    const ticket = await em.findOne(Ticket, { id: assertId(id) });
    if (!ticket) throw notFound('Ticket', id);
    return ticket;
  },
};
