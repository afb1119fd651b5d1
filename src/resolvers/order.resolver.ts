import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { authorizeSubscription } from '../auth/permissions';
import { maskContact, masksContactDetails, orderVisibleTo } from '../auth/scopes';
import { scopedEvents, TOPICS } from '../realtime/scoped-subscription';
import { Channel, Customer, Order, OrderItem, OrderStatusEvent } from '../entities';
import { MAX_PAGE_SIZE } from '../services/keyset';
import { orderOfEvent, orderService } from '../services/order.service';
import { OrderConnection } from '../schema/connections';
import { renewForEvent, type Context } from '../schema/context';
import { OrderFilter } from '../schema/inputs/order-filter.input';
import { PageArgs } from '../schema/pagination';

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order, {
    nullable: true,
    description: "NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer.",
  })
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Order> {
    return orderService.get(ctx, id);
  }

  @Query(() => OrderConnection)
  async orders(
    @Arg('filter', () => OrderFilter, { nullable: true }) filter: OrderFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<OrderConnection> {
    return new OrderConnection(await orderService.list(ctx, filter ?? {}, page));
  }

  @Subscription(() => Order, {
    description:
      "Orders of the viewer's scope as their status changes; a partner key sees its channels.",
    subscribe: ({ context, args }) => {
      const ctx = context as Context;
      const channelIds = (args as { channelIds?: string[] }).channelIds;
      return scopedEvents({
        em: ctx.em,
        viewer: authorizeSubscription('orderChanged', ctx.viewer),
        bus: ctx.services.bus,
        topic: TOPICS.orderChanged,
        load: orderOfEvent,
        visible: (viewer, order: Order) =>
          orderVisibleTo(viewer, order) &&
          (!channelIds?.length || channelIds.includes(order.channel.id)),
        onEvent: (em, viewer) => renewForEvent(ctx, em, viewer),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  orderChanged(
    @Root() order: Order,
    @Arg('channelIds', () => [ID], { nullable: true }) _channelIds?: string[],
  ): Order {
    return order;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Masked for roles without access to contact details.',
  })
  buyerPhone(@Root() order: Order, @Ctx() ctx: Context): string | null {
    return masksContactDetails(ctx.viewer) && ctx.viewer?.kind === 'user'
      ? maskContact(order.buyerPhone)
      : (order.buyerPhone ?? null);
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
