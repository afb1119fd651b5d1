import type { EntityManager } from '@mikro-orm/postgresql';
import { rawRows } from '../../../db/raw-sql';
import type { Platform } from '../../../entities/enums';
import { words } from './intents';

export type TemplateMatch = { templateId: string; name: string; body: string };

/**
 * The bot's third step: an active reply template one of whose (folded)
 * keywords occurs as whole words in the folded message. A template of the
 * channel's platform wins over a general one; among those, the longest
 * matching keyword (the most specific) wins.
 */
export async function findTemplate(
  em: EntityManager,
  text: string,
  platform: Platform,
): Promise<TemplateMatch | null> {
  const padded = words(text);
  if (padded.trim() === '') return null;
  const [row] = await rawRows<{ id: string; name: string; body: string }>(
    em,
    `select t."id", t."name", t."body"
       from "reply_template" t
       cross join lateral (
         select max(length(k)) as "longest"
           from unnest(t."keywords") as k
          where btrim(k) <> '' and position(' ' || btrim(k) || ' ' in ?) > 0
       ) m
      where t."active" and (t."platform" = ? or t."platform" is null) and m."longest" is not null
      order by (t."platform" is null), m."longest" desc, t."updated_at" desc
      limit 1`,
    [padded, platform],
  );
  return row ? { templateId: row.id, name: row.name, body: row.body } : null;
}
