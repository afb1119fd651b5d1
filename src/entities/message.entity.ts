import { randomUUID } from 'node:crypto';
import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Channel } from './channel.entity';
import { Conversation } from './conversation.entity';
import { MessageDirection, MessageSender } from './enums';
import { User } from './user.entity';

@ObjectType()
@Entity({ tableName: 'message' })
@Unique({ properties: ['channel', 'externalMessageId'] })
@Index({ properties: ['conversation', 'sentAt', 'id'] })
export class Message {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Conversation, ref: true, deleteRule: 'cascade' })
  conversation!: Ref<Conversation>;

  /** Kept on the message so that the dedup constraint is a plain unique index. */
  @ManyToOne({ entity: () => Channel, ref: true, index: true })
  channel!: Ref<Channel>;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  externalMessageId?: string;

  @Field(() => MessageDirection)
  @Enum({ items: () => MessageDirection, nativeEnumName: 'message_direction' })
  direction!: MessageDirection;

  @Field(() => MessageSender)
  @Enum({ items: () => MessageSender, nativeEnumName: 'message_sender' })
  sender!: MessageSender;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  author?: Ref<User>;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field({ nullable: true, description: 'For bot answers: which fallback step answered.' })
  @Property({ type: 'text', nullable: true })
  botStep?: string;

  @Field()
  @Property({ type: 'timestamptz' })
  sentAt!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
