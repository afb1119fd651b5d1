import { Entity, OneToOne, Property, type Ref } from '@mikro-orm/core';
import { Order } from './order.entity';

/**
 * When an order first reached CONFIRMED, SHIPPED and DELIVERED, for the order
 * report's lead times. Written only by a deferred trigger on
 * order_status_event (see the order_milestone_at_commit migration), so every
 * writer of events, the webhook batch path in raw SQL included, keeps it
 * current at its own commit.
 * Never written by the application.
 */
@Entity({ tableName: 'order_milestone' })
export class OrderMilestone {
  @OneToOne({ entity: () => Order, ref: true, primary: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Property({ type: 'timestamptz', nullable: true })
  confirmedAt?: Date;

  @Property({ type: 'timestamptz', nullable: true })
  shippedAt?: Date;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date;
}
