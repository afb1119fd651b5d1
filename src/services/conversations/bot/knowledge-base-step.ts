import type { EntityManager } from '@mikro-orm/postgresql';
import { rawRows } from '../../../db/raw-sql';
import { KNOWLEDGE_BASE_FOLDED_TSVECTOR } from '../../../entities/knowledge-base-article.entity';
import { KnowledgeBaseType } from '../../../entities/enums';
import { words } from './intents';

/**
 * The bot's second step: the customer-service article that best covers the
 * buyer's words. Candidates come from the folded full-text index (any word
 * matching), ranked by ts_rank; the best one answers only if it covers at
 * least MIN_COVERAGE of the message's meaningful words (and two of them
 * when the message has two or more), so one shared word such as "đơn"
 * ("order") does not pick an unrelated article.
 */
export const MIN_COVERAGE = 0.5;
const CANDIDATES = 5;
const MAX_TERMS = 20;

/**
 * Folded pronouns, particles and question words that say nothing about the
 * topic ("cho mình hỏi ... bao nhiêu vậy shop").
 */
const STOP_WORDS = new Set(
  (
    'a ah a oi oi nhe nha nhi vay the thi la co cua va voi cho toi minh ban em anh chi shop ' +
    'ad admin ak k ko khong duoc da dang se roi nao gi sao bao nhieu hoi muon can lam giup ' +
    'xin chao cam on the i you we me my the an is are to of do does how what can please hi hello'
  ).split(' '),
);

/** The message's distinct meaningful folded words, in order. */
export function searchTerms(text: string): string[] {
  const terms = words(text)
    .trim()
    .split(' ')
    .filter((word) => word.length > 0 && !STOP_WORDS.has(word));
  return [...new Set(terms)].slice(0, MAX_TERMS);
}

export type KnowledgeBaseMatch = {
  articleId: string;
  title: string;
  body: string;
  coverage: number;
};

export async function findArticle(
  em: EntityManager,
  text: string,
): Promise<KnowledgeBaseMatch | null> {
  const terms = searchTerms(text);
  if (terms.length === 0) return null;
  // Terms are [a-z0-9]+ only (see words()), so joining them is a safe tsquery.
  const query = terms.join(' | ');
  const rows = await rawRows<{ id: string; title: string; body: string; keywords: string }>(
    em,
    `select "id", "title", "body", "keywords"
       from "knowledge_base_article"
      where "type" = ? and ${KNOWLEDGE_BASE_FOLDED_TSVECTOR} @@ to_tsquery('simple', ?)
      order by ts_rank(${KNOWLEDGE_BASE_FOLDED_TSVECTOR}, to_tsquery('simple', ?)) desc, "updated_at" desc
      limit ${CANDIDATES}`,
    [KnowledgeBaseType.CUSTOMER_SERVICE, query, query],
  );
  const needed = Math.min(2, terms.length);
  let best: KnowledgeBaseMatch | null = null;
  for (const row of rows) {
    const vocabulary = new Set(words(`${row.title} ${row.keywords} ${row.body}`).trim().split(' '));
    const matched = terms.filter((term) => vocabulary.has(term)).length;
    const coverage = matched / terms.length;
    if (matched < needed || coverage < MIN_COVERAGE) continue;
    if (!best || coverage > best.coverage) {
      best = { articleId: row.id, title: row.title, body: row.body, coverage };
    }
  }
  return best;
}
