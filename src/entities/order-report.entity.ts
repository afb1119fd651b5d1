import { BigIntType, Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { OrderStatus, Platform } from './enums';

/**
 * The order report's figures per business day (Asia/Ho_Chi_Minh), channel,
 * platform and status, so that a report reads a few thousand cells instead of
 * every order. Written only by triggers on customer_order and order_milestone
 * (see the order_report_summary migration), in the transaction that changes
 * the rows, never by the application.
 *
 * Writers append deltas (OrderReportDelta) rather than update a cell in
 * place: webhook batches of new orders all land in today's cell of their
 * shop, and one row that every batch updates would queue them behind each
 * other until commit. `order_report_compact()` folds the deltas into the
 * cells; a report adds the cells and the deltas not folded yet.
 *
 * The property names match Order's (`channel`, `platform`, `status`) so that
 * a viewer's order scope applies to the summary as it is (report.service.ts).
 */
abstract class OrderReportFigures {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  /** The business date the order was placed on. */
  @Property({ type: 'date' })
  day!: string;

  @Property({ type: 'uuid', fieldName: 'channel_id' })
  channel!: string;

  @Enum({ items: () => Platform, nativeEnumName: 'platform' })
  platform!: Platform;

  @Enum({ items: () => OrderStatus, nativeEnumName: 'order_status' })
  status!: OrderStatus;

  @Property({ type: 'integer' })
  orders!: number;

  /** Sum of the orders' totals, whatever their status; the report drops the ones worth nothing. */
  @Property({ type: new BigIntType('number') })
  total!: number;

  /** Sum (microseconds, exact) and count of CONFIRMED to SHIPPED lead times. */
  @Property({ type: new BigIntType('number') })
  confirmedToShippedMicros!: number;

  @Property({ type: 'integer' })
  confirmedToShipped!: number;

  /** Sum (microseconds, exact) and count of SHIPPED to DELIVERED lead times. */
  @Property({ type: new BigIntType('number') })
  shippedToDeliveredMicros!: number;

  @Property({ type: 'integer' })
  shippedToDelivered!: number;
}

@Entity({ tableName: 'order_report_cell' })
@Unique({ properties: ['day', 'channel', 'platform', 'status'] })
export class OrderReportCell extends OrderReportFigures {}

// No index: compaction keeps it small, and every order write appends to it.
@Entity({ tableName: 'order_report_delta' })
export class OrderReportDelta extends OrderReportFigures {}
