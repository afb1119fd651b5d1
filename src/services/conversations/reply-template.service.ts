/**
 * Reply templates (issue 20.3): canned answers the bot's TEMPLATE step
 * sends when a buyer's words hit a keyword, and agents send with
 * sendMessage(templateId, variables). Who may write them is shield's
 * (auth/permissions.ts); every template belongs to the customer-service
 * team, which answers the buyers.
 */
import type { FilterQuery } from '@mikro-orm/postgresql';
import { ReplyTemplate } from '../../entities';
import type { ReplyTemplateVariant } from '../../entities/reply-template.entity';
import type { Platform } from '../../entities/enums';
import { assertId, badInput, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { MAX_LENGTH, assertMaxLength, requiredText } from '../../kernel/text-limits';
import { audit } from '../shared/audit';
import { anyFieldContaining, searchText } from '../shared/like-pattern';
import { words } from './bot/intents';
import { assertKnownVariables } from './reply-template-text';

const MAX_KEYWORDS = 50;

export type ReplyTemplateFilter = {
  /** Templates offered on this platform (its own and the general ones). */
  platform?: Platform | null;
  /** Words in the name, body or keywords. */
  search?: string | null;
  /** Inactive templates too (hidden by default: agents pick from the active ones). */
  includeInactive?: boolean | null;
};

export type ReplyTemplateFields = {
  name: string;
  body: string;
  keywords?: string[] | null;
  platform?: Platform | null;
  variants?: ReplyTemplateVariant[] | null;
  active?: boolean | null;
};

export type ReplyTemplateChanges = {
  [K in keyof ReplyTemplateFields]?: ReplyTemplateFields[K] | null;
};

const templateName = (raw: string) => requiredText(raw, MAX_LENGTH.personName, 'name');

function templateBody(raw: string, field: string): string {
  const body = requiredText(raw, MAX_LENGTH.messageText, field);
  assertKnownVariables(body, field);
  return body;
}

/** Keywords are matched as whole folded words (see bot/template-step.ts), so they are stored that way. */
function templateKeywords(raw: readonly string[]): string[] {
  if (raw.length > MAX_KEYWORDS) throw badInput(`keywords: at most ${MAX_KEYWORDS}`, 'keywords');
  const keywords = raw.map((keyword, index) => {
    assertMaxLength(keyword, MAX_LENGTH.search, `keywords[${index}]`);
    const folded = words(keyword).trim();
    if (!folded)
      throw badInput(`keywords[${index}]: needs a letter or digit`, `keywords[${index}]`);
    return folded;
  });
  return [...new Set(keywords)];
}

/** One variant per platform, each a valid body, and only for the template's platform when it has one. */
function templateVariants(
  raw: readonly ReplyTemplateVariant[],
  platform: Platform | undefined,
): ReplyTemplateVariant[] {
  const seen = new Set<Platform>();
  return raw.map((variant, index) => {
    const field = `variants[${index}]`;
    if (seen.has(variant.platform))
      throw badInput(`${field}: a second variant for ${variant.platform}`, field);
    if (platform && variant.platform !== platform)
      throw badInput(
        `${field}: the template is offered on ${platform} only, not ${variant.platform}`,
        field,
      );
    seen.add(variant.platform);
    return { platform: variant.platform, body: templateBody(variant.body, `${field}.body`) };
  });
}

async function found({ em }: RequestScope, id: string): Promise<ReplyTemplate> {
  const template = await em.findOne(ReplyTemplate, { id: assertId(id) });
  if (!template) throw notFound('ReplyTemplate', id);
  return template;
}

export const replyTemplateService = {
  async list({ em }: RequestScope, filter: ReplyTemplateFilter): Promise<ReplyTemplate[]> {
    const where: FilterQuery<ReplyTemplate> & Record<string, unknown> = {};
    if (!filter.includeInactive) where.active = true;
    if (filter.platform) where.platform = { $in: [filter.platform, null] };
    const search = searchText(filter.search, MAX_LENGTH.articleSearch);
    if (search) {
      where.$or = [
        ...anyFieldContaining(['name', 'body'], search),
        { keywords: { $overlap: [words(search).trim()] } },
      ];
    }
    return em.find(ReplyTemplate, where, { orderBy: { name: 'asc', id: 'asc' } });
  },

  async create(scope: RequestScope, input: ReplyTemplateFields): Promise<ReplyTemplate> {
    const { em, viewer } = scope;
    const platform = input.platform ?? undefined;
    const template = em.create(ReplyTemplate, {
      name: templateName(input.name),
      body: templateBody(input.body, 'body'),
      keywords: templateKeywords(input.keywords ?? []),
      platform,
      variants: templateVariants(input.variants ?? [], platform),
      active: input.active ?? true,
    });
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'reply_template_created',
      entityType: 'ReplyTemplate',
      entityId: template.id,
      data: { name: template.name, platform: template.platform ?? null },
    });
    return template;
  },

  async update(
    scope: RequestScope,
    id: string,
    input: ReplyTemplateChanges,
  ): Promise<ReplyTemplate> {
    const { em, viewer } = scope;
    for (const field of ['name', 'body', 'keywords', 'variants', 'active'] as const)
      if (input[field] === null) throw badInput(`${field} must not be null`, field);
    const template = await found(scope, id);
    const platform =
      input.platform === undefined ? template.platform : (input.platform ?? undefined);
    const next = {
      name: input.name == null ? template.name : templateName(input.name),
      body: input.body == null ? template.body : templateBody(input.body, 'body'),
      keywords: input.keywords == null ? template.keywords : templateKeywords(input.keywords),
      platform,
      // Kept variants are checked again: a new platform may rule them out.
      variants: templateVariants(input.variants ?? template.variants, platform),
      active: input.active ?? template.active,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
      (field) => JSON.stringify(next[field] ?? null) !== JSON.stringify(template[field] ?? null),
    );
    if (changed.length === 0) return template;
    Object.assign(template, next);
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'reply_template_updated',
      entityType: 'ReplyTemplate',
      entityId: template.id,
      data: { changed },
    });
    return template;
  },

  /** The audit row keeps what was removed. */
  async delete(scope: RequestScope, id: string): Promise<string> {
    const { em, viewer } = scope;
    const template = await found(scope, id);
    const removed = { name: template.name, body: template.body, keywords: template.keywords };
    em.remove(template);
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'reply_template_deleted',
      entityType: 'ReplyTemplate',
      entityId: template.id,
      data: removed,
    });
    return template.id;
  },
};
