import { randomUUID } from 'node:crypto';
import {
  BigIntType,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { GraphQLJSONObject, GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Channel } from './channel.entity';
import { Customer } from './customer.entity';
import { OrderStatus, Platform } from './enums';

/** Flags beside the status (platforms.md 9.1), each with its source event time. */
export type OrderFlags = Partial<
  Record<
    | 'cancelRequested'
    | 'onHold'
    | 'pickupRetry'
    | 'rework'
    | 'partial'
    | 'delayed'
    | 'structuralChange',
    string
  >
>;

@ObjectType()
@Entity({ tableName: 'customer_order' })
@Unique({ properties: ['platform', 'shopId', 'externalId'] })
@Index({ properties: ['placedAt', 'id'] })
@Index({ properties: ['updatedAt', 'id'] })
@Index({ properties: ['platform', 'status'] })
// Reconciliation finds the orders that reached their current status on a day.
@Index({ properties: ['statusSourceTime'] })
// A customer's orders, and their first one (the customer report's "channel they came from").
@Index({ properties: ['customer', 'placedAt'] })
// The enrichment sweep's scan: orders whose detail was never read.
@Index({
  name: 'customer_order_unenriched_idx',
  expression:
    'create index "customer_order_unenriched_idx" on "customer_order" ("created_at") where "enriched_at" is null',
})
export class Order {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'currency' | 'flags' | 'shippingFee' | 'discount';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Platform)
  @Enum({ items: () => Platform, nativeEnumName: 'platform' })
  platform!: Platform;

  @ManyToOne({ entity: () => Channel, ref: true, index: true })
  channel!: Ref<Channel>;

  /** The platform's shop id, kept beside the channel so the unique key needs no join. */
  @Field()
  @Property({ type: 'text' })
  shopId!: string;

  @Field()
  @Property({ type: 'text' })
  externalId!: string;

  @Field(() => OrderStatus)
  @Enum({ items: () => OrderStatus, nativeEnumName: 'order_status' })
  @Index()
  status!: OrderStatus;

  @Field()
  @Property({ type: 'text' })
  rawStatus!: string;

  @Field(() => GraphQLJSONObject)
  @Property({ type: 'json', default: '{}' })
  flags: OrderFlags = {};

  /** Platform time of the event that set the current status; guards against stale pushes. */
  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  statusSourceTime?: Date;

  @ManyToOne({ entity: () => Customer, ref: true, nullable: true })
  customer?: Ref<Customer>;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  buyerName?: string;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  buyerPhone?: string;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  buyerPlatformId?: string;

  @Field()
  @Property({ type: 'character', length: 3, default: 'VND' })
  currency: string = 'VND';

  @Field(() => GraphQLSafeInt, { description: 'Minor units of currency (VND has none).' })
  @Property({ type: new BigIntType('number') })
  subtotal!: number;

  @Field(() => GraphQLSafeInt)
  @Property({ type: new BigIntType('number'), default: 0 })
  shippingFee: number = 0;

  @Field(() => GraphQLSafeInt)
  @Property({ type: new BigIntType('number'), default: 0 })
  discount: number = 0;

  @Field(() => GraphQLSafeInt)
  @Property({ type: new BigIntType('number') })
  total!: number;

  @Field()
  @Property({ type: 'timestamptz' })
  placedAt!: Date;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  platformUpdatedAt?: Date;

  /** Null until amounts, items and buyer have come from the platform's order detail. */
  @Field({
    nullable: true,
    description:
      "When amounts, items and buyer were last read from the platform's order detail; null while a push is all that is known (amounts are then 0).",
  })
  @Property({ type: 'timestamptz', nullable: true })
  enrichedAt?: Date;

  /** When the platform last refused the detail; the sweep skips the order until its channel or the configuration changes. */
  @Property({ type: 'timestamptz', nullable: true })
  detailRejectedAt?: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
