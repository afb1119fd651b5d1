import { Field, ID, InputType } from 'type-graphql';
import { TicketResult, TicketSource, TicketStatus, TicketTarget } from '../../entities/enums';
import type { TicketListFilter } from '../../services/ticket.service';

@InputType({ description: 'All conditions combine with AND; list values match any of the list.' })
export class TicketFilter implements TicketListFilter {
  @Field(() => TicketStatus, { nullable: true })
  status?: TicketStatus;

  @Field(() => [TicketStatus], { nullable: true })
  statuses?: TicketStatus[];

  @Field({ nullable: true, description: 'Only tickets whose due date passed while open.' })
  missed?: boolean;

  @Field(() => [ID], { nullable: true })
  assigneeIds?: string[];

  @Field(() => [ID], { nullable: true, description: 'Curators (in_charge).' })
  curatorIds?: string[];

  @Field(() => [ID], { nullable: true })
  branchIds?: string[];

  @Field(() => ID, { nullable: true })
  customerId?: string;

  @Field(() => [TicketTarget], { nullable: true })
  targets?: TicketTarget[];

  @Field(() => [TicketSource], { nullable: true })
  ticketSources?: TicketSource[];

  @Field(() => [TicketResult], { nullable: true })
  ticketResults?: TicketResult[];
}
