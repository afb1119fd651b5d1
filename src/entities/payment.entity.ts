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
import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Customer } from './customer.entity';
import { PaymentSource, PaymentStatus } from './enums';
import { Order } from './order.entity';

@ObjectType()
@Entity({ tableName: 'payment' })
// The business day a payment belongs to is its paid time, or its creation when none was recorded.
@Index({
  name: 'payment_paid_day_idx',
  expression:
    'create index "payment_paid_day_idx" on "payment" (coalesce("paid_at", "created_at"))',
})
// Recording is idempotent on the payer's own id: one row per source and external id.
@Unique({ name: 'payment_source_external_id_unique', properties: ['source', 'externalId'] })
export class Payment {
  [OptionalProps]?: 'createdAt' | 'currency' | 'source';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Order, ref: true, nullable: true, index: true })
  order?: Ref<Order>;

  @ManyToOne({ entity: () => Customer, ref: true, nullable: true, index: true })
  customer?: Ref<Customer>;

  @Field(() => PaymentSource)
  @Enum({
    items: () => PaymentSource,
    nativeEnumName: 'payment_source',
    default: PaymentSource.API,
  })
  source: PaymentSource = PaymentSource.API;

  @Field({
    nullable: true,
    description:
      "The payer's id for it (a gateway transaction, a bank reference); for MARKETPLACE, platform:shop:order.",
  })
  @Property({ type: 'text', nullable: true })
  externalId?: string;

  @Field()
  @Property({ type: 'text' })
  method!: string;

  @Field(() => GraphQLSafeInt)
  @Property({ type: new BigIntType('number') })
  amount!: number;

  @Field()
  @Property({ type: 'character', length: 3, default: 'VND' })
  currency: string = 'VND';

  @Field(() => PaymentStatus)
  @Enum({ items: () => PaymentStatus, nativeEnumName: 'payment_status' })
  status!: PaymentStatus;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  paidAt?: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
