import type { Row } from '../services/shared/rows';
import {
  Arg,
  Args,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { FanOutExtension } from '../realtime/graphql-ws-server';
import { authorizeSubscription } from '../auth/permissions';
import { Channel, OrderSyncJob, User } from '../entities';
import { orderSyncProgressSource, untilFinished } from '../realtime/order-sync-progress';
import { scopedEvents } from '../realtime/scoped-subscription';
import { renewForEvent, type Context } from '../schema/context';
import { ConnectionType, PageArgs } from '../schema/pagination';
import { assertId } from '../kernel/errors';
import { orderSyncService } from '../services/orders/order-sync.service';

@ObjectType()
export class OrderSyncJobConnection extends ConnectionType(OrderSyncJob) {}

/** Manual order sync for operators (Admin, IT): start one, follow it, list past ones. */
@Resolver(() => OrderSyncJob)
export class OrderSyncResolver {
  @Mutation(() => OrderSyncJob, {
    description:
      "Pulls the orders created in [from, to) from the channel's platform and applies them like pushes, in the background; returns the QUEUED job. A `to` in the future means now; at most 90 days; one sync per channel at a time (CONFLICT with the running job's `jobId`).",
  })
  startOrderSync(
    @Arg('channelId', () => ID) channelId: string,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Ctx() ctx: Context,
  ): Promise<OrderSyncJob> {
    return orderSyncService.start(ctx, { channelId, from, to }, ctx.services.orderSyncQueue);
  }

  @Query(() => OrderSyncJob, {
    nullable: true,
    description: 'NOT_FOUND (and null) for an unknown id.',
  })
  orderSyncJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<OrderSyncJob> {
    return orderSyncService.get(ctx, id);
  }

  @Query(() => OrderSyncJobConnection, { description: 'Newest first.' })
  async orderSyncJobs(
    @Arg('channelId', () => ID, { nullable: true }) channelId: string | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<OrderSyncJobConnection> {
    return new OrderSyncJobConnection(await orderSyncService.list(ctx, { channelId }, page));
  }

  @Extensions({ fanOut: { share: 'none' } satisfies FanOutExtension })
  @Subscription(() => OrderSyncJob, {
    description:
      'The job as it stands, then after every page, until it SUCCEEDED or FAILED; then the stream completes.',
    subscribe: ({ context, args }) => {
      const ctx = context as Context;
      const viewer = authorizeSubscription('orderSyncProgress', ctx.viewer);
      const jobId = assertId((args as { jobId: string }).jobId, 'jobId');
      return untilFinished(
        scopedEvents({
          em: ctx.em,
          viewer,
          bus: ctx.services.bus,
          events: { source: orderSyncProgressSource({ em: ctx.em, bus: ctx.services.bus, jobId }) },
          load: (em, event) => em.findOne(OrderSyncJob, event.jobId),
          // Sync jobs have no row scope: the roles allowed to subscribe see every job.
          visible: () => true,
          onEvent: (em, current) => renewForEvent(ctx, em, current),
          onError: (error) =>
            ctx.services.logger.error({ err: error }, 'subscription stream failed'),
        }),
      );
    },
  })
  orderSyncProgress(
    @Root() job: Row<OrderSyncJob>,
    @Arg('jobId', () => ID) _jobId: string,
  ): Row<OrderSyncJob> {
    return job;
  }

  @FieldResolver(() => Channel)
  channel(@Root() job: Row<OrderSyncJob>, @Ctx() ctx: Context): Promise<Row<Channel> | undefined> {
    return ctx.loaders.channel.load(job.channel.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who started the sync.' })
  async requestedBy(
    @Root() job: Row<OrderSyncJob>,
    @Ctx() ctx: Context,
  ): Promise<Row<User> | undefined> {
    return job.requestedBy ? ctx.loaders.user.load(job.requestedBy.id) : undefined;
  }
}
