import { Field, ID, InputType } from 'type-graphql';
import { TicketSource, TicketTarget } from '../../entities/enums';
import type {
  CreateTicketInput,
  UpdateTicketInput,
} from '../../services/tickets/ticket-lifecycle.service';

@InputType()
export class CreateTicketInputType implements CreateTicketInput {
  @Field(() => ID)
  customerId!: string;

  @Field()
  title!: string;

  @Field({ nullable: true })
  description?: string;

  @Field(() => TicketSource, { description: 'NEW_CUSTOMER, COMPLAINT, CONVERSATION or MANUAL.' })
  source!: TicketSource;

  @Field(() => TicketTarget, {
    nullable: true,
    description: 'Team roles always create for their own team.',
  })
  target?: TicketTarget;

  @Field(() => ID)
  branchId!: string;

  @Field({ nullable: true })
  dueAt?: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'Leaders and admins only; staff own what they create.',
  })
  assigneeId?: string;

  @Field(() => ID, { nullable: true })
  inChargeId?: string;

  @Field(() => ID, { nullable: true })
  rootTicketId?: string;
}

@InputType({
  description: 'Everything of CreateTicketInput but the customer, shared by every row.',
})
export class SharedTicketInput implements Omit<CreateTicketInput, 'customerId'> {
  @Field()
  title!: string;

  @Field({ nullable: true })
  description?: string;

  @Field(() => TicketSource)
  source!: TicketSource;

  @Field(() => TicketTarget, { nullable: true })
  target?: TicketTarget;

  @Field(() => ID)
  branchId!: string;

  @Field({ nullable: true })
  dueAt?: Date;

  @Field(() => ID, { nullable: true })
  assigneeId?: string;

  @Field(() => ID, { nullable: true })
  inChargeId?: string;
}

@InputType({
  description:
    'From a root ticket (its fields are copied) or from shared fields, over many customers.',
})
export class CreateTicketsInputType {
  @Field(() => ID, { nullable: true })
  rootTicketId?: string;

  @Field(() => SharedTicketInput, { nullable: true })
  shared?: SharedTicketInput;

  @Field(() => [ID])
  customerIds!: string[];
}

@InputType()
export class UpdateTicketInputType implements UpdateTicketInput {
  @Field({ nullable: true })
  title?: string;

  @Field({ nullable: true })
  description?: string;

  @Field({ nullable: true, description: 'null clears the due date.' })
  dueAt?: Date;

  @Field(() => ID, { nullable: true, description: 'Leaders only.' })
  inChargeId?: string;
}

/** One wording for the `version` argument of every ticket mutation that changes fields or status. */
export const VERSION_ARG =
  "The ticket's version you read. Required: a stale one is CONFLICT with extensions.currentVersion, and nothing changes.";
