import type { FilterQuery } from '@mikro-orm/postgresql';
import { conversationScope, within } from '../auth/scopes';
import { Conversation, Message } from '../entities';
import type { ConversationStatus } from '../entities/enums';
import { assertId, assertIds, notFound } from './errors';
import { emptyPage, keysetPage, type Page, type PageRequest } from './keyset';
import type { RequestScope } from './request-scope';

export type ConversationListFilter = {
  statuses?: ConversationStatus[] | null;
  channelIds?: string[] | null;
  customerId?: string | null;
};

function buildWhere(filter: ConversationListFilter): FilterQuery<Conversation> {
  const where: FilterQuery<Conversation> & Record<string, unknown> = {};
  if (filter.statuses?.length) where.status = { $in: filter.statuses };
  const channels = assertIds(filter.channelIds ?? undefined, 'channelIds');
  if (channels?.length) where.channel = { $in: channels };
  if (filter.customerId) where.customer = assertId(filter.customerId, 'customerId');
  return where;
}

export const conversationService = {
  async list(
    { em, viewer }: RequestScope,
    filter: ConversationListFilter,
    page: PageRequest,
  ): Promise<Page<Conversation>> {
    const where = within(conversationScope(viewer), buildWhere(filter));
    if (!where) return emptyPage(page);
    return keysetPage(em, Conversation, where, page, { field: 'updatedAt', direction: 'DESC' });
  },

  async get({ em, viewer }: RequestScope, id: string): Promise<Conversation> {
    const where = within(conversationScope(viewer), { id: assertId(id) });
    const conversation = where ? await em.findOne(Conversation, where) : null;
    if (!conversation) throw notFound('Conversation', id);
    return conversation;
  },

  /** Newest first, as a chat client scrolls back in time; the conversation was already scoped. */
  messages(
    { em }: RequestScope,
    conversationId: string,
    page: PageRequest,
  ): Promise<Page<Message>> {
    return keysetPage(em, Message, { conversation: conversationId }, page, {
      field: 'sentAt',
      direction: 'DESC',
    });
  },
};
