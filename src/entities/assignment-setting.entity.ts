import { randomUUID } from 'node:crypto';
import {
  Entity,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Branch } from './branch.entity';
import { User } from './user.entity';

/** Whether and how much a user receives tickets in a branch (BR-CRM-003/008: keyed by branch + user). */
@ObjectType()
@Entity({ tableName: 'assignment_setting' })
@Unique({ properties: ['branch', 'user'] })
export class AssignmentSetting {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'active' | 'maxOpenTickets';

  @Field(() => ID, {
    description: 'Stable for a branch and user: an unsaved default has the id it is saved under.',
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Branch, ref: true })
  branch!: Ref<Branch>;

  @ManyToOne({ entity: () => User, ref: true, index: true })
  user!: Ref<User>;

  @Field({ description: 'Receives new tickets and handed-off conversations in this branch.' })
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Field(() => Int, { nullable: true, description: 'Cap on open tickets; null for no cap.' })
  @Property({ type: 'integer', nullable: true })
  maxOpenTickets?: number;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  updatedBy?: Ref<User>;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
