import type { GraphQLResolveInfo } from 'graphql';
import { pageSelectionOf } from '../schema/selection';
import type { Loaded } from '../services/shared/loaders';
import type { Row } from '../services/shared/rows';
import {
  Arg,
  Args,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Info,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { authorizeSubscription } from '../auth/permissions';
import { conversationVisibleTo } from '../auth/scopes';
import { Channel, Conversation, Customer, Message, User } from '../entities';
import { scopedEvents } from '../realtime/scoped-subscription';
import { TOPICS } from '../kernel/topics';
import { conversationService } from '../services/conversations/conversation.service';
import {
  conversationChangeOfEvent,
  conversationMessaging,
  matchesChangeFilter,
  messageOfEvent,
  type ConversationChangeRow,
} from '../services/conversations/conversation-messaging.service';
import { ConversationConnection, MessageConnection } from '../schema/connections';
import { renewForEvent, type Context } from '../schema/context';
import {
  ConversationChangeFilter,
  ConversationFilter,
  MessageAttachmentInput,
} from '../schema/inputs/conversation-filter.input';
import { PageArgs } from '../schema/pagination';
import { ReplyTemplateValuesInput } from '../schema/inputs/reply-template-input.input';

@ObjectType({ description: 'One change to a conversation, as pushed by conversationChanged.' })
export class ConversationChange {
  @Field({ description: 'CREATED, MESSAGE, READ, HANDED_OFF, ASSIGNED, RESOLVED or REOPENED.' })
  action!: string;

  @Field(() => Conversation, { description: 'The conversation as it is after the change.' })
  conversation!: Conversation;

  @Field(() => ID, {
    nullable: true,
    description: 'ASSIGNED: who held it before (they are told too).',
  })
  previousAssigneeId?: string | null;
}

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
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConversationConnection> {
    return new ConversationConnection(
      await conversationService.list(ctx, filter ?? {}, page, pageSelectionOf(info)),
    );
  }

  @Mutation(() => Message, {
    description:
      "Sends through the channel's platform: stored PENDING, then SENT or FAILED (retried with backoff). Customer-service staff answering an unassigned conversation take it. Outside the platform's reply window (Messenger 24 h) the answer is BAD_USER_INPUT with extensions.reason MESSAGING_WINDOW_CLOSED and nothing is stored.",
  })
  sendMessage(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('text', () => String, { nullable: true }) text: string | undefined,
    @Arg('attachments', () => [MessageAttachmentInput], { nullable: true })
    attachments: MessageAttachmentInput[] | undefined,
    @Arg('templateId', () => ID, {
      nullable: true,
      description:
        "A reply template (replyTemplates) instead of text: its wording for the channel's platform, variables filled.",
    })
    templateId: string | undefined,
    @Arg('variables', () => ReplyTemplateValuesInput, { nullable: true })
    variables: ReplyTemplateValuesInput | undefined,
    @Ctx() ctx: Context,
  ): Promise<Message> {
    return conversationMessaging.send(ctx, ctx.services, {
      conversationId,
      text,
      attachments,
      templateId,
      variables,
    });
  }

  @Mutation(() => Conversation, { description: 'Sets the unread count back to 0.' })
  markConversationRead(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
  ): Promise<Conversation> {
    return conversationMessaging.markRead(ctx, ctx.services.bus, id);
  }

  @Mutation(() => Conversation, {
    description: 'RESOLVED with resolvedAt; the next buyer message reopens it.',
  })
  resolveConversation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Conversation> {
    return conversationMessaging.resolve(ctx, ctx.services.bus, id);
  }

  @Subscription(() => Message, {
    description:
      'New messages of one conversation (buyer, agent, bot), and again when an outbound message is SENT or FAILED. NOT_FOUND outside your scope.',
    subscribe: async ({ context, args }) => {
      const ctx = context as Context;
      const viewer = authorizeSubscription('messageAdded', ctx.viewer);
      const { conversationId } = args as { conversationId: string };
      // Refused now if the viewer may not see it (no listener for a conversation out of scope).
      await conversationService.get({ em: ctx.em.fork(), viewer }, conversationId);
      const wanted = conversationId.toLowerCase();
      return scopedEvents({
        em: ctx.em,
        viewer,
        bus: ctx.services.bus,
        events: { topic: TOPICS.messageAdded },
        load: messageOfEvent,
        visible: (current, row: { message: Message; conversation: Conversation }) =>
          row.conversation.id === wanted && conversationVisibleTo(current, row.conversation),
        onEvent: (em, current) => renewForEvent(ctx, em, current),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  messageAdded(
    @Root() row: { message: Message },
    @Arg('conversationId', () => ID) _conversationId: string,
  ): Message {
    return row.message;
  }

  @Subscription(() => ConversationChange, {
    description:
      'Conversations created, answered, read, handed off, assigned, resolved or reopened, within your scope (customer-service staff: theirs and the unassigned queue; a reassigned agent is told once more), narrowed by the filter.',
    subscribe: ({ context, args }) => {
      const ctx = context as Context;
      const filter = (args as { filter?: ConversationChangeFilter }).filter;
      return scopedEvents({
        em: ctx.em,
        viewer: authorizeSubscription('conversationChanged', ctx.viewer),
        bus: ctx.services.bus,
        events: { topic: TOPICS.conversationChanged },
        load: conversationChangeOfEvent,
        visible: (viewer, change: ConversationChangeRow) =>
          (conversationVisibleTo(viewer, change.conversation) ||
            (change.action === 'ASSIGNED' &&
              viewer.kind === 'user' &&
              change.previousAssigneeId === viewer.id)) &&
          matchesChangeFilter(filter, change.conversation),
        onEvent: (em, viewer) => renewForEvent(ctx, em, viewer),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  conversationChanged(
    @Root() change: ConversationChangeRow,
    @Arg('filter', () => ConversationChangeFilter, { nullable: true })
    _filter?: ConversationChangeFilter,
  ): ConversationChange {
    return change;
  }

  @FieldResolver(() => Channel, { nullable: true })
  channel(@Root() conversation: Row<Conversation>, @Ctx() ctx: Context): Loaded<Channel> {
    return ctx.loaders.channel.row(conversation.channel.id);
  }

  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() conversation: Row<Conversation>, @Ctx() ctx: Context): Loaded<Customer> {
    return conversation.customer ? ctx.loaders.customer.row(conversation.customer.id) : undefined;
  }

  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() conversation: Row<Conversation>, @Ctx() ctx: Context): Loaded<User> {
    return conversation.assignee ? ctx.loaders.user.row(conversation.assignee.id) : undefined;
  }

  @FieldResolver(() => MessageConnection, { description: 'Newest first.' })
  async messages(
    @Root() conversation: Row<Conversation>,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<MessageConnection> {
    return new MessageConnection(await conversationService.messages(ctx, conversation.id, page));
  }
}

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The agent who wrote it, if any.' })
  async author(@Root() message: Row<Message>, @Ctx() ctx: Context): Promise<Row<User> | undefined> {
    return message.author ? ctx.loaders.user.load(message.author.id) : undefined;
  }
}
