import type { EntityManager } from '@mikro-orm/postgresql';
import { rawRows } from '../../../db/raw-sql';
import type { Platform } from '../../../entities/enums';
import type { ReplyTemplateVariant } from '../../../entities/reply-template.entity';
import {
  bodyFor,
  missingVariables,
  renderTemplate,
  type TemplateValues,
} from '../reply-template-text';
import { words } from './intents';

export type TemplateMatch = { templateId: string; name: string; body: string };

/** Matching templates looked at: one whose variables the bot cannot fill gives way to the next. */
const CANDIDATES = 5;

/**
 * The bot's third step: an active reply template one of whose (folded)
 * keywords occurs as whole words in the folded message. A template of the
 * channel's platform wins over a general one; among those, the longest
 * matching keyword (the most specific) wins. The answer is the template's
 * wording for the platform with its variables filled; a template needing a
 * value the bot does not have (an order id) is skipped.
 */
export async function findTemplate(
  em: EntityManager,
  text: string,
  platform: Platform,
  values: TemplateValues,
): Promise<TemplateMatch | null> {
  const padded = words(text);
  if (padded.trim() === '') return null;
  const rows = await rawRows<{
    id: string;
    name: string;
    body: string;
    variants: ReplyTemplateVariant[];
  }>(
    em,
    `select t."id", t."name", t."body", t."variants"
       from "reply_template" t
       cross join lateral (
         select max(length(k)) as "longest"
           from unnest(t."keywords") as k
          where btrim(k) <> '' and position(' ' || btrim(k) || ' ' in ?) > 0
       ) m
      where t."active" and (t."platform" = ? or t."platform" is null) and m."longest" is not null
      order by (t."platform" is null), m."longest" desc, t."updated_at" desc
      limit ${CANDIDATES}`,
    [padded, platform],
  );
  for (const row of rows) {
    const body = bodyFor(row, platform);
    if (missingVariables(body, values).length > 0) continue;
    return { templateId: row.id, name: row.name, body: renderTemplate(body, values) };
  }
  return null;
}
