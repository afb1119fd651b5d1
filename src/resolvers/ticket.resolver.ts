import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { authorizeSubscription } from '../auth/permissions';
import { ticketVisibleTo } from '../auth/scopes';
import { scopedEvents, TOPICS } from '../realtime/scoped-subscription';
import { Branch, Customer, Ticket, TicketNote, User } from '../entities';
import { pageSize } from '../services/keyset';
import { ticketOfEvent, ticketService } from '../services/ticket.service';
import { TicketConnection } from '../schema/connections';
import { renewForEvent, type Context } from '../schema/context';
import { TicketFilter, TicketSortInput } from '../schema/inputs/ticket-filter.input';
import { PageArgs } from '../schema/pagination';

@Resolver(() => Ticket)
export class TicketResolver {
  @Query(() => Ticket, {
    nullable: true,
    description: "NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer.",
  })
  ticket(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Ticket> {
    return ticketService.get(ctx, id);
  }

  @Query(() => TicketConnection)
  async tickets(
    @Arg('filter', () => TicketFilter, { nullable: true }) filter: TicketFilter | undefined,
    @Arg('sort', () => TicketSortInput, { nullable: true }) sort: TicketSortInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<TicketConnection> {
    return new TicketConnection(await ticketService.list(ctx, filter ?? {}, page, sort));
  }

  @Subscription(() => Ticket, {
    description: 'Tickets the viewer may see, as they change (assignment, status, fields).',
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return scopedEvents({
        em: ctx.em,
        viewer: authorizeSubscription('ticketChanged', ctx.viewer),
        bus: ctx.services.bus,
        topic: TOPICS.ticketChanged,
        load: ticketOfEvent,
        visible: ticketVisibleTo,
        onEvent: (em, viewer) => renewForEvent(ctx, em, viewer),
      });
    },
  })
  ticketChanged(@Root() ticket: Ticket): Ticket {
    return ticket;
  }

  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<Customer | undefined> {
    return ctx.loaders.customer.load(ticket.customer.id);
  }

  @FieldResolver(() => User, { nullable: true })
  async assignee(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<User | undefined> {
    return ticket.assignee ? ctx.loaders.user.load(ticket.assignee.id) : undefined;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The curator (in_charge).' })
  async inCharge(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<User | undefined> {
    return ticket.inCharge ? ctx.loaders.user.load(ticket.inCharge.id) : undefined;
  }

  @FieldResolver(() => Branch, { nullable: true })
  branch(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<Branch | undefined> {
    return ctx.loaders.branch.load(ticket.branch.id);
  }

  @FieldResolver(() => Ticket, {
    nullable: true,
    description: 'The ticket this one was created from.',
  })
  async rootTicket(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<Ticket | undefined> {
    return ticket.rootTicket ? ctx.loaders.ticket.load(ticket.rootTicket.id) : undefined;
  }

  @FieldResolver(() => TicketNote, { nullable: true })
  async latestNote(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<TicketNote | undefined> {
    const [note] = await ctx.loaders.ticketNotes(1).load(ticket.id);
    return note;
  }

  @FieldResolver(() => [TicketNote], { description: 'Newest first.' })
  notes(
    @Root() ticket: Ticket,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ): Promise<TicketNote[]> {
    return ctx.loaders.ticketNotes(pageSize(first)).load(ticket.id);
  }
}

@Resolver(() => TicketNote)
export class TicketNoteResolver {
  @FieldResolver(() => User, { nullable: true })
  async author(@Root() note: TicketNote, @Ctx() ctx: Context): Promise<User | undefined> {
    return note.author ? ctx.loaders.user.load(note.author.id) : undefined;
  }
}
