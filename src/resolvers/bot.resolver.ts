import {
  Arg,
  Ctx,
  Field,
  Float,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
} from 'type-graphql';
import { Conversation } from '../entities';
import { BotStep } from '../entities/enums';
import { aiStats } from '../services/conversations/bot/ai-stats';
import { BreakerState } from '../services/conversations/bot/circuit-breaker';
import { conversationAssignment } from '../services/conversations/conversation-assignment.service';
import type { Context } from '../schema/context';

registerEnumType(BreakerState, {
  name: 'AiBreakerState',
  description:
    'CLOSED: the AI is called; OPEN: it is skipped until retryAt; HALF_OPEN: one trial call may go.',
});

@ObjectType({
  description: "The AI provider's circuit breaker, as the API instance answering sees it.",
})
class AiStatus {
  @Field({ description: 'False when AI_BASE_URL is unset: the bot starts at the knowledge base.' })
  enabled!: boolean;

  @Field(() => BreakerState)
  state!: BreakerState;

  @Field(() => Int, { description: 'Failures (errors, timeouts, malformed replies) in a row.' })
  consecutiveFailures!: number;

  @Field(() => Date, { nullable: true })
  openedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When an open breaker lets a trial call through.',
  })
  retryAt!: Date | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => Int, { nullable: true })
  lastLatencyMs!: number | null;
}

@ObjectType()
class BotStepCount {
  @Field(() => BotStep)
  step!: BotStep;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "The bot's messages sent in [from, to)." })
class AiStats {
  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => [BotStepCount], {
    description: 'Every step, in chain order; handoff notices as HANDOFF.',
  })
  answersByStep!: BotStepCount[];

  @Field(() => Int)
  totalAnswers!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Median ms from the buyer's message to the bot's.",
  })
  medianLatencyMs!: number | null;

  @Field(() => Float, { nullable: true })
  p95LatencyMs!: number | null;

  @Field(() => Int, { description: 'Conversations with a bot message in the window.' })
  botConversations!: number;

  @Field(() => Int, { description: 'Of those, the ones handed off in the window.' })
  handoffs!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'handoffs / botConversations; null when zero.',
  })
  handoffRate!: number | null;
}

@Resolver()
export class BotResolver {
  @Query(() => AiStatus)
  aiStatus(@Ctx() ctx: Context): AiStatus {
    return ctx.services.bot.aiStatus();
  }

  @Query(() => AiStats)
  aiStats(
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Arg('channelIds', () => [ID], { nullable: true }) channelIds: string[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<AiStats> {
    return aiStats(ctx.em, { from, to, channelIds });
  }

  @Mutation(() => Conversation, {
    description:
      "Gives a conversation to an active CUSTOMER_SERVICE agent of its channel's branch (BAD_USER_INPUT otherwise); the bot stops answering it.",
  })
  reassignConversation(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('assigneeId', () => ID) assigneeId: string,
    @Ctx() ctx: Context,
  ): Promise<Conversation> {
    return conversationAssignment.reassign(ctx, ctx.services.bus, {
      conversationId,
      assigneeId,
    });
  }
}
