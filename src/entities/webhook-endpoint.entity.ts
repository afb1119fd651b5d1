import { randomUUID } from 'node:crypto';
import {
  BigIntType,
  Entity,
  Enum,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { EncryptedText } from '../db/encrypted-text.type';
import { ApiKey } from './api-key.entity';
import { OrderStatus, WebhookEndpointStatus } from './enums';

/**
 * Where a partner app wants its order events POSTed. It sees what its API
 * key may read through `orderEvents`: the key's channels only.
 */
@ObjectType({
  description: "A partner app's HTTPS endpoint for order events, signed per endpoint.",
})
@Entity({ tableName: 'webhook_endpoint' })
export class WebhookEndpoint {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'status'
    | 'consecutiveFailures'
    | 'logPosition'
    | 'previousSecret'
    | 'previousSecretExpiresAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ApiKey, ref: true, index: true, deleteRule: 'cascade' })
  apiKey!: Ref<ApiKey>;

  @Field()
  @Property({ type: 'text' })
  url!: string;

  @Field(() => [OrderStatus], {
    description:
      'The order statuses whose events the endpoint receives: an order moving into one of them.',
  })
  @Enum({ items: () => OrderStatus, array: true, nativeEnumName: 'order_status' })
  events!: OrderStatus[];

  /**
   * The signing secret, exactly as shown to the admin once: receivers verify
   * with this string. Sealed at rest like channel tokens (db/credential-cipher.ts).
   */
  @Property({ type: EncryptedText, hidden: true })
  secret!: string;

  /** After a rotation, the old secret still signs until this time (both signatures are sent). */
  @Property({ type: EncryptedText, nullable: true, hidden: true })
  previousSecret?: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Until then, deliveries carry a signature with the previous secret too.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt?: Date | null;

  @Field(() => WebhookEndpointStatus)
  @Enum({
    items: () => WebhookEndpointStatus,
    nativeEnumName: 'webhook_endpoint_status',
    default: WebhookEndpointStatus.ACTIVE,
  })
  status: WebhookEndpointStatus = WebhookEndpointStatus.ACTIVE;

  @Field(() => GraphQLSafeInt, { description: 'Failed attempts since the last success.' })
  @Property({ type: 'integer', default: 0 })
  consecutiveFailures: number = 0;

  /** The order event log's position up to which events were turned into deliveries. */
  @Property({ type: new BigIntType('number'), default: 0 })
  logPosition: number = 0;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
