import { randomUUID } from 'node:crypto';
import {
  Entity,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Ticket } from './ticket.entity';
import { User } from './user.entity';

/** Append-only: one row per changed field, written in the change's transaction. */
@ObjectType()
@Entity({ tableName: 'ticket_history' })
@Index({ properties: ['ticket', 'createdAt'] })
export class TicketHistory {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Ticket, ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  actor?: Ref<User>;

  @Field()
  @Property({ type: 'text' })
  field!: string;

  @Field(() => GraphQLJSON, { nullable: true })
  @Property({ type: 'json', nullable: true })
  before?: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  @Property({ type: 'json', nullable: true })
  after?: unknown;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
