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
import { Customer } from './customer.entity';
import { User } from './user.entity';

/** A note on the customer (not on one ticket): the workspace's notes tab. */
@ObjectType()
@Entity({ tableName: 'customer_note' })
@Index({ properties: ['customer', 'createdAt', 'id'] })
export class CustomerNote {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Customer, ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  author?: Ref<User>;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
