import type { EntityManager } from '@mikro-orm/postgresql';
import { rawRows } from '../../../db/raw-sql';
import { KnowledgeBaseType } from '../../../entities/enums';
import { foldText } from '../../tickets/ticket-filter';

/**
 * The bot's second step: the customer-service article that best covers the
 * buyer's words, or none. Matching weighs each term (folded syllables and
 * pairs of adjacent syllables, since Vietnamese words are mostly two
 * syllables: "đổi trả", "vận chuyển") by its inverse document frequency
 * over the articles, so a word most articles share ("hàng") says little and
 * a word only one holds ("ship") says much. An article's score is the share
 * of the message's weight it covers; it answers only with a score of at
 * least MIN_SCORE and MIN_MARGIN above the next article, so a message that
 * shares one common word with an article, or that two articles cover
 * alike, falls through to the templates and the handoff.
 */
export const MIN_SCORE = 0.4;
export const MIN_MARGIN = 0.15;
/** A term found in the title or keywords counts whole; one found only in the body counts this much. */
const BODY_WEIGHT = 0.4;
/**
 * A term no article holds weighs this share of a term one article holds:
 * it may be a topic no article covers ("màu xanh"), or a filler word the
 * stop list lacks, so it pulls the score down without ruling a match out.
 */
const UNKNOWN_WEIGHT = 0.5;
/**
 * A lone syllable says less than a pair: Vietnamese words are mostly two
 * syllables, and one syllable of them ("chính" of "chính hãng") often
 * belongs to another word ("chính sách").
 */
const SYLLABLE_WEIGHT = 0.7;
const MAX_TERMS = 40;

/**
 * A syllable as written, lower case, its tone mark moved to the end so both
 * placements match ("hủy" and "huỷ" are one word), and folded (no marks).
 */
type Syllable = { written: string; folded: string };

/** Combining grave, acute, tilde, hook above and dot below: the five tone marks. */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;

function syllable(word: string): Syllable {
  const decomposed = word.normalize('NFD');
  const tones = decomposed.match(TONE_MARKS) ?? [];
  const written = decomposed.replace(TONE_MARKS, '').normalize('NFC') + tones.join('');
  return { written, folded: foldText(word) };
}

/**
 * Pronouns, particles, greetings and question words that say nothing about
 * the topic ("cho mình hỏi ... bao nhiêu vậy shop"), as written with
 * diacritics: "của" is one, "cửa" ("cửa hàng") is not. A syllable typed
 * without diacritics is checked against their folded forms instead.
 */
const STOP_LIST = (
  'à ạ á ơi nhé nha nhỉ vậy thế thì là có của và với cho tôi mình bạn em anh chị shop ' +
  'ad admin ak k ko không được đã đang sẽ rồi nào gì sao hỏi muốn cần làm giúp xin chào cảm ơn ' +
  'hả hen này kia đó ấy như mà nếu cũng nhưng các một rất quá hay hoặc vui lòng oke ok ừ ' +
  'nữa đi luôn tui tớ cậu người mấy ở đâu về bị ' +
  'the i you we me my an is are to of do does how what can please hi hello'
).split(' ');

/** Question phrases whose syllables mean something else alone ("bảo hành" folds like "bao"). */
const STOP_PHRASES = ['bao nhiêu', 'như thế nào', 'thế nào', 'bao giờ', 'bao lâu', 'khi nào'].map(
  (phrase) => phrase.split(' ').map(syllable),
);

/**
 * Common chat spellings (teencode, missing letters) and the words they
 * stand for, so "ko dc" and "bn" mean what "không được" and "bao nhiêu" do.
 */
const CHAT_SPELLINGS: Readonly<Record<string, string>> = {
  bn: 'bao nhiêu',
  nhiu: 'nhiêu',
  hok: 'không',
  hong: 'không',
  kh: 'không',
  khum: 'không',
  hem: 'không',
  dk: 'được',
  dc: 'được',
  đc: 'được',
  j: 'gì',
  z: 'vậy',
  v: 'vậy',
  ntn: 'như thế nào',
  mk: 'mình',
  mik: 'mình',
  e: 'em',
  ng: 'người',
  sp: 'sản phẩm',
  sz: 'size',
  shiper: 'shipper',
  tks: 'cảm ơn',
  thanks: 'cảm ơn',
  vc: 'vận chuyển',
  vs: 'với',
  r: 'rồi',
  ns: 'nói',
  bh: 'bao giờ',
  tt: 'thanh toán',
  ck: 'chuyển khoản',
  sdt: 'số điện thoại',
};

/** Typed without any mark: "hang" may be "hàng" or "hãng", so only the folded form says what it is. */
const bare = (s: Syllable) => s.written === s.folded;

const STOP_SYLLABLES = STOP_LIST.map(syllable);
const STOP_WORDS = new Set(STOP_SYLLABLES.map((s) => s.written));
const FOLDED_STOP_WORDS = new Set(STOP_SYLLABLES.map((s) => s.folded));

const isStopWord = (s: Syllable) =>
  STOP_WORDS.has(s.written) || (bare(s) && FOLDED_STOP_WORDS.has(s.folded));

const sameWord = (s: Syllable, word: Syllable) =>
  s.written === word.written || (bare(s) && s.folded === word.folded);

/** The syllables of one phrase, chat spellings spelled out. */
function syllables(phrase: string): Syllable[] {
  return phrase
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .flatMap((word) => (CHAT_SPELLINGS[word] ?? word).split(' '))
    .map(syllable);
}

/** Punctuation ends a phrase: a pair of syllables never spans two (nor two keywords). */
const phrases = (text: string) => text.split(/[,;.!?\n()]+/);

/** Each phrase's meaningful syllables: stop phrases and stop words left out. */
function meaningfulPhrases(text: string): Syllable[][] {
  return phrases(text).map((phrase) => {
    const all = syllables(phrase);
    const kept = all.map((s) => !isStopWord(s));
    for (const stop of STOP_PHRASES)
      for (let i = 0; i + stop.length <= all.length; i += 1)
        if (stop.every((word, k) => sameWord(all[i + k]!, word)))
          kept.fill(false, i, i + stop.length);
    return all.filter((_, i) => kept[i]);
  });
}

/** A pair of neighbours, order ignored ("tiền hoàn" is "hoàn tiền"). */
const pairKey = (a: string, b: string) => (a < b ? `${a}+${b}` : `${b}+${a}`);

/** How a message's syllable is looked up: as written when it carries marks, else folded. */
const queryKey = (s: Syllable) => (bare(s) ? s.folded : s.written);

/** The message's distinct terms: syllables and neighbour pairs, as looked up. */
export function searchTerms(text: string): { syllables: string[]; pairs: string[] } {
  const single = new Set<string>();
  const pairs = new Set<string>();
  for (const phrase of meaningfulPhrases(text)) {
    phrase.forEach((s, i) => {
      single.add(queryKey(s));
      const next = phrase[i + 1];
      if (next) pairs.add(pairKey(queryKey(s), queryKey(next)));
    });
  }
  return { syllables: [...single].slice(0, MAX_TERMS), pairs: [...pairs].slice(0, MAX_TERMS) };
}

/** Every key under which an article's text is found: each syllable and pair as written and folded. */
function articleKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const phrase of meaningfulPhrases(text)) {
    phrase.forEach((s, i) => {
      keys.add(s.written).add(s.folded);
      const next = phrase[i + 1];
      if (!next) return;
      for (const a of [s.written, s.folded])
        for (const b of [next.written, next.folded]) keys.add(pairKey(a, b));
    });
  }
  return keys;
}

type IndexedArticle = {
  id: string;
  title: string;
  body: string;
  /** Term -> 1 (title or keywords) or BODY_WEIGHT (body only). */
  terms: Map<string, number>;
};

type Index = { stamp: string; articles: IndexedArticle[]; df: Map<string, number> };

function indexArticle(row: { id: string; title: string; body: string; keywords: string }) {
  const terms = new Map<string, number>();
  for (const key of articleKeys(row.body)) terms.set(key, BODY_WEIGHT);
  for (const key of articleKeys(`${row.title}, ${row.keywords}`)) terms.set(key, 1);
  return { id: row.id, title: row.title, body: row.body, terms };
}

export function buildIndex(
  stamp: string,
  rows: { id: string; title: string; body: string; keywords: string }[],
): Index {
  const articles = rows.map(indexArticle);
  const df = new Map<string, number>();
  for (const article of articles)
    for (const term of article.terms.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  return { stamp, articles, df };
}

/** BM25's inverse document frequency: never negative, highest for a term one article holds. */
const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

export type RankedArticle = { articleId: string; title: string; body: string; score: number };

/** Every article with a score above 0, best first. */
export function rank(index: Index, text: string): RankedArticle[] {
  const n = index.articles.length;
  const found = searchTerms(text);
  const weight = (term: string, kind: number) => {
    const df = index.df.get(term) ?? 0;
    return kind * (df === 0 ? UNKNOWN_WEIGHT * idf(n, 1) : idf(n, df));
  };
  const terms = [
    ...found.syllables.map((term) => ({ term, weight: weight(term, SYLLABLE_WEIGHT) })),
    ...found.pairs
      .filter((pair) => index.df.has(pair))
      .map((term) => ({ term, weight: weight(term, 1) })),
  ];
  if (terms.length === 0 || n === 0) return [];
  const total = terms.reduce((sum, term) => sum + term.weight, 0);
  // A pair no article holds adds nothing its two syllables do not already say, except
  // against an article holding one of them: there that syllable belongs to another word.
  const strayPairs = found.pairs
    .filter((pair) => !index.df.has(pair))
    .map((pair) => ({ parts: pair.split('+'), weight: weight(pair, 1) }));
  return index.articles
    .map((article) => {
      let covered = 0;
      for (const { term, weight: w } of terms) covered += (article.terms.get(term) ?? 0) * w;
      let stray = 0;
      for (const { parts, weight: w } of strayPairs)
        if (parts.filter((part) => article.terms.has(part)).length === 1) stray += w;
      return {
        articleId: article.id,
        title: article.title,
        body: article.body,
        score: covered / (total + stray),
      };
    })
    .filter((ranked) => ranked.score > 0)
    .sort((a, b) => b.score - a.score);
}

export type KnowledgeBaseMatch = RankedArticle & { margin: number };

/** The best article if it clears MIN_SCORE by MIN_MARGIN over the runner-up, else null. */
export function decide(ranked: RankedArticle[]): KnowledgeBaseMatch | null {
  const [best, second] = ranked;
  if (!best) return null;
  const margin = best.score - (second?.score ?? 0);
  return best.score >= MIN_SCORE && margin >= MIN_MARGIN ? { ...best, margin } : null;
}

export interface KnowledgeBaseMatcher {
  /** The article that answers `text`, or null (see MIN_SCORE, MIN_MARGIN). */
  find(em: EntityManager, text: string): Promise<KnowledgeBaseMatch | null>;
}

/**
 * The customer-service articles' term index, held by one bot and rebuilt
 * when the articles change: each lookup first reads their count and latest
 * update (one indexed aggregate), so an edit through the API, or on another
 * instance, is seen by the next message.
 */
export function createKnowledgeBaseMatcher(): KnowledgeBaseMatcher {
  let index: Index | null = null;
  let building: { stamp: string; index: Promise<Index> } | null = null;

  async function current(em: EntityManager): Promise<Index> {
    const [row] = await rawRows<{ stamp: string }>(
      em,
      `select count(*) || '/' || coalesce(max("updated_at")::text, '') as "stamp"
         from "knowledge_base_article" where "type" = ?`,
      [KnowledgeBaseType.CUSTOMER_SERVICE],
    );
    const stamp = row?.stamp ?? '';
    if (index?.stamp === stamp) return index;
    // Messages arriving together share one rebuild.
    if (building?.stamp !== stamp) {
      const started = {
        stamp,
        index: rawRows<{ id: string; title: string; body: string; keywords: string }>(
          em,
          `select "id", "title", "body", "keywords" from "knowledge_base_article" where "type" = ? order by "id"`,
          [KnowledgeBaseType.CUSTOMER_SERVICE],
        )
          .then((rows) => (index = buildIndex(stamp, rows)))
          .finally(() => {
            if (building === started) building = null;
          }),
      };
      building = started;
    }
    return building.index;
  }

  return {
    async find(em, text) {
      if (searchTerms(text).syllables.length === 0) return null;
      return decide(rank(await current(em), text));
    },
  };
}
