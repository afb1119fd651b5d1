import {
  ArrayType,
  BigIntType,
  Entity,
  Enum,
  Index,
  ManyToOne,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { ReconciliationMismatchKind } from './enums';
import { Order } from './order.entity';
import { ReconciliationRun } from './reconciliation-run.entity';

/**
 * One disagreement a run found. Rows are written only by the run's INSERT ...
 * SELECT; the id is derived from (date, kind, subject), so a rerun of a date
 * reproduces the same ids and a client's cursor stays meaningful.
 */
@ObjectType({ description: 'An order and its payments that do not agree.' })
@Entity({ tableName: 'reconciliation_mismatch' })
@Index({ properties: ['run', 'occurredAt', 'id'] })
export class ReconciliationMismatch {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne({ entity: () => ReconciliationRun, ref: true, deleteRule: 'cascade' })
  run!: Ref<ReconciliationRun>;

  @Field(() => ReconciliationMismatchKind)
  @Enum({ items: () => ReconciliationMismatchKind, nativeEnumName: 'reconciliation_mismatch_kind' })
  kind!: ReconciliationMismatchKind;

  @ManyToOne({ entity: () => Order, ref: true, nullable: true, index: true })
  order?: Ref<Order>;

  /** Payments are compared in bulk; an array keeps one row per order however many there are. */
  @Field(() => [ID], { description: 'The paid and refunded payments compared.' })
  @Property({ type: new ArrayType(), columnType: 'uuid[]' })
  paymentIds!: string[];

  @Field(() => GraphQLSafeInt, {
    description:
      "What should have been collected, in minor units: the order's total, 0 once cancelled, failed or returned.",
  })
  @Property({ type: new BigIntType('number') })
  expected!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      "Net paid in the order's currency, in minor units: its PAID payments (a refunded one counts zero).",
  })
  @Property({ type: new BigIntType('number') })
  actual!: number;

  @Field()
  @Property({ type: 'character', length: 3 })
  currency!: string;

  @Field({ description: 'What is wrong, for a person.' })
  @Property({ type: 'text' })
  detail!: string;

  @Field({ description: 'When the order was placed, or the order-less payment was paid.' })
  @Property({ type: 'timestamptz' })
  occurredAt!: Date;
}
