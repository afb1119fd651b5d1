import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Channel } from '../entities';
import { channelHealthService } from '../services/channel-health.service';
import type { Context } from '../schema/context';

@ObjectType({
  description: 'A connected shop, page or account with the health of its integration.',
})
class ChannelHealth {
  @Field(() => Channel)
  channel!: Channel;

  @Field(() => Date, { nullable: true, description: 'When its last push arrived.' })
  lastPushAt!: Date | null;

  @Field(() => Int)
  pushesLastHour!: number;

  @Field(() => Int, {
    description: 'Pushes of the last hour that failed to apply or became dead letters.',
  })
  failuresLastHour!: number;

  @Field(() => Int)
  deadLetters!: number;

  @Field(() => Int, { nullable: true, description: 'Negative once the token has expired.' })
  tokenExpiresInDays!: number | null;
}

@Resolver()
export class ChannelHealthResolver {
  @Query(() => [ChannelHealth], {
    description: 'Every connected channel with its integration health.',
  })
  channels(@Ctx() ctx: Context): Promise<ChannelHealth[]> {
    return channelHealthService.list(ctx);
  }
}
