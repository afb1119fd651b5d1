import { randomUUID } from 'node:crypto';
import {
  Collection,
  Entity,
  Enum,
  Index,
  ManyToMany,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Branch } from './branch.entity';
import { CustomerLabelLink } from './customer-label-link.entity';
import { CustomerLabel } from './customer-label.entity';
import { Gender } from './enums';

@ObjectType()
@Entity({ tableName: 'customer' })
@Index({ properties: ['createdAt', 'id'] })
// Incremental exports read customers in (updated_at, id) order from a cursor.
@Index({ properties: ['updatedAt', 'id'] })
export class Customer {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'text' })
  fullName!: string;

  /** E.164, e.g. +84912345678. */
  @Field({ nullable: true })
  @Index()
  @Property({ type: 'text', nullable: true })
  phone?: string;

  @Field({ nullable: true })
  @Index()
  @Property({ type: 'text', nullable: true })
  email?: string;

  @Field({ nullable: true, description: 'ISO date, YYYY-MM-DD' })
  @Property({ type: 'date', nullable: true })
  birthday?: string;

  @Field(() => Gender, { nullable: true })
  @Enum({ items: () => Gender, nativeEnumName: 'gender', nullable: true })
  gender?: Gender;

  @ManyToOne({ entity: () => Branch, ref: true, nullable: true, index: true })
  branch?: Ref<Branch>;

  @ManyToMany({ entity: () => CustomerLabel, pivotEntity: () => CustomerLabelLink, owner: true })
  labels = new Collection<CustomerLabel>(this);

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  notes?: string;

  /**
   * Set on a tombstone: this record was merged into that survivor. Lookups by
   * the old id answer with the survivor; the row stays so an un-merge can
   * restore it exactly. Always one hop: a merge re-points older tombstones.
   */
  @ManyToOne({ entity: () => Customer, ref: true, nullable: true, index: true })
  mergedInto?: Ref<Customer>;

  /** Personal data was erased (right to be forgotten); the row is a pseudonym kept for accounting. */
  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  erasedAt?: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
