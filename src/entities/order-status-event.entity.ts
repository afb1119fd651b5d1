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
} from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { OrderStatus } from './enums';
import { Order } from './order.entity';

/** Append-only: every status push for an order, applied or dropped as stale. */
@ObjectType()
@Entity({ tableName: 'order_status_event' })
@Index({ properties: ['order', 'eventTime'] })
// The integration report's "stale or repeated, dropped" by arrival: a few rows among millions.
@Index({
  name: 'order_status_event_dropped_idx',
  expression:
    'create index "order_status_event_dropped_idx" on "order_status_event" ("received_at") where not "applied"',
})
export class OrderStatusEvent {
  [OptionalProps]?: 'receivedAt' | 'applied';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Order, ref: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Field()
  @Property({ type: 'text' })
  rawStatus!: string;

  @Field(() => OrderStatus, { nullable: true, description: 'Null when the event only set a flag.' })
  @Enum({ items: () => OrderStatus, nativeEnumName: 'order_status', nullable: true })
  status?: OrderStatus;

  @Field({ description: 'Whether the event moved the order (false: stale or duplicate).' })
  @Property({ type: 'boolean', default: true })
  applied: boolean = true;

  @Field()
  @Property({ type: 'timestamptz' })
  eventTime!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  receivedAt: Date = new Date();

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  eventKey?: string;

  /**
   * Position in the order event log, assigned at commit in commit order (see
   * the order_event_log migration); null only inside the inserting transaction.
   */
  @Property({ type: new BigIntType('number'), nullable: true, unique: true })
  sequence?: number;
}
