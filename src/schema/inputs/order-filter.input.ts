import { Field, ID, InputType } from 'type-graphql';
import { OrderStatus, Platform } from '../../entities/enums';
import type { OrderListFilter } from '../../services/orders/order.service';

@InputType()
export class OrderFilter implements OrderListFilter {
  @Field(() => [Platform], { nullable: true })
  platforms?: Platform[];

  @Field(() => [OrderStatus], { nullable: true })
  statuses?: OrderStatus[];

  @Field(() => [ID], { nullable: true })
  channelIds?: string[];

  @Field(() => ID, { nullable: true })
  customerId?: string;

  @Field({ nullable: true, description: 'Placed at or after this instant.' })
  placedFrom?: Date;

  @Field({ nullable: true, description: 'Placed before this instant.' })
  placedTo?: Date;
}
