import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { KnowledgeBaseType } from './enums';

/** Latin letters with diacritics (every Vietnamese one, either case) and what they fold to. */
const ACCENTED =
  'ÀÁÂÃÈÉÊÌÍÎÒÓÔÕÙÚÛÝàáâãèéêìíîòóôõùúûýĂăĔĕĨĩĬĭŎŏŨũŬŭŶŷƠơƯưṌṍṸṹẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹđĐ';
const PLAIN =
  'aaaaeeeiiioooouuuyaaaaeeeiiioooouuuyaaeeiiiioouuuuyyoouuoouuaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyydd';

/**
 * The article's text folded like services/ticket-filter.ts foldText (lower
 * case, no diacritics) as a tsvector, in SQL: buyers often type without
 * diacritics, so the bot's knowledge-base step searches this, and a GIN
 * index on the same expression serves it. `translate` after `lower` because
 * `lower` leaves accented capitals alone under the C locale.
 */
export const KNOWLEDGE_BASE_FOLDED_TSVECTOR = `to_tsvector('simple', translate(lower("title" || ' ' || "keywords" || ' ' || "body"), '${ACCENTED}', '${PLAIN}'))`;

@ObjectType()
@Entity({ tableName: 'knowledge_base_article' })
@Index({
  name: 'knowledge_base_article_search_idx',
  expression:
    'create index "knowledge_base_article_search_idx" on "knowledge_base_article" using gin (to_tsvector(\'simple\', "title" || \' \' || "keywords" || \' \' || "body"))',
})
@Index({
  name: 'knowledge_base_article_folded_search_idx',
  expression: `create index "knowledge_base_article_folded_search_idx" on "knowledge_base_article" using gin (${KNOWLEDGE_BASE_FOLDED_TSVECTOR})`,
})
export class KnowledgeBaseArticle {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'keywords';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => KnowledgeBaseType)
  @Enum({ items: () => KnowledgeBaseType, nativeEnumName: 'knowledge_base_type' })
  @Index()
  type!: KnowledgeBaseType;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field()
  @Property({ type: 'text', default: '' })
  keywords: string = '';

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
