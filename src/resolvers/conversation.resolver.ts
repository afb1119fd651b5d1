import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Channel, Conversation, Customer, Message, User } from '../entities';
import { conversationService } from '../services/conversation.service';
import { ConversationConnection, MessageConnection } from '../schema/connections';
import type { Context } from '../schema/context';
import { ConversationFilter } from '../schema/inputs/conversation-filter.input';
import { PageArgs } from '../schema/pagination';

@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => Conversation, {
    nullable: true,
    description: "NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer.",
  })
  conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Conversation> {
    return conversationService.get(ctx, id);
  }

  @Query(() => ConversationConnection)
  async conversations(
    @Arg('filter', () => ConversationFilter, { nullable: true })
    filter: ConversationFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConversationConnection> {
    return new ConversationConnection(await conversationService.list(ctx, filter ?? {}, page));
  }

  @FieldResolver(() => Channel, { nullable: true })
  channel(@Root() conversation: Conversation, @Ctx() ctx: Context): Promise<Channel | undefined> {
    return ctx.loaders.channel.load(conversation.channel.id);
  }

  @FieldResolver(() => Customer, { nullable: true })
  async customer(
    @Root() conversation: Conversation,
    @Ctx() ctx: Context,
  ): Promise<Customer | undefined> {
    return conversation.customer ? ctx.loaders.customer.load(conversation.customer.id) : undefined;
  }

  @FieldResolver(() => User, { nullable: true })
  async assignee(
    @Root() conversation: Conversation,
    @Ctx() ctx: Context,
  ): Promise<User | undefined> {
    return conversation.assignee ? ctx.loaders.user.load(conversation.assignee.id) : undefined;
  }

  @FieldResolver(() => MessageConnection, { description: 'Newest first.' })
  async messages(
    @Root() conversation: Conversation,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<MessageConnection> {
    return new MessageConnection(await conversationService.messages(ctx, conversation.id, page));
  }
}

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The agent who wrote it, if any.' })
  async author(@Root() message: Message, @Ctx() ctx: Context): Promise<User | undefined> {
    return message.author ? ctx.loaders.user.load(message.author.id) : undefined;
  }
}
