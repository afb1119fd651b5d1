import type { Row } from '../services/shared/rows';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Branch, Channel, User } from '../entities';
import type { Context } from '../schema/context';

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => [Branch])
  branches(@Root() user: Row<User>, @Ctx() ctx: Context): Promise<Row<Branch>[]> {
    return ctx.loaders.userBranches.load(user.id);
  }
}

@Resolver(() => Channel)
export class ChannelResolver {
  @FieldResolver(() => Branch, { nullable: true })
  async branch(
    @Root() channel: Row<Channel>,
    @Ctx() ctx: Context,
  ): Promise<Row<Branch> | undefined> {
    return channel.branch ? ctx.loaders.branch.load(channel.branch.id) : undefined;
  }

  // The secrets themselves are write-only (connectChannel, updateChannel): only whether they are set.
  @FieldResolver(() => Boolean)
  async hasAccessToken(@Root() channel: Row<Channel>, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.channelSecretsSet.load(channel.id)).accessToken;
  }

  @FieldResolver(() => Boolean, { description: 'Sendo only.' })
  async hasShopKey(@Root() channel: Row<Channel>, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.channelSecretsSet.load(channel.id)).shopKey;
  }

  @FieldResolver(() => Boolean, { description: 'Sendo only.' })
  async hasShopSecret(@Root() channel: Row<Channel>, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.channelSecretsSet.load(channel.id)).shopSecret;
  }
}
