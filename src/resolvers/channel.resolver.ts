import {
  Arg,
  Ctx,
  Extensions,
  Field,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { FanOutExtension } from '../realtime/graphql-ws-server';
import { authorizeSubscription, permits, ACCESS } from '../auth/permissions';
import { Channel } from '../entities';
import { ChannelAlertKind, Platform } from '../entities/enums';
import { channelAuthorizationService } from '../services/channels/channel-authorization.service';
import { scopedEvents } from '../realtime/scoped-subscription';
import { TOPICS } from '../kernel/topics';
import { channelAlertOfEvent } from '../services/channels/channel-alert.service';
import { channelHealthService } from '../services/channels/channel-health.service';
import { channelService } from '../services/channels/channel.service';
import { ConnectChannelInput, UpdateChannelInput } from '../schema/inputs/channel-input.input';
import { renewForEvent, type Context } from '../schema/context';

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

@ObjectType({ description: 'A channel needs attention before its integration stops.' })
class ChannelAlert {
  @Field(() => Channel)
  channel!: Channel;

  @Field(() => ChannelAlertKind)
  kind!: ChannelAlertKind;

  @Field()
  tokenExpiresAt!: Date;

  @Field(() => Int, {
    description: 'Whole days until the token expires, counted when raised; negative once expired.',
  })
  daysLeft!: number;
}

@Resolver()
export class ChannelHealthResolver {
  @Query(() => [ChannelHealth], {
    description: 'Every connected channel with its integration health.',
  })
  channels(@Ctx() ctx: Context): Promise<ChannelHealth[]> {
    return channelHealthService.list(ctx);
  }

  @Query(() => String, {
    description:
      "The platform's authorization page for connecting (or re-authorizing) a shop, page or OA in a branch. Its state works once, for about 10 minutes (OAUTH_STATE_TTL_SECONDS); the platform then sends the browser to /oauth/<platform>/callback, which connects or updates the channels the platform names. BAD_USER_INPUT for Sendo (it connects with shop key and secret: connectChannel) or a platform whose app is not configured; NOT_FOUND for an unknown branch.",
  })
  channelAuthorizationUrl(
    @Arg('platform', () => Platform) platform: Platform,
    @Arg('branchId', () => ID, { nullable: true }) branchId: string | null,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return channelAuthorizationService.authorizationUrl(ctx, ctx.services.channelAuthorization, {
      platform,
      branchId,
    });
  }

  @Mutation(() => Channel, {
    description:
      'Connects a shop, page or OA so its pushes and messages apply. BAD_USER_INPUT (extensions.field) for an empty name, a malformed externalShopId or credentials that do not fit the platform (Sendo needs shopKey and shopSecret); NOT_FOUND for an unknown branch; CONFLICT (extensions.existingChannelId) when the platform and externalShopId are already connected. Nothing is written on an error.',
  })
  connectChannel(
    @Arg('input', () => ConnectChannelInput) input: ConnectChannelInput,
    @Ctx() ctx: Context,
  ): Promise<Channel> {
    return channelService.connect(ctx, input);
  }

  @Mutation(() => Channel, {
    description:
      'Renames, moves to another branch, pauses (DISCONNECTED) or resumes (ACTIVE) a channel, or rotates its credentials; a new token or expiry is alerted afresh by channelAlert. Channels are never deleted. Same error codes as connectChannel; NOT_FOUND for an unknown id.',
  })
  updateChannel(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateChannelInput) input: UpdateChannelInput,
    @Ctx() ctx: Context,
  ): Promise<Channel> {
    return channelService.update(ctx, id, input);
  }

  @Extensions({ fanOut: { share: 'scope' } satisfies FanOutExtension })
  @Subscription(() => ChannelAlert, {
    description:
      "TOKEN_EXPIRING / TOKEN_EXPIRED: raised daily (08:00 Asia/Ho_Chi_Minh) for each channel with a pasted token (no refresh token) that expires within 7 days or has expired, once a day per expiry. REFRESH_FAILED: refreshing the token failed after its retries; the channel is NEEDS_REAUTHORIZATION until an OAuth callback completes (channelAuthorizationUrl). REAUTHORIZE_SOON: the refresh token or the authorization itself ends within 7 days (tokenExpiresAt is that end), raised once per end, also on the platforms' own expiry pushes.",
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return scopedEvents({
        em: ctx.em,
        viewer: authorizeSubscription('channelAlert', ctx.viewer),
        bus: ctx.services.bus,
        events: { topic: TOPICS.channelAlert },
        load: channelAlertOfEvent,
        // Every channel is visible to these roles; a viewer whose role changed since stops here.
        visible: (viewer) => permits(ACCESS.Subscription.channelAlert!, viewer),
        onEvent: (em, viewer) => renewForEvent(ctx, em, viewer),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  channelAlert(@Root() alert: ChannelAlert): ChannelAlert {
    return alert;
  }
}
