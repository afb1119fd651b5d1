import type { GraphQLResolveInfo } from 'graphql';
import { pageSelectionOf } from '../schema/selection';
import type { Loaded } from '../services/shared/loaders';
import type { Row } from '../services/shared/rows';
import {
  Arg,
  Args,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Info,
  Int,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { FanOutExtension } from '../realtime/graphql-ws-server';
import { authorizeSubscription } from '../auth/permissions';
import {
  maskContact,
  masksContactDetails,
  orderLogChannelScope,
  orderVisibleTo,
} from '../auth/scopes';
import { scopedEvents } from '../realtime/scoped-subscription';
import { TOPICS } from '../kernel/topics';
import { Channel, Customer, Order, OrderItem, OrderStatusEvent } from '../entities';
import { assertIds, badInput } from '../kernel/errors';
import { MAX_PAGE_SIZE } from '../services/shared/keyset';
import {
  decodeLogCursor,
  orderEventLog,
  type OrderLogEvent,
  type OrderLogFilter,
} from '../services/orders/order-event-log';
import { orderEventStream } from '../realtime/order-event-stream';
import { OrderEvent, OrderEventFilter, OrderStatusCount } from '../schema/order-event.types';
import { orderOfEvent, orderService } from '../services/orders/order.service';
import { OrderConnection } from '../schema/connections';
import { renewForEvent, type Context } from '../schema/context';
import { OrderFilter } from '../schema/inputs/order-filter.input';
import { PageArgs } from '../schema/pagination';

const MAX_RECENT_EVENTS = 100;

function logFilterOf(filter: OrderEventFilter | null | undefined): OrderLogFilter {
  return {
    ...filter,
    channelIds: assertIds(filter?.channelIds, 'filter.channelIds'),
    orderIds: assertIds(filter?.orderIds, 'filter.orderIds'),
  };
}

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
    @Info() info: GraphQLResolveInfo,
  ): Promise<OrderConnection> {
    return new OrderConnection(
      await orderService.list(ctx, filter ?? {}, page, pageSelectionOf(info)),
    );
  }

  @Query(() => [OrderStatusCount], {
    description:
      "Orders of the viewer's scope by platform and current status (cells with none are left out): the live board of the operations dashboard, which reads it again as orderEvents arrive.",
  })
  orderStatusBoard(
    @Arg('channelIds', () => [ID], { nullable: true }) channelIds: string[] | undefined,
    @Arg('placedFrom', () => Date, {
      nullable: true,
      description: 'Only orders placed at or after this instant.',
    })
    placedFrom: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<OrderStatusCount[]> {
    return orderService.statusBoard(ctx, { channelIds, placedFrom });
  }

  @Query(() => [OrderEvent], {
    description:
      "The latest status changes, newest first, as `orderEvents` delivers them (same filter and scope). Subscribe with `after` set to the first one's cursor to continue without a gap.",
  })
  async recentOrderEvents(
    @Arg('filter', () => OrderEventFilter, { nullable: true }) filter: OrderEventFilter | undefined,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 100.' }) first: number,
    @Ctx() ctx: Context,
  ): Promise<OrderEvent[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_RECENT_EVENTS) {
      throw badInput(`first must be between 1 and ${MAX_RECENT_EVENTS}`, 'first');
    }
    const events = await orderEventLog.readLatest(
      ctx.em,
      first,
      logFilterOf(filter),
      orderLogChannelScope(ctx.viewer),
    );
    return events.map((logged) => new OrderEvent(logged));
  }

  @Extensions({ fanOut: { share: 'scope' } satisfies FanOutExtension })
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
        events: { topic: TOPICS.orderChanged },
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
    @Root() order: Row<Order>,
    @Arg('channelIds', () => [ID], { nullable: true }) _channelIds?: string[],
  ): Row<Order> {
    return order;
  }

  @Extensions({ fanOut: { share: 'scope', replayArg: 'after' } satisfies FanOutExtension })
  @Subscription(() => OrderEvent, {
    description:
      "Status changes of the viewer's orders (a partner key: its channels), in commit order. With `after` (an event's cursor) the events since then come first, then live ones: none missed, none twice, in order per order.",
    subscribe: ({ context, args }) => {
      const ctx = context as Context;
      const viewer = authorizeSubscription('orderEvents', ctx.viewer);
      const { filter, after } = args as { filter?: OrderEventFilter | null; after?: string | null };
      const source = orderEventStream({
        em: ctx.em,
        tail: ctx.services.orderEventTail,
        filter: logFilterOf(filter),
        after: after === undefined || after === null ? undefined : decodeLogCursor(after),
        channelScope: orderLogChannelScope(viewer),
      });
      return scopedEvents({
        em: ctx.em,
        viewer,
        bus: ctx.services.bus,
        events: { source },
        load: async (_em, logged: OrderLogEvent) => new OrderEvent(logged),
        visible: (current, event) =>
          current.kind === 'user' || current.channelIds.includes(event.logged.channelId),
        onEvent: (em, current) => renewForEvent(ctx, em, current),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  orderEvents(
    @Root() event: OrderEvent,
    @Arg('filter', () => OrderEventFilter, { nullable: true }) _filter?: OrderEventFilter,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The cursor of the last event received; absent: live events only.',
    })
    _after?: string,
  ): OrderEvent {
    return event;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Masked for roles without access to contact details.',
  })
  buyerPhone(@Root() order: Row<Order>, @Ctx() ctx: Context): string | null {
    return masksContactDetails(ctx.viewer) && ctx.viewer?.kind === 'user'
      ? maskContact(order.buyerPhone)
      : (order.buyerPhone ?? null);
  }

  @FieldResolver(() => Channel, { nullable: true })
  channel(@Root() order: Row<Order>, @Ctx() ctx: Context): Loaded<Channel> {
    return ctx.loaders.channel.row(order.channel.id);
  }

  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() order: Row<Order>, @Ctx() ctx: Context): Loaded<Customer> {
    return order.customer ? ctx.loaders.customer.row(order.customer.id) : undefined;
  }

  @FieldResolver(() => [OrderItem])
  items(@Root() order: Row<Order>, @Ctx() ctx: Context): Promise<Row<OrderItem>[]> {
    return ctx.loaders.orderItems(MAX_PAGE_SIZE).load(order.id);
  }

  @FieldResolver(() => [OrderStatusEvent], { description: 'Status pushes, oldest first.' })
  history(@Root() order: Row<Order>, @Ctx() ctx: Context): Promise<Row<OrderStatusEvent>[]> {
    return ctx.loaders.orderHistory(MAX_PAGE_SIZE).load(order.id);
  }
}

@Resolver(() => OrderEvent)
export class OrderEventResolver {
  @FieldResolver(() => Order, { nullable: true, description: "Null outside the viewer's scope." })
  async order(@Root() event: OrderEvent, @Ctx() ctx: Context): Promise<Row<Order> | undefined> {
    // The stream loaded it with its page of events; the subscription already checked the scope.
    return event.logged.order ?? ctx.loaders.order.load(event.logged.orderId);
  }
}
