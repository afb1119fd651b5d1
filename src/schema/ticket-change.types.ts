import { Field, ObjectType } from 'type-graphql';
import { Ticket } from '../entities';

@ObjectType({ description: 'One change to a ticket, as pushed by ticketChanged.' })
export class TicketChange {
  @Field({
    description: 'CREATED, UPDATED, ASSIGNED, COMPLETED, CANCELED, REOPENED, NOTE_ADDED or MISSED.',
  })
  action!: string;

  @Field(() => [String], { description: 'The fields this change touched.' })
  changedFields!: string[];

  @Field(() => Ticket, { description: 'The ticket as it is after the change.' })
  ticket!: Ticket;
}

@ObjectType({ description: 'A ticket of yours is due soon.' })
export class TicketReminder {
  @Field()
  dueAt!: Date;

  @Field(() => Ticket)
  ticket!: Ticket;
}
