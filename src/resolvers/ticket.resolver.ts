import type { GraphQLResolveInfo } from 'graphql';
import type { Loaded } from '../services/shared/loaders';
import type { Row } from '../services/shared/rows';
import {
  Arg,
  Args,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Info,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { FanOutExtension } from '../realtime/graphql-ws-server';
import { authorizeSubscription } from '../auth/permissions';
import { ticketVisibleTo } from '../auth/scopes';
import { scopedEvents } from '../realtime/scoped-subscription';
import { TOPICS } from '../kernel/topics';
import { Branch, Customer, Ticket, TicketHistory, TicketNote, User } from '../entities';
import { TicketResult } from '../entities/enums';
import { ticketLifecycle } from '../services/tickets/ticket-lifecycle.service';
import { buildTicketWhere } from '../services/tickets/ticket-filter';
import { ticketTitle } from '../services/tickets/ticket-title';
import {
  ticketChangeOfEvent,
  ticketReminderOfEvent,
  ticketService,
} from '../services/tickets/ticket.service';
import {
  TicketConnection,
  TicketHistoryConnection,
  TicketNoteConnection,
} from '../schema/connections';
import { TicketChange, TicketReminder } from '../schema/ticket-change.types';
import {
  CreateTicketInputType,
  CreateTicketsInputType,
  UpdateTicketInputType,
  VERSION_ARG,
} from '../schema/inputs/ticket-input.input';
import { renewForEvent, type Context } from '../schema/context';
import { TicketFilter, TicketSortInput } from '../schema/inputs/ticket-filter.input';
import { PageArgs } from '../schema/pagination';
import { pageSelectionOf } from '../schema/selection';

@Resolver(() => Ticket)
export class TicketResolver {
  @Query(() => Ticket, {
    nullable: true,
    description: "NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer.",
  })
  ticket(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Row<Ticket>> {
    return ticketService.get(ctx, id);
  }

  @Query(() => TicketConnection)
  async tickets(
    @Arg('filter', () => TicketFilter, { nullable: true }) filter: TicketFilter | undefined,
    @Arg('sort', () => TicketSortInput, { nullable: true }) sort: TicketSortInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TicketConnection> {
    return new TicketConnection(
      await ticketService.list(ctx, filter ?? {}, page, sort, pageSelectionOf(info)),
    );
  }

  @Extensions({ fanOut: { share: 'scope' } satisfies FanOutExtension })
  @Subscription(() => TicketChange, {
    description:
      'Creates, updates, status changes, assignments and notes on tickets the viewer may see (scope re-checked per event), optionally narrowed by a filter.',
    subscribe: ({ context, args }) => {
      const ctx = context as Context;
      const filter = (args as { filter?: TicketFilter }).filter;
      // Validated now (bad input refuses the subscription); rebuilt per event so
      // time labels such as OVERDUE or TODAY are judged at the event's time.
      if (filter) buildTicketWhere(filter);
      return scopedEvents({
        em: ctx.em,
        viewer: authorizeSubscription('ticketChanged', ctx.viewer),
        bus: ctx.services.bus,
        events: { topic: TOPICS.ticketChanged },
        load: ticketChangeOfEvent,
        visible: async (viewer, change: TicketChange, em) =>
          ticketVisibleTo(viewer, change.ticket) &&
          (!filter ||
            (await em().count(Ticket, {
              $and: [buildTicketWhere(filter, new Date()), { id: change.ticket.id }],
            })) > 0),
        onEvent: (em, viewer) => renewForEvent(ctx, em, viewer),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  ticketChanged(
    @Root() change: TicketChange,
    @Arg('filter', () => TicketFilter, { nullable: true }) _filter?: TicketFilter,
  ): TicketChange {
    return change;
  }

  @Subscription(() => TicketReminder, {
    description: 'Your own open tickets, 30 minutes before they are due.',
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return scopedEvents({
        em: ctx.em,
        viewer: authorizeSubscription('ticketReminder', ctx.viewer),
        bus: ctx.services.bus,
        events: { topic: TOPICS.ticketReminder },
        load: ticketReminderOfEvent,
        visible: (viewer, reminder: { ticket: Ticket; assigneeId: string }) =>
          viewer.kind === 'user' &&
          reminder.assigneeId === viewer.id &&
          ticketVisibleTo(viewer, reminder.ticket),
        onEvent: (em, viewer) => renewForEvent(ctx, em, viewer),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  ticketReminder(@Root() reminder: TicketReminder): TicketReminder {
    return reminder;
  }

  @Mutation(() => Ticket, {
    description:
      'Sources 1, 2, 5 and 6, status NEW (ASSIGNED with an assigneeId). Staff and leaders create tickets of their own team; staff own what they create; leaders may name an owner in their team; Admin and BOD name the target. IT creates none.',
  })
  createTicket(
    @Arg('input', () => CreateTicketInputType) input: CreateTicketInputType,
    @Ctx() ctx: Context,
  ): Promise<Ticket> {
    return ticketLifecycle.create(ctx, ctx.services.bus, input);
  }

  @Mutation(() => [Ticket], {
    description:
      'BR-CRM-009: many tickets in one transaction, all or nothing; the same roles as createTicket. One ticket per customer: a customer named twice (or a merged id beside its survivor) is a BAD_USER_INPUT row error naming both rows.',
  })
  createTickets(
    @Arg('input', () => CreateTicketsInputType) input: CreateTicketsInputType,
    @Ctx() ctx: Context,
  ): Promise<Ticket[]> {
    return ticketLifecycle.createMany(ctx, ctx.services.bus, input);
  }

  @Mutation(() => Ticket, {
    description:
      "Edits a NEW or ASSIGNED ticket. Anyone who sees the ticket (staff: tickets they own or curate; leaders: their team's; Admin, BOD: all) edits title, description and due date; only leaders, Admin and BOD change the curator.",
  })
  updateTicket(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int, { description: VERSION_ARG })
    version: number,
    @Arg('input', () => UpdateTicketInputType) input: UpdateTicketInputType,
    @Ctx() ctx: Context,
  ): Promise<Ticket> {
    return ticketLifecycle.update(ctx, ctx.services.bus, id, version, input);
  }

  @Mutation(() => Ticket, {
    description:
      'ASSIGNED -> COMPLETED with a result; a NEW ticket must be assigned first (BAD_USER_INPUT). By its owner or curator, a leader of its team, Admin or BOD. Follow-up rules (sources 3, 7) run in the same transaction.',
  })
  completeTicket(
    @Arg('id', () => ID) id: string,
    @Arg('resultCode', () => TicketResult) result: TicketResult,
    @Arg('note', () => String, { nullable: true }) note: string | undefined,
    @Arg('version', () => Int, { description: VERSION_ARG }) version: number,
    @Ctx() ctx: Context,
  ): Promise<Ticket> {
    return ticketLifecycle.complete(ctx, ctx.services.bus, { id, result, note, version });
  }

  @Mutation(() => Ticket, {
    description:
      'NEW or ASSIGNED -> CANCELED, with a reason (kept as a note). By its owner or curator, a leader of its team, Admin or BOD.',
  })
  cancelTicket(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Arg('version', () => Int, { description: VERSION_ARG }) version: number,
    @Ctx() ctx: Context,
  ): Promise<Ticket> {
    return ticketLifecycle.cancel(ctx, ctx.services.bus, { id, reason, version });
  }

  @Mutation(() => Ticket, {
    description:
      'CANCELED -> ASSIGNED (NEW when it has no owner). A COMPLETED ticket never reopens: its result stands and its follow-up rules already ran. The same roles as cancelTicket.',
  })
  reopenTicket(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int, { description: VERSION_ARG }) version: number,
    @Ctx() ctx: Context,
  ): Promise<Ticket> {
    return ticketLifecycle.reopen(ctx, ctx.services.bus, { id, version });
  }

  @Mutation(() => TicketNote, {
    description:
      'Appends a note; changes no field or status, so it takes no version. Anyone who sees the ticket, in any status.',
  })
  addTicketNote(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('body') body: string,
    @Ctx() ctx: Context,
  ): Promise<TicketNote> {
    return ticketLifecycle.addNote(ctx, ctx.services.bus, { ticketId, body });
  }

  @FieldResolver(() => TicketHistoryConnection, { description: 'Newest first.' })
  async history(
    @Root() ticket: Row<Ticket>,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TicketHistoryConnection> {
    return new TicketHistoryConnection(
      await ticketLifecycle.history(ctx, ticket.id, page, pageSelectionOf(info)),
    );
  }

  @FieldResolver(() => TicketNoteConnection, { description: 'Newest first.' })
  async notes(
    @Root() ticket: Row<Ticket>,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TicketNoteConnection> {
    return new TicketNoteConnection(
      await ticketLifecycle.notes(ctx, ticket.id, page, pageSelectionOf(info)),
    );
  }

  @FieldResolver(() => String, {
    description:
      "A title the system wrote after the customer ends with the customer's current name.",
  })
  title(@Root() ticket: Row<Ticket>, @Ctx() ctx: Context): string | Promise<string> {
    if (!ticket.titleNamesCustomer) return ticket.title;
    const customer = ctx.loaders.customer.row(ticket.customer.id);
    return customer instanceof Promise
      ? customer.then((loaded) => ticketTitle(ticket, loaded?.fullName))
      : ticketTitle(ticket, customer?.fullName);
  }

  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() ticket: Row<Ticket>, @Ctx() ctx: Context): Loaded<Customer> {
    return ctx.loaders.customer.row(ticket.customer.id);
  }

  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() ticket: Row<Ticket>, @Ctx() ctx: Context): Loaded<User> {
    return ticket.assignee ? ctx.loaders.user.row(ticket.assignee.id) : undefined;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The curator (in_charge).' })
  inCharge(@Root() ticket: Row<Ticket>, @Ctx() ctx: Context): Loaded<User> {
    return ticket.inCharge ? ctx.loaders.user.row(ticket.inCharge.id) : undefined;
  }

  @FieldResolver(() => Branch, { nullable: true })
  branch(@Root() ticket: Row<Ticket>, @Ctx() ctx: Context): Loaded<Branch> {
    return ctx.loaders.branch.row(ticket.branch.id);
  }

  @FieldResolver(() => Ticket, {
    nullable: true,
    description: 'The ticket this one was created from.',
  })
  async rootTicket(
    @Root() ticket: Row<Ticket>,
    @Ctx() ctx: Context,
  ): Promise<Row<Ticket> | undefined> {
    return ticket.rootTicket ? ctx.loaders.ticket.load(ticket.rootTicket.id) : undefined;
  }

  @FieldResolver(() => TicketNote, { nullable: true })
  latestNote(@Root() ticket: Row<Ticket>, @Ctx() ctx: Context): Loaded<TicketNote> {
    const notes = ctx.loaders.ticketNotes.of(1, ticket.id);
    return Array.isArray(notes) ? notes[0] : notes.then(([note]) => note);
  }
}

@Resolver(() => TicketHistory)
export class TicketHistoryResolver {
  @FieldResolver(() => User, {
    nullable: true,
    description: 'Who made the change; null for the system.',
  })
  actor(@Root() row: Row<TicketHistory>, @Ctx() ctx: Context): Loaded<User> {
    return row.actor ? ctx.loaders.user.row(row.actor.id) : undefined;
  }
}

@Resolver(() => TicketNote)
export class TicketNoteResolver {
  @FieldResolver(() => User, { nullable: true })
  author(@Root() note: Row<TicketNote>, @Ctx() ctx: Context): Loaded<User> {
    return note.author ? ctx.loaders.user.row(note.author.id) : undefined;
  }
}
