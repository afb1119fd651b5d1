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
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Channel } from './channel.entity';
import { Conversation } from './conversation.entity';
import { BotStep, MessageDirection, MessageSender, MessageStatus } from './enums';
import { User } from './user.entity';

@ObjectType({ description: 'A file, image or link sent with a message.' })
export class MessageAttachment {
  @Field({ description: 'image, video, audio, file, link, sticker, location, ...' })
  type!: string;

  @Field({ nullable: true })
  url?: string;

  @Field({ nullable: true })
  name?: string;
}

@ObjectType()
@Entity({ tableName: 'message' })
@Unique({ properties: ['channel', 'externalMessageId'] })
@Index({ properties: ['conversation', 'sentAt', 'id'] })
// aiStats reads the bot's messages of a time window only.
@Index({
  name: 'message_bot_sent_at_idx',
  expression:
    'create index "message_bot_sent_at_idx" on "message" ("sent_at") where "bot_step" is not null',
})
export class Message {
  [OptionalProps]?: 'createdAt' | 'status' | 'attachments' | 'attempts';

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

  @Field(() => MessageStatus)
  @Enum({
    items: () => MessageStatus,
    nativeEnumName: 'message_status',
    default: MessageStatus.RECEIVED,
  })
  status: MessageStatus = MessageStatus.RECEIVED;

  /** `[{ type, url, name? }]` as the platform or the agent gave them. */
  @Field(() => [MessageAttachment])
  @Property({ type: 'json', default: '[]' })
  attachments: MessageAttachment[] = [];

  @Field(() => BotStep, {
    nullable: true,
    description: 'For bot answers: which fallback step answered.',
  })
  @Enum({ items: () => BotStep, nativeEnumName: 'bot_step', nullable: true })
  botStep?: BotStep;

  @Field(() => Int, {
    nullable: true,
    description: 'For bot answers: ms from the push to the answer.',
  })
  @Property({ type: 'integer', nullable: true })
  botLatencyMs?: number;

  /** Outbound delivery: tries so far, the last failure, and when to try again. */
  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  sentAt!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
