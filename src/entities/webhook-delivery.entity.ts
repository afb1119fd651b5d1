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
  type Ref,
  Unique,
} from '@mikro-orm/core';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { WebhookDeliveryStatus } from './enums';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/**
 * One order event for one endpoint. Its id is the `X-Webhook-Id` header,
 * the same on every attempt: the receiver's key to drop a repeat.
 */
@ObjectType()
@Entity({ tableName: 'webhook_delivery' })
@Unique({ properties: ['endpoint', 'eventId'] })
// The sender's question: the oldest waiting delivery of each order of an endpoint.
@Index({ properties: ['endpoint', 'status', 'orderId', 'sequence'] })
@Index({ properties: ['endpoint', 'sequence'] })
export class WebhookDelivery {
  [OptionalProps]?:
    | 'createdAt'
    | 'status'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lastResponseCode'
    | 'lastLatencyMs'
    | 'lastError'
    | 'deliveredAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => WebhookEndpoint, ref: true, deleteRule: 'cascade' })
  endpoint!: Ref<WebhookEndpoint>;

  /** The order_status_event row this delivery announces. */
  @Field(() => ID)
  @Property({ type: 'uuid' })
  eventId!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  orderId!: string;

  /** The event's position in the order event log (its cursor). */
  @Property({ type: new BigIntType('number') })
  sequence!: number;

  /** The exact bytes sent on every attempt (the signature covers them). */
  @Property({ type: 'text' })
  body!: string;

  @Field(() => WebhookDeliveryStatus)
  @Enum({
    items: () => WebhookDeliveryStatus,
    nativeEnumName: 'webhook_delivery_status',
    default: WebhookDeliveryStatus.PENDING,
  })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Field(() => GraphQLSafeInt)
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null = new Date();

  /** Retries stop after this (24 hours after the event or after a redelivery request). */
  @Property({ type: 'timestamptz' })
  retryUntil!: Date;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: "The receiver's HTTP status on the last attempt.",
  })
  @Property({ type: 'integer', nullable: true })
  lastResponseCode?: number | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'Milliseconds the last attempt took.',
  })
  @Property({ type: 'integer', nullable: true })
  lastLatencyMs?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed (timeout, connection refused, HTTP 500...).',
  })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;
}
