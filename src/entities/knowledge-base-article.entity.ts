import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { KnowledgeBaseType } from './enums';

@ObjectType()
@Entity({ tableName: 'knowledge_base_article' })
@Index({
  name: 'knowledge_base_article_search_idx',
  expression:
    'create index "knowledge_base_article_search_idx" on "knowledge_base_article" using gin (to_tsvector(\'simple\', "title" || \' \' || "keywords" || \' \' || "body"))',
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
