import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { TicketResult, TicketSource, TicketStatus, TicketTarget } from '../../entities/enums';
import {
  KeywordMode,
  TicketSortField,
  TimeLabel,
  type TicketListFilter,
  type TicketSort,
} from '../../services/tickets/ticket-filter';

registerEnumType(KeywordMode, { name: 'KeywordMode' });
registerEnumType(TimeLabel, {
  name: 'TimeLabel',
  description: 'Due-date buckets in business time (Asia/Ho_Chi_Minh); weeks start on Monday.',
});
registerEnumType(TicketSortField, { name: 'TicketSortField' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType({ description: 'All conditions combine with AND; list values match any of the list.' })
export class TicketFilter implements TicketListFilter {
  @Field(() => TicketStatus, {
    nullable: true,
    description: 'One status. With `statuses` too, both must hold (ANDed like every condition).',
  })
  status?: TicketStatus;

  @Field(() => [TicketStatus], { nullable: true, description: 'Any of these statuses.' })
  statuses?: TicketStatus[];

  @Field({ nullable: true, description: 'Only tickets whose due time passed while open.' })
  missed?: boolean;

  @Field({ nullable: true, description: 'Customer name, phone or ticket title.' })
  keywords?: string;

  @Field(() => KeywordMode, { nullable: true, description: 'How `keywords` match (default TEXT).' })
  mode?: KeywordMode;

  @Field(() => [ID], { nullable: true })
  assignees?: string[];

  @Field(() => [ID], { nullable: true, description: 'Curators (in_charge).' })
  curators?: string[];

  @Field(() => [ID], { nullable: true })
  branchIds?: string[];

  @Field(() => ID, { nullable: true, description: 'Drill-down from a customer.' })
  customerId?: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'Tickets whose customer has any of these labels.',
  })
  customerLabels?: string[];

  @Field(() => [TicketTarget], { nullable: true })
  targets?: TicketTarget[];

  @Field(() => [TicketSource], { nullable: true })
  ticketSources?: TicketSource[];

  @Field(() => [TicketResult], { nullable: true })
  ticketResults?: TicketResult[];

  @Field({ nullable: true, description: 'Due at or after this instant.' })
  dueFrom?: Date;

  @Field({ nullable: true, description: 'Due before this instant.' })
  dueTo?: Date;

  @Field(() => TimeLabel, { nullable: true })
  timeLabel?: TimeLabel;
}

@InputType()
export class TicketSortInput implements TicketSort {
  @Field(() => TicketSortField, { nullable: true, description: 'Default CREATED_AT.' })
  field?: TicketSortField;

  @Field(() => SortDirection, {
    nullable: true,
    description: 'Default DESC, ASC for DUE_AT; tickets without a due date come last.',
  })
  direction?: SortDirection;
}
