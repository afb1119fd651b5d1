import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Channel, Customer, Order, OrderItem, OrderStatusEvent } from '../entities';
import { MAX_PAGE_SIZE } from '../services/keyset';
import { orderService } from '../services/order.service';
import { OrderConnection } from '../schema/connections';
import type { Context } from '../schema/context';
import { OrderFilter } from '../schema/inputs/order-filter.input';
import { PageArgs } from '../schema/pagination';

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order)
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Order> {
    return orderService.get(ctx.em, id);
  }

  @Query(() => OrderConnection)
  async orders(
    @Arg('filter', () => OrderFilter, { nullable: true }) filter: OrderFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<OrderConnection> {
    return new OrderConnection(await orderService.list(ctx.em, filter ?? {}, page));
  }

  @FieldResolver(() => Channel, { nullable: true })
  channel(@Root() order: Order, @Ctx() ctx: Context): Promise<Channel | undefined> {
    return ctx.loaders.channel.load(order.channel.id);
  }

  @FieldResolver(() => Customer, { nullable: true })
  async customer(@Root() order: Order, @Ctx() ctx: Context): Promise<Customer | undefined> {
    return order.customer ? ctx.loaders.customer.load(order.customer.id) : undefined;
  }

  @FieldResolver(() => [OrderItem])
  items(@Root() order: Order, @Ctx() ctx: Context): Promise<OrderItem[]> {
    return ctx.loaders.orderItems(MAX_PAGE_SIZE).load(order.id);
  }

  @FieldResolver(() => [OrderStatusEvent], { description: 'Status pushes, oldest first.' })
  history(@Root() order: Order, @Ctx() ctx: Context): Promise<OrderStatusEvent[]> {
    return ctx.loaders.orderHistory(MAX_PAGE_SIZE).load(order.id);
  }
}
