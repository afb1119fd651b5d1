import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Conversation, Message } from '../entities';
import type { ConversationStatus } from '../entities/enums';
import { assertId, assertIds, notFound } from './errors';
import { keysetPage, type Page, type PageRequest } from './keyset';

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
  list(
    em: EntityManager,
    filter: ConversationListFilter,
    page: PageRequest,
  ): Promise<Page<Conversation>> {
    return keysetPage(em, Conversation, buildWhere(filter), page, {
      field: 'updatedAt',
      direction: 'DESC',
    });
  },

  async get(em: EntityManager, id: string): Promise<Conversation> {
    const conversation = await em.findOne(Conversation, { id: assertId(id) });
    if (!conversation) throw notFound('Conversation', id);
    return conversation;
  },

  /** Newest first, as a chat client scrolls back in time. */
  messages(em: EntityManager, conversationId: string, page: PageRequest): Promise<Page<Message>> {
    return keysetPage(em, Message, { conversation: conversationId }, page, {
      field: 'sentAt',
      direction: 'DESC',
    });
  },
};
