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
import { Customer } from './customer.entity';
import { ConversationStatus } from './enums';
import { User } from './user.entity';

@ObjectType()
@Entity({ tableName: 'conversation' })
@Unique({ properties: ['channel', 'externalThreadId'] })
@Index({ properties: ['lastMessageAt', 'id'] })
@Index({ properties: ['updatedAt', 'id'] })
// Handoff picks the agent least recently given a conversation: max(assigned_at) per assignee.
@Index({ properties: ['assignee', 'assignedAt'] })
export class Conversation {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'status' | 'unreadCount';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Channel, ref: true })
  channel!: Ref<Channel>;

  @Field()
  @Property({ type: 'text' })
  externalThreadId!: string;

  @ManyToOne({ entity: () => Customer, ref: true, nullable: true, index: true })
  customer?: Ref<Customer>;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  assignee?: Ref<User>;

  @Field(() => ConversationStatus)
  @Enum({
    items: () => ConversationStatus,
    nativeEnumName: 'conversation_status',
    default: ConversationStatus.OPEN,
  })
  @Index()
  status: ConversationStatus = ConversationStatus.OPEN;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  unreadCount: number = 0;

  /** The buyer's id on the platform (PSID, Zalo user id, marketplace buyer id): the send API's recipient. */
  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  externalUserId?: string;

  /** The buyer's last message: platform windows (Messenger's 24 hours) count from it. */
  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastInboundAt?: Date;

  @Field({ nullable: true, description: 'When the bot handed the conversation to a person.' })
  @Property({ type: 'timestamptz', nullable: true })
  handedOffAt?: Date;

  @Field({
    nullable: true,
    description: 'When the current assignee got it (handoff or reassignment).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  assignedAt?: Date;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastMessageAt?: Date;

  @Field({ nullable: true, description: 'The first answer (bot or agent) to the buyer.' })
  @Property({ type: 'timestamptz', nullable: true })
  firstResponseAt?: Date;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
