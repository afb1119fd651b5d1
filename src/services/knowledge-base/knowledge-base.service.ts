import type { FilterQuery } from '@mikro-orm/postgresql';
import { knowledgeBaseScope, within } from '../../auth/scopes';
import { KnowledgeBaseArticle } from '../../entities';
import type { KnowledgeBaseType } from '../../entities/enums';
import { audit } from '../shared/audit';
import { assertId, badInput, DomainError, notFound } from '../../kernel/errors';
import { emptyPage, keysetPage, type Page, type PageRequest } from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';
import { MAX_LENGTH } from '../../kernel/text-limits';
import { requiredText } from '../shared/unique-code';
import { anyFieldContaining, searchText } from '../shared/like-pattern';

export type KnowledgeBaseFilter = { type?: KnowledgeBaseType | null; search?: string | null };

export type KnowledgeBaseArticleInput = {
  type: KnowledgeBaseType;
  title: string;
  body: string;
  keywords?: string | null;
};

export type KnowledgeBaseArticleChanges = {
  type?: KnowledgeBaseType | null;
  title?: string | null;
  body?: string | null;
  keywords?: string | null;
};

/** BR-CRM-007 for writes: a team leader writes only their team's type (the read scope, again). */
function assertWritableType(scope: RequestScope, type: KnowledgeBaseType): void {
  const own = knowledgeBaseScope(scope.viewer);
  const locked = own !== null && typeof own === 'object' && 'type' in own ? own.type : undefined;
  if (own === null || (locked !== undefined && locked !== type)) {
    throw new DomainError('FORBIDDEN', `Your role may not write ${type} articles`, {
      reason: 'KNOWLEDGE_BASE_TYPE',
    });
  }
}

/** An article the viewer may write: one outside their scope is NOT_FOUND, as for reads. */
async function writableArticle(scope: RequestScope, id: string): Promise<KnowledgeBaseArticle> {
  const articleId = assertId(id);
  const where = within(knowledgeBaseScope(scope.viewer), { id: articleId });
  const article = where ? await scope.em.findOne(KnowledgeBaseArticle, where) : null;
  if (!article) throw notFound('KnowledgeBaseArticle', articleId);
  return article;
}

export const knowledgeBaseService = {
  async create(
    scope: RequestScope,
    input: KnowledgeBaseArticleInput,
  ): Promise<KnowledgeBaseArticle> {
    const { em, viewer } = scope;
    const title = requiredText(input.title, 'title');
    const body = requiredText(input.body, 'body');
    assertWritableType(scope, input.type);
    const article = em.create(KnowledgeBaseArticle, {
      type: input.type,
      title,
      body,
      keywords: (input.keywords ?? '').trim(),
    });
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'knowledge_base_article_created',
      entityType: 'KnowledgeBaseArticle',
      entityId: article.id,
      data: { type: article.type, title },
    });
    return article;
  },

  async update(
    scope: RequestScope,
    id: string,
    input: KnowledgeBaseArticleChanges,
  ): Promise<KnowledgeBaseArticle> {
    const { em, viewer } = scope;
    if (input.type === null) throw badInput('type must not be null', 'type');
    const title = input.title === undefined ? undefined : requiredText(input.title, 'title');
    const body = input.body === undefined ? undefined : requiredText(input.body, 'body');
    const keywords = input.keywords === undefined ? undefined : (input.keywords ?? '').trim();
    const article = await writableArticle(scope, id);
    if (input.type !== undefined) assertWritableType(scope, input.type);
    const changed: string[] = [];
    const set = <K extends 'type' | 'title' | 'body' | 'keywords'>(
      field: K,
      value: KnowledgeBaseArticle[K] | undefined,
    ) => {
      if (value === undefined || article[field] === value) return;
      article[field] = value;
      changed.push(field);
    };
    set('type', input.type);
    set('title', title);
    set('body', body);
    set('keywords', keywords);
    if (changed.length === 0) return article;
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'knowledge_base_article_updated',
      entityType: 'KnowledgeBaseArticle',
      entityId: article.id,
      data: { changed, type: article.type },
    });
    return article;
  },

  /** Articles hold no history of their own: the audit row keeps what was removed. */
  async delete(scope: RequestScope, id: string): Promise<string> {
    const { em, viewer } = scope;
    const article = await writableArticle(scope, id);
    const removed = {
      id: article.id,
      type: article.type,
      title: article.title,
      body: article.body,
    };
    em.remove(article);
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'knowledge_base_article_deleted',
      entityType: 'KnowledgeBaseArticle',
      entityId: removed.id,
      data: { type: removed.type, title: removed.title, body: removed.body },
    });
    return removed.id;
  },

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
    const search = searchText(filter.search, MAX_LENGTH.articleSearch);
    if (search) where.$or = anyFieldContaining(['title', 'keywords', 'body'], search);
    const scoped = within(scope, where);
    if (!scoped) return emptyPage(page);
    return keysetPage(em, KnowledgeBaseArticle, scoped, page, {
      field: 'updatedAt',
      direction: 'DESC',
    });
  },
};
