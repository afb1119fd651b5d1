import {
  Arg,
  Args,
  Ctx,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { InboundEvent } from '../entities';
import { InboundEventStatus, Platform } from '../entities/enums';
import { platformModules } from '../integrations';
import { inboundService, type InboundApplyDeps } from '../services/orders/inbound.service';
import type { Context } from '../schema/context';
import { ConnectionType, PageArgs } from '../schema/pagination';

@InputType()
class InboundEventFilter {
  @Field(() => [Platform], { nullable: true })
  platforms?: Platform[];

  @Field(() => [InboundEventStatus], { nullable: true })
  statuses?: InboundEventStatus[];
}

@ObjectType()
export class InboundEventConnection extends ConnectionType(InboundEvent) {}

/** The webhook inbox for operators (Admin, IT): what arrived, what failed and why, and replay. */
const applyDepsOf = ({ services }: Context): InboundApplyDeps => ({
  orm: services.orm,
  bus: services.bus,
  modules: platformModules,
  maxAttempts: services.inboundMaxAttempts,
  sync: services.orderSync,
  chat: services.conversationInbox,
});

@Resolver(() => InboundEvent)
export class InboundEventResolver {
  @Query(() => InboundEventConnection, { description: 'Newest first.' })
  async inboundEvents(
    @Arg('filter', () => InboundEventFilter, { nullable: true })
    filter: InboundEventFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<InboundEventConnection> {
    return new InboundEventConnection(await inboundService.list(ctx, filter ?? {}, page));
  }

  @Mutation(() => InboundEvent, {
    description:
      'Applies a failed or dead event again; an applied one is left as it is (idempotent).',
  })
  async replayInboundEvent(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
  ): Promise<InboundEvent> {
    const inbound = await inboundService.requeue(ctx, id);
    await inboundService.apply(applyDepsOf(ctx), inbound.id);
    return ctx.em.fork().findOneOrFail(InboundEvent, inbound.id);
  }

  @Mutation(() => Int, {
    description:
      'Replays the dead letters of a platform received since a time; returns how many applied.',
  })
  async replayDeadLetters(
    @Arg('platform', () => Platform) platform: Platform,
    @Arg('since') since: Date,
    @Ctx() ctx: Context,
  ): Promise<number> {
    const dead = await ctx.em.find(
      InboundEvent,
      { platform, status: InboundEventStatus.DEAD, receivedAt: { $gte: since } },
      { fields: ['id'], limit: 10_000 },
    );
    let applied = 0;
    for (const { id } of dead) {
      await inboundService.requeue(ctx, id);
      const outcome = await inboundService.apply(applyDepsOf(ctx), id);
      if (outcome === 'applied') applied += 1;
    }
    return applied;
  }
}
