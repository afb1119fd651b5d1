import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Row } from '../shared/rows';
import { conversationScope, within } from '../../auth/scopes';
import { Conversation, Message } from '../../entities';
import type { ConversationStatus } from '../../entities/enums';
import { assertId, assertIds, badInput, notFound } from '../../kernel/errors';
import {
  emptyPage,
  keysetPage,
  pageOf,
  NOTHING_ASKED,
  pageSize,
  type KeysetSort,
  type Page,
  type PageRequest,
  type PageSelection,
} from '../shared/keyset';
import { joinsFor, type Loaders } from '../shared/loaders';
import type { RequestScope } from '../../kernel/request-scope';

export type ConversationListFilter = {
  statuses?: ConversationStatus[] | null;
  channelIds?: string[] | null;
  customerId?: string | null;
  /** With `unassigned: true`: these agents' conversations or nobody's. */
  assigneeIds?: string[] | null;
  /** true: nobody holds it; false: somebody does. */
  unassigned?: boolean | null;
  hasUnread?: boolean | null;
  /** The customer carries any of these labels. */
  customerLabelIds?: string[] | null;
  /** lastMessageAt in [from, to). */
  lastMessageFrom?: Date | null;
  lastMessageTo?: Date | null;
};

function buildWhere(filter: ConversationListFilter): FilterQuery<Conversation> {
  const and: FilterQuery<Conversation>[] = [];
  if (filter.statuses?.length) and.push({ status: { $in: filter.statuses } });
  const channels = assertIds(filter.channelIds ?? undefined, 'channelIds');
  if (channels?.length) and.push({ channel: { $in: channels } });
  if (filter.customerId) and.push({ customer: assertId(filter.customerId, 'customerId') });
  const assignees = assertIds(filter.assigneeIds ?? undefined, 'assigneeIds');
  if (assignees?.length && filter.unassigned === true) {
    and.push({ $or: [{ assignee: { $in: assignees } }, { assignee: null }] });
  } else {
    if (assignees?.length) and.push({ assignee: { $in: assignees } });
    if (filter.unassigned === true) and.push({ assignee: null });
    if (filter.unassigned === false) and.push({ assignee: { $ne: null } });
  }
  if (filter.hasUnread === true) and.push({ unreadCount: { $gt: 0 } });
  if (filter.hasUnread === false) and.push({ unreadCount: 0 });
  const labels = assertIds(filter.customerLabelIds ?? undefined, 'customerLabelIds');
  if (labels?.length) and.push({ customer: { labels: { $in: labels } } });
  if (filter.lastMessageFrom) and.push({ lastMessageAt: { $gte: filter.lastMessageFrom } });
  if (filter.lastMessageTo) and.push({ lastMessageAt: { $lt: filter.lastMessageTo } });
  if (
    filter.lastMessageFrom &&
    filter.lastMessageTo &&
    filter.lastMessageFrom >= filter.lastMessageTo
  ) {
    throw badInput('lastMessageFrom must be before lastMessageTo', 'lastMessageFrom');
  }
  return and.length === 0 ? {} : { $and: and };
}

const MESSAGE_ORDER: KeysetSort<Message> = { field: 'sentAt', direction: 'DESC' };

export const conversationService = {
  /** `asked`: the node fields the client wants, whose to-one relations the page statement reads. */
  async list(
    { em, viewer, loaders }: RequestScope & { loaders: Loaders },
    filter: ConversationListFilter,
    page: PageRequest,
    asked: PageSelection = NOTHING_ASKED,
  ): Promise<Page<Row<Conversation>>> {
    const where = within(conversationScope(viewer), buildWhere(filter));
    if (!where) return emptyPage(page);
    const joins = joinsFor(asked, [
      [['customer'], loaders.customer.joinAs('customer')],
      [['assignee'], loaders.user.joinAs('assignee')],
      [['channel'], loaders.channel.joinAs('channel')],
    ]);
    // The inbox shows each conversation's newest message: a first page of one.
    const newestMessage =
      asked.first.get('messages') === 1
        ? loaders.conversationMessages.joinNewest([], { more: true })
        : null;
    const sort: KeysetSort<Conversation> = { field: 'updatedAt', direction: 'DESC' };
    return keysetPage(em, Conversation, where, page, sort, {
      joins,
      newest: newestMessage ? [newestMessage] : [],
      totalCount: asked.totalCount,
    });
  },

  async get({ em, viewer }: RequestScope, id: string): Promise<Conversation> {
    const where = within(conversationScope(viewer), { id: assertId(id) });
    const conversation = where ? await em.findOne(Conversation, where) : null;
    if (!conversation) throw notFound('Conversation', id);
    return conversation;
  },

  /**
   * Newest first, as a chat client scrolls back in time; the conversation was
   * already scoped. A first page comes from the request's loader, so an inbox
   * of conversations with their newest messages costs one statement for all,
   * or none when the inbox's own statement read each newest message.
   */
  async messages(
    { em, loaders }: RequestScope & { loaders: Loaders },
    conversationId: string,
    page: PageRequest,
  ): Promise<Page<Row<Message>>> {
    const where = { conversation: conversationId };
    const size = pageSize(page.first);
    if (page.after || size === 0) return keysetPage(em, Message, where, page, MESSAGE_ORDER);
    const count = () => em.count(Message, where);
    const joined =
      size === 1 ? loaders.conversationMessages.firstOfJoined(conversationId) : undefined;
    if (joined) return pageOf(joined.rows, page, MESSAGE_ORDER, count, joined.more);
    const rows = await loaders.conversationMessages(size + 1).load(conversationId);
    return pageOf(rows, page, MESSAGE_ORDER, count);
  },
};
