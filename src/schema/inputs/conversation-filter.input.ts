import { Field, ID, InputType } from 'type-graphql';
import { ConversationStatus } from '../../entities/enums';
import type { ConversationListFilter } from '../../services/conversations/conversation.service';
import type { ConversationChangeFilterInput } from '../../services/conversations/conversation-messaging.service';

@InputType()
export class ConversationFilter implements ConversationListFilter {
  @Field(() => [ConversationStatus], { nullable: true })
  statuses?: ConversationStatus[];

  @Field(() => [ID], { nullable: true })
  channelIds?: string[];

  @Field(() => ID, { nullable: true })
  customerId?: string;

  @Field(() => [ID], {
    nullable: true,
    description: "These agents' conversations; with unassigned: true, also nobody's.",
  })
  assigneeIds?: string[];

  @Field({ nullable: true, description: 'true: nobody holds it; false: somebody does.' })
  unassigned?: boolean;

  @Field({ nullable: true, description: 'true: unread buyer messages; false: none.' })
  hasUnread?: boolean;

  @Field(() => [ID], { nullable: true, description: 'The customer carries any of these labels.' })
  customerLabelIds?: string[];

  @Field({ nullable: true, description: 'Last message at or after this time.' })
  lastMessageFrom?: Date;

  @Field({ nullable: true, description: 'Last message before this time.' })
  lastMessageTo?: Date;
}

@InputType({ description: 'Narrows conversationChanged; the scope rules apply first.' })
export class ConversationChangeFilter implements ConversationChangeFilterInput {
  @Field(() => [ID], { nullable: true })
  channelIds?: string[];

  @Field(() => [ConversationStatus], { nullable: true })
  statuses?: ConversationStatus[];

  @Field(() => [ID], { nullable: true })
  assigneeIds?: string[];

  @Field({ nullable: true, description: "true: nobody's (the queue); false: somebody's." })
  unassigned?: boolean;
}

@InputType({ description: 'A file, image or link to send, by URL.' })
export class MessageAttachmentInput {
  @Field({ description: 'image, video, audio, file, link...' })
  type!: string;

  @Field({ nullable: true })
  url?: string;

  @Field({ nullable: true })
  name?: string;
}
