import { randomUUID } from 'node:crypto';
import {
  Collection,
  Entity,
  Enum,
  ManyToMany,
  OptionalProps,
  PrimaryKey,
  Property,
} from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Branch } from './branch.entity';
import { Role } from './enums';
import { UserBranch } from './user-branch.entity';

@ObjectType()
@Entity({ tableName: 'app_user' })
export class User {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'active' | 'sessionVersion';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'text', unique: true })
  email!: string;

  /** scrypt hash in PHC-like form; never exposed. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Field()
  @Property({ type: 'text' })
  fullName!: string;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'user_role' })
  role!: Role;

  @ManyToMany({ entity: () => Branch, pivotEntity: () => UserBranch, owner: true })
  branches = new Collection<Branch>(this);

  @Field()
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /**
   * Carried in every session token; raising it ends every session signed
   * before (a password change or reset). Never exposed.
   */
  @Property({ type: 'integer', default: 0, hidden: true })
  sessionVersion: number = 0;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
