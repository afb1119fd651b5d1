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
import { Ticket } from './ticket.entity';
import { User } from './user.entity';

@ObjectType()
@Entity({ tableName: 'ticket_note' })
@Index({ properties: ['ticket', 'createdAt'] })
export class TicketNote {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Ticket, ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  author?: Ref<User>;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
