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
import { EncryptedText } from '../db/encrypted-text.type';
import { Branch } from './branch.entity';
import { ChannelStatus, Platform } from './enums';

/** A connected shop, page or official account on one platform. */
@ObjectType()
@Entity({ tableName: 'channel' })
@Unique({ properties: ['platform', 'externalShopId'] })
export class Channel {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'status' | 'refreshFailures';

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

  /** Sendo's per-shop secret_key for POST /login; never exposed, sealed at rest. */
  @Property({ type: EncryptedText, nullable: true, hidden: true, lazy: true })
  shopSecret?: string;

  /**
   * The seller's order-API access token (Lazada, Shopee, TikTok Shop, Tiki).
   * Hidden and lazy: no GraphQL field and no default select reads it; only
   * the order-API path loads it (`populate: ['accessToken']`). Sealed at
   * rest with CREDENTIALS_KEY (db/credential-cipher.ts).
   */
  @Property({ type: EncryptedText, nullable: true, hidden: true, lazy: true })
  accessToken?: string;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  tokenExpiresAt?: Date;

  /** From the OAuth flow; single use on Shopee and Zalo. Sealed at rest like the access token. */
  @Property({ type: EncryptedText, nullable: true, hidden: true, lazy: true })
  refreshToken?: string;

  @Field({
    nullable: true,
    description: 'When the refresh token ends; the seller must authorize again by then.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  refreshTokenExpiresAt?: Date;

  @Field({
    nullable: true,
    description: "When the seller's authorization itself ends (Shopee: at most 365 days).",
  })
  @Property({ type: 'timestamptz', nullable: true })
  authorizationExpiresAt?: Date;

  /** Refresh attempts failed in a row; reset by a refresh that succeeds. */
  @Property({ type: 'integer', default: 0, hidden: true })
  refreshFailures: number = 0;

  /** Backoff after a failed refresh: not tried again before this. */
  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  nextRefreshAt?: Date;

  /** The end a REAUTHORIZE_SOON alert was raised for, so it is raised once per end. */
  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  reauthorizeAlertedFor?: Date;

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
