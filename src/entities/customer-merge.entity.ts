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

/**
 * One merge, with everything needed to undo it exactly: which rows of which
 * table pointed at which customer, the survivor's fields before the chosen
 * values overwrote them, label links, identities and older tombstones.
 * Shape: see MergeBeforeState in services/customer-merge.service.ts.
 */
@ObjectType()
@Entity({ tableName: 'customer_merge' })
@Index({ properties: ['survivor', 'createdAt'] })
export class CustomerMerge {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Customer, ref: true })
  survivor!: Ref<Customer>;

  @Field(() => [ID])
  @Property({ type: 'json' })
  mergedIds!: string[];

  /** MergeBeforeState; null once an erasure removed the personal data it held. */
  @Property({ type: 'json', nullable: true })
  before?: unknown;

  @ManyToOne({ entity: () => User, ref: true, nullable: true })
  actor?: Ref<User>;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  undoneAt?: Date;
}
