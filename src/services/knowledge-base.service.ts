import type { FilterQuery } from '@mikro-orm/postgresql';
import { knowledgeBaseScope, within } from '../auth/scopes';
import { KnowledgeBaseArticle } from '../entities';
import type { KnowledgeBaseType } from '../entities/enums';
import { emptyPage, keysetPage, type Page, type PageRequest } from './keyset';
import type { RequestScope } from './request-scope';
import { MAX_LENGTH, assertMaxLength } from './text-limits';

export type KnowledgeBaseFilter = { type?: KnowledgeBaseType | null; search?: string | null };

export const knowledgeBaseService = {
  /** BR-CRM-007: a team role reads its own team's articles whatever `type` the filter sends. */
  async list(
    { em, viewer }: RequestScope,
    filter: KnowledgeBaseFilter,
    page: PageRequest,
  ): Promise<Page<KnowledgeBaseArticle>> {
    const scope = knowledgeBaseScope(viewer);
    const where: FilterQuery<KnowledgeBaseArticle> & Record<string, unknown> = {};
    const typeLocked = scope !== null && typeof scope === 'object' && 'type' in scope;
    if (filter.type && !typeLocked) where.type = filter.type;
    const search = filter.search?.trim();
    if (search) {
      assertMaxLength(search, MAX_LENGTH.articleSearch, 'search');
      const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.$or = [
        { title: { $ilike: pattern } },
        { keywords: { $ilike: pattern } },
        { body: { $ilike: pattern } },
      ];
    }
    const scoped = within(scope, where);
    if (!scoped) return emptyPage(page);
    return keysetPage(em, KnowledgeBaseArticle, scoped, page, {
      field: 'updatedAt',
      direction: 'DESC',
    });
  },
};
