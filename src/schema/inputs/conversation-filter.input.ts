import { Field, ID, InputType } from 'type-graphql';
import { ConversationStatus } from '../../entities/enums';
import type { ConversationListFilter } from '../../services/conversation.service';

@InputType()
export class ConversationFilter implements ConversationListFilter {
  @Field(() => [ConversationStatus], { nullable: true })
  statuses?: ConversationStatus[];

  @Field(() => [ID], { nullable: true })
  channelIds?: string[];

  @Field(() => ID, { nullable: true })
  customerId?: string;
}
