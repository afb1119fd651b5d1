import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { OrderStatus, Platform } from '../entities/enums';
import { encodeLogCursor, type OrderLogEvent } from '../services/orders/order-event-log';

@InputType({ description: 'Empty or absent lists filter nothing.' })
export class OrderEventFilter {
  @Field(() => [Platform], { nullable: true })
  platforms?: Platform[];

  @Field(() => [OrderStatus], { nullable: true, description: 'The status the event moved to.' })
  statuses?: OrderStatus[];

  @Field(() => [ID], { nullable: true })
  channelIds?: string[];

  @Field(() => [ID], { nullable: true })
  orderIds?: string[];
}

@ObjectType({
  description:
    'A status change from the durable order event log. Resume a subscription with the cursor of the last event received.',
})
export class OrderEvent {
  constructor(readonly logged: OrderLogEvent) {}

  @Field({ description: 'Pass as `after` to resume right after this event.' })
  get cursor(): string {
    return encodeLogCursor(this.logged.sequence);
  }

  @Field(() => ID, { description: 'The OrderStatusEvent this change was recorded as.' })
  get id(): string {
    return this.logged.id;
  }

  @Field(() => Platform)
  get platform(): Platform {
    return this.logged.platform;
  }

  @Field(() => OrderStatus)
  get status(): OrderStatus {
    return this.logged.status;
  }

  @Field({ description: 'As the platform sent it.' })
  get rawStatus(): string {
    return this.logged.rawStatus;
  }

  @Field({ description: "The platform's time of the change." })
  get eventTime(): Date {
    return this.logged.eventTime;
  }

  @Field()
  get receivedAt(): Date {
    return this.logged.receivedAt;
  }
}

@ObjectType({ description: "Orders of the viewer's scope on one platform in one current status." })
export class OrderStatusCount {
  @Field(() => Platform)
  platform!: Platform;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => Int)
  orders!: number;
}
