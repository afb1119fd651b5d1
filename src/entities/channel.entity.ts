import { randomUUID } from 'node:crypto';
import {
  Entity,
  Enum,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Branch } from './branch.entity';
import { ChannelStatus, Platform } from './enums';

/** A connected shop, page or official account on one platform. */
@ObjectType()
@Entity({ tableName: 'channel' })
@Unique({ properties: ['platform', 'externalShopId'] })
export class Channel {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'status';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Platform)
  @Enum({ items: () => Platform, nativeEnumName: 'platform' })
  platform!: Platform;

  @Field()
  @Property({ type: 'text' })
  externalShopId!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  /** Sendo signs nothing: pushes are matched against this shop key instead. */
  @Property({ type: 'text', nullable: true, hidden: true })
  shopKey?: string;

  /** Sendo's per-shop secret_key for POST /login; never exposed. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  shopSecret?: string;

  /**
   * The seller's order-API access token (Lazada, Shopee, TikTok Shop, Tiki).
   * Hidden and lazy: no GraphQL field and no default select reads it; only
   * the order-API path loads it (`populate: ['accessToken']`).
   */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  accessToken?: string;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  tokenExpiresAt?: Date;

  /**
   * The expiry the last token alert was about, and when it was raised: a
   * channel is alerted at most once a business day per expiry, and a renewed
   * token (a new expiry) is alerted afresh.
   */
  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  tokenAlertedFor?: Date;

  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  tokenAlertedAt?: Date;

  @Field(() => ChannelStatus)
  @Enum({
    items: () => ChannelStatus,
    nativeEnumName: 'channel_status',
    default: ChannelStatus.ACTIVE,
  })
  status: ChannelStatus = ChannelStatus.ACTIVE;

  @ManyToOne({ entity: () => Branch, ref: true, nullable: true, index: true })
  branch?: Ref<Branch>;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
