import type { Row } from '../services/shared/rows';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { pageSelectionOf } from '../schema/selection';
import { Branch, Conversation, Customer, CustomerLabel, Order, Ticket } from '../entities';
import { maskContact, masksContactDetails } from '../auth/scopes';
import { customerService } from '../services/customers/customer.service';
import { phoneTypeOf } from '../services/customers/phone';
import { PhoneType } from '../entities/enums';
import { pageSize } from '../services/shared/keyset';
import { CustomerConnection } from '../schema/connections';
import type { Context } from '../schema/context';
import { CustomerFilter } from '../schema/inputs/customer-filter.input';
import { PageArgs } from '../schema/pagination';

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, {
    nullable: true,
    description: "NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer.",
  })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Customer> {
    return customerService.get(ctx, id);
  }

  @Query(() => CustomerConnection)
  async customers(
    @Arg('filter', () => CustomerFilter, { nullable: true }) filter: CustomerFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CustomerConnection> {
    return new CustomerConnection(
      await customerService.list(ctx, filter ?? {}, page, pageSelectionOf(info)),
    );
  }

  @FieldResolver(() => String, { nullable: true, description: 'E.164; masked for IT.' })
  phone(@Root() customer: Row<Customer>, @Ctx() ctx: Context): string | null {
    return masksContactDetails(ctx.viewer) ? maskContact(customer.phone) : (customer.phone ?? null);
  }

  @FieldResolver(() => PhoneType, {
    nullable: true,
    description:
      'What kind of number `phone` is, from its E.164 form: Vietnamese MOBILE or LANDLINE, FOREIGN, or OTHER (toll-free, VoIP). Every valid number is accepted.',
  })
  phoneType(@Root() customer: Row<Customer>): PhoneType | null {
    return phoneTypeOf(customer.phone);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked for IT.' })
  email(@Root() customer: Row<Customer>, @Ctx() ctx: Context): string | null {
    return masksContactDetails(ctx.viewer) ? maskContact(customer.email) : (customer.email ?? null);
  }

  @FieldResolver(() => Branch, { nullable: true })
  async branch(
    @Root() customer: Row<Customer>,
    @Ctx() ctx: Context,
  ): Promise<Row<Branch> | undefined> {
    return customer.branch ? ctx.loaders.branch.load(customer.branch.id) : undefined;
  }

  @FieldResolver(() => [CustomerLabel])
  labels(@Root() customer: Row<Customer>, @Ctx() ctx: Context): Promise<Row<CustomerLabel>[]> {
    return ctx.loaders.customerLabels.load(customer.id);
  }

  @FieldResolver(() => [Order], { description: 'Newest first.' })
  orders(
    @Root() customer: Row<Customer>,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ): Row<Order>[] | Promise<Row<Order>[]> {
    return ctx.loaders.customerOrders.of(pageSize(first), customer.id);
  }

  @FieldResolver(() => [Ticket], { description: 'Newest first.' })
  tickets(
    @Root() customer: Row<Customer>,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ): Promise<Row<Ticket>[]> {
    return ctx.loaders.customerTickets(pageSize(first)).load(customer.id);
  }

  @FieldResolver(() => [Conversation], { description: 'Most recently active first.' })
  conversations(
    @Root() customer: Row<Customer>,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: Context,
  ): Promise<Row<Conversation>[]> {
    return ctx.loaders.customerConversations(pageSize(first)).load(customer.id);
  }
}
