import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { User } from './user.entity';

export enum ApiKeyScope {
  ORDERS_READ = 'ORDERS_READ',
  EXPORT = 'EXPORT',
}

/** A partner app's credential: only the SHA-256 of the secret is stored. */
@ObjectType()
@Entity({ tableName: 'api_key' })
export class ApiKey {
  [OptionalProps]?: 'createdAt' | 'scopes';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'text' })
  name!: string;

  /** The first characters of the secret, shown so people can tell keys apart. */
  @Field()
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text', unique: true, hidden: true })
  secretHash!: string;

  @Field(() => [ID], { description: 'Channels (shops) whose orders the key may read.' })
  @Property({ type: 'uuid[]' })
  channelIds!: string[];

  @Field(() => [ApiKeyScope])
  @Property({ type: 'text[]', default: '{ORDERS_READ}' })
  scopes: ApiKeyScope[] = [ApiKeyScope.ORDERS_READ];

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  createdBy?: Ref<User>;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date;
}
