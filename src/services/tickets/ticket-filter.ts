import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Ticket } from '../../entities';
import {
  TicketStatus,
  type TicketResult,
  type TicketSource,
  type TicketTarget,
} from '../../entities/enums';
import { assertId, assertIds, badInput } from '../../kernel/errors';
import type { KeysetSort } from '../shared/keyset';
import { MAX_LENGTH, assertMaxLength } from '../../kernel/text-limits';
import { containing } from '../shared/like-pattern';

export enum KeywordMode {
  /** Words of the customer's name, phone or the title; accents and case do not matter. */
  TEXT = 'TEXT',
  /** The digits typed, in order, inside a phone number whatever its formatting. */
  NUMBER_SEQUENCE = 'NUMBER_SEQUENCE',
}

export enum TimeLabel {
  OVERDUE = 'OVERDUE',
  TODAY = 'TODAY',
  TOMORROW = 'TOMORROW',
  THIS_WEEK = 'THIS_WEEK',
  NEXT_WEEK = 'NEXT_WEEK',
  NO_DUE_DATE = 'NO_DUE_DATE',
}

export enum TicketSortField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  DUE_AT = 'DUE_AT',
}

export type TicketListFilter = {
  status?: TicketStatus | null;
  statuses?: TicketStatus[] | null;
  missed?: boolean | null;
  keywords?: string | null;
  mode?: KeywordMode | null;
  assignees?: string[] | null;
  curators?: string[] | null;
  branchIds?: string[] | null;
  customerId?: string | null;
  customerLabels?: string[] | null;
  targets?: TicketTarget[] | null;
  ticketSources?: TicketSource[] | null;
  ticketResults?: TicketResult[] | null;
  dueFrom?: Date | null;
  dueTo?: Date | null;
  timeLabel?: TimeLabel | null;
};

export type TicketSort = { field?: TicketSortField | null; direction?: 'ASC' | 'DESC' | null };

/** Vietnam keeps UTC+7 all year (no daylight saving): business days start at 17:00 UTC. */
export const BUSINESS_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export function startOfBusinessDay(at: Date): Date {
  return new Date(
    Math.floor((at.getTime() + BUSINESS_OFFSET_MS) / DAY_MS) * DAY_MS - BUSINESS_OFFSET_MS,
  );
}

/** [from, to) of a time label in Asia/Ho_Chi_Minh; weeks start on Monday. */
export function timeLabelRange(
  label: Exclude<TimeLabel, TimeLabel.OVERDUE | TimeLabel.NO_DUE_DATE>,
  now: Date,
): [Date, Date] {
  const today = startOfBusinessDay(now).getTime();
  const weekday = new Date(today + BUSINESS_OFFSET_MS).getUTCDay(); // 0 = Sunday
  const monday = today - ((weekday + 6) % 7) * DAY_MS;
  const range = (from: number, days: number): [Date, Date] => [
    new Date(from),
    new Date(from + days * DAY_MS),
  ];
  switch (label) {
    case TimeLabel.TODAY:
      return range(today, 1);
    case TimeLabel.TOMORROW:
      return range(today + DAY_MS, 1);
    case TimeLabel.THIS_WEEK:
      return range(monday, 7);
    case TimeLabel.NEXT_WEEK:
      return range(monday + 7 * DAY_MS, 7);
  }
}

/** Lower case without Vietnamese diacritics: "Nguyễn Đức" -> "nguyen duc". */
export function foldText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The search text stored on a ticket: title and customer name as written and
 * folded, and the phone's digits in international (84...) and national (0...)
 * form so a digit sequence typed either way is found.
 */
export function phoneDigits(phone: string | null | undefined): string {
  const digits = phone?.replace(/\D/g, '') ?? '';
  const national = digits.startsWith('84') ? `0${digits.slice(2)}` : '';
  return [digits, national].filter(Boolean).join(' ');
}

export function ticketKeywords(
  title: string,
  customer: { fullName: string; phone?: string | null },
): string {
  const text = `${title} ${customer.fullName}`;
  return [text.toLowerCase(), foldText(text), phoneDigits(customer.phone)]
    .filter(Boolean)
    .join(' ');
}

function keywordConditions(keywords: string, mode: KeywordMode): FilterQuery<Ticket>[] {
  assertMaxLength(keywords, MAX_LENGTH.search, 'keywords');
  if (mode === KeywordMode.NUMBER_SEQUENCE) {
    const digits = keywords.replace(/\D/g, '');
    if (digits.length < 3)
      throw badInput('keywords: type at least 3 digits to search phone numbers', 'keywords');
    return [{ phoneDigits: { $like: `%${digits}%` } }];
  }
  const words = foldText(keywords).split(' ').filter(Boolean);
  return words.map((word) => ({ keywords: { $like: containing(word) } }));
}

/** The BR-CRM TicketBuildWhere set; every condition combines with AND. */
export function buildTicketWhere(filter: TicketListFilter, now = new Date()): FilterQuery<Ticket> {
  const and: FilterQuery<Ticket>[] = [];
  const where: FilterQuery<Ticket> & Record<string, unknown> = {};
  // Two conditions like the others: `status` and `statuses` together match their intersection.
  if (filter.status) and.push({ status: filter.status });
  if (filter.statuses?.length) and.push({ status: { $in: filter.statuses } });
  if (filter.missed != null) where.isMissed = filter.missed;
  const assignees = assertIds(filter.assignees ?? undefined, 'assignees');
  if (assignees?.length) where.assignee = { $in: assignees };
  const curators = assertIds(filter.curators ?? undefined, 'curators');
  if (curators?.length) where.inCharge = { $in: curators };
  const branches = assertIds(filter.branchIds ?? undefined, 'branchIds');
  if (branches?.length) where.branch = { $in: branches };
  if (filter.customerId) where.customer = assertId(filter.customerId, 'customerId');
  const labels = assertIds(filter.customerLabels ?? undefined, 'customerLabels');
  if (labels?.length) and.push({ customer: { labels: { $in: labels } } });
  if (filter.targets?.length) where.target = { $in: filter.targets };
  if (filter.ticketSources?.length) where.source = { $in: filter.ticketSources };
  if (filter.ticketResults?.length) where.result = { $in: filter.ticketResults };
  const keywords = filter.keywords?.trim();
  if (keywords) and.push(...keywordConditions(keywords, filter.mode ?? KeywordMode.TEXT));
  if (filter.dueFrom && filter.dueTo && filter.dueFrom > filter.dueTo) {
    throw badInput('dueFrom must not be after dueTo', 'dueFrom');
  }
  if (filter.dueFrom) and.push({ dueAt: { $gte: filter.dueFrom } });
  if (filter.dueTo) and.push({ dueAt: { $lt: filter.dueTo } });
  const label = filter.timeLabel ?? undefined;
  switch (label) {
    case undefined:
      break;
    case TimeLabel.OVERDUE:
      and.push({ dueAt: { $lt: now }, status: { $in: [TicketStatus.NEW, TicketStatus.ASSIGNED] } });
      break;
    case TimeLabel.NO_DUE_DATE:
      and.push({ dueAt: null });
      break;
    case TimeLabel.TODAY:
    case TimeLabel.TOMORROW:
    case TimeLabel.THIS_WEEK:
    case TimeLabel.NEXT_WEEK: {
      const [from, to] = timeLabelRange(label, now);
      and.push({ dueAt: { $gte: from, $lt: to } });
      break;
    }
  }
  return and.length === 0 ? where : { $and: [where, ...and] };
}

const SORT_FIELDS: Record<TicketSortField, KeysetSort<Ticket>['field']> = {
  CREATED_AT: 'createdAt',
  UPDATED_AT: 'updatedAt',
  DUE_AT: 'dueAt',
};

export function ticketSort(sort: TicketSort | null | undefined): KeysetSort<Ticket> {
  const field = sort?.field ?? TicketSortField.CREATED_AT;
  return {
    field: SORT_FIELDS[field],
    direction: sort?.direction ?? (field === TicketSortField.DUE_AT ? 'ASC' : 'DESC'),
    nullable: field === TicketSortField.DUE_AT,
  };
}
