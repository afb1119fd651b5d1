import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Platform } from './enums';

/** The wording of a template on one platform (a Zalo greeting differs from a Shopee one). */
@ObjectType()
export class ReplyTemplateVariant {
  @Field(() => Platform)
  platform!: Platform;

  @Field()
  body!: string;
}

/**
 * Canned answers: the bot's third step (after the AI provider and the
 * knowledge base) when a buyer's message matches one of its keywords, and
 * canned replies for agents (sendMessage templateId). Bodies may hold the
 * variables of services/conversations/reply-template-text.ts.
 */
@ObjectType()
@Entity({ tableName: 'reply_template' })
export class ReplyTemplate {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'keywords' | 'active' | 'variants';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => [String], { description: 'Folded (lower case, no diacritics) words or phrases.' })
  @Property({ type: 'text[]', default: '{}' })
  keywords: string[] = [];

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field(() => Platform, {
    nullable: true,
    description: 'Offered only on this platform; null: every platform.',
  })
  @Enum({ items: () => Platform, nativeEnumName: 'platform', nullable: true })
  platform?: Platform;

  @Field(() => [ReplyTemplateVariant], {
    description: 'Platform-specific bodies; a platform without one gets `body`.',
  })
  @Property({ type: 'jsonb', default: '[]' })
  variants: ReplyTemplateVariant[] = [];

  @Field()
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
