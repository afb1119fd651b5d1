import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * One reconciliation of a business day (Asia/Ho_Chi_Minh). A date has at most
 * one run: running it again replaces the run's counts and mismatches.
 */
@ObjectType({ description: 'The summary of a reconciliation of payments against orders.' })
@Entity({ tableName: 'reconciliation_run' })
export class ReconciliationRun {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'The business date reconciled, YYYY-MM-DD in Asia/Ho_Chi_Minh.' })
  @Property({ type: 'date' })
  @Unique()
  date!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  finishedAt!: Date;

  @Field(() => Int, { description: 'Orders placed, paid or settled on the date.' })
  @Property({ type: 'integer' })
  ordersChecked!: number;

  @Field(() => Int, { description: 'Paid and refunded payments compared with those orders.' })
  @Property({ type: 'integer' })
  paymentsChecked!: number;

  @Field(() => Int, { description: 'How many mismatches the run recorded.' })
  @Property({ type: 'integer' })
  mismatches!: number;
}
