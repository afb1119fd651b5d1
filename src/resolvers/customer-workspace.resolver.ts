import type { Row } from '../services/shared/rows';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Customer, CustomerNote, User } from '../entities';
import { customerWorkspace } from '../services/customers/customer-workspace.service';
import {
  ActivityItemConnection,
  ConversationConnection,
  CustomerNoteConnection,
  OrderConnection,
  PaymentConnection,
  TicketConnection,
} from '../schema/connections';
import type { Context } from '../schema/context';
import { CustomerWorkspace } from '../schema/customer.types';
import { PageArgs } from '../schema/pagination';

@Resolver(() => Customer)
export class CustomerWorkspaceFieldsResolver {
  @FieldResolver(() => CustomerWorkspace, {
    description:
      'The detail tabs (notes, orders, tickets, conversations, payments, activity); meant for one customer at a time.',
  })
  workspace(@Root() customer: Row<Customer>): CustomerWorkspace {
    return new CustomerWorkspace(customer.id);
  }

  @FieldResolver(() => GraphQLSafeInt, {
    description: 'Completed orders plus paid payments outside them, in minor units.',
  })
  async realRevenue(@Root() customer: Row<Customer>, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.customerOrderTotals.load(customer.id)).realRevenue;
  }

  @FieldResolver(() => Date, { nullable: true })
  async lastOrderAt(@Root() customer: Row<Customer>, @Ctx() ctx: Context): Promise<Date | null> {
    return (await ctx.loaders.customerOrderTotals.load(customer.id)).lastOrderAt;
  }

  @Mutation(() => CustomerNote)
  addCustomerNote(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('body') body: string,
    @Ctx() ctx: Context,
  ): Promise<CustomerNote> {
    return customerWorkspace.addNote(ctx, ctx.services.bus, customerId, body);
  }

  @Mutation(() => Customer, { description: "Replaces the customer's labels with exactly these." })
  setCustomerLabels(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('labelIds', () => [ID]) labelIds: string[],
    @Ctx() ctx: Context,
  ): Promise<Customer> {
    return customerWorkspace.setLabels(ctx, ctx.services.bus, customerId, labelIds);
  }
}

@Resolver(() => CustomerWorkspace)
export class CustomerWorkspaceResolver {
  @FieldResolver(() => CustomerNoteConnection, { description: 'Newest first.' })
  async notes(
    @Root() w: CustomerWorkspace,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new CustomerNoteConnection(await customerWorkspace.notes(ctx, w.customerId, page));
  }

  @FieldResolver(() => OrderConnection, { description: 'Order history, newest first.' })
  async orders(
    @Root() w: CustomerWorkspace,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new OrderConnection(await customerWorkspace.orders(ctx, w.customerId, page));
  }

  @FieldResolver(() => TicketConnection, {
    description: 'Newest first; only the tickets the viewer may see.',
  })
  async tickets(
    @Root() w: CustomerWorkspace,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new TicketConnection(await customerWorkspace.tickets(ctx, w.customerId, page));
  }

  @FieldResolver(() => ConversationConnection, { description: 'Most recently updated first.' })
  async conversations(
    @Root() w: CustomerWorkspace,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new ConversationConnection(
      await customerWorkspace.conversations(ctx, w.customerId, page),
    );
  }

  @FieldResolver(() => PaymentConnection, { description: 'Newest first.' })
  async payments(
    @Root() w: CustomerWorkspace,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new PaymentConnection(await customerWorkspace.payments(ctx, w.customerId, page));
  }

  @FieldResolver(() => ActivityItemConnection, {
    description:
      'Notes, ticket changes, order status changes and messages in one feed, newest first.',
  })
  async activity(
    @Root() w: CustomerWorkspace,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new ActivityItemConnection(await customerWorkspace.activity(ctx, w.customerId, page));
  }
}

@Resolver(() => CustomerNote)
export class CustomerNoteResolver {
  @FieldResolver(() => User, { nullable: true })
  async author(
    @Root() note: Row<CustomerNote>,
    @Ctx() ctx: Context,
  ): Promise<Row<User> | undefined> {
    return note.author ? ctx.loaders.user.load(note.author.id) : undefined;
  }
}
