import type { Row } from '../services/shared/rows';
import {
  Arg,
  Args,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { FanOutExtension } from '../realtime/graphql-ws-server';
import { authorizeSubscription } from '../auth/permissions';
import { customerScope } from '../auth/scopes';
import { Customer, CustomerMerge } from '../entities';
import { scopedEvents } from '../realtime/scoped-subscription';
import { TOPICS, type CustomerChangedEvent } from '../kernel/topics';
import { customerService } from '../services/customers/customer.service';
import { customerErasureService } from '../services/customers/customer-erasure.service';
import { customerMergeService } from '../services/customers/customer-merge.service';
import { renewForEvent, type Context } from '../schema/context';
import { CustomerChange, DuplicateGroup, MergeFieldChoicesInput } from '../schema/customer.types';
import { DuplicateGroupConnection } from '../schema/connections';
import { PageArgs } from '../schema/pagination';
import { duplicateCandidates } from '../services/customers/duplicate-candidates.service';
import { CustomerInput } from '../schema/inputs/customer-input.input';

/** Writes to customers: create/update with duplicate checks, merge, un-merge, erasure. */
@Resolver(() => Customer)
export class CustomerWriteResolver {
  @Mutation(() => Customer, {
    description:
      'CONFLICT (extensions.existingCustomerId) when a customer with the same normalized phone or e-mail exists, unless allowDuplicate.',
  })
  createCustomer(
    @Arg('input', () => CustomerInput) input: CustomerInput,
    @Arg('allowDuplicate', { defaultValue: false }) allowDuplicate: boolean,
    @Ctx() ctx: Context,
  ): Promise<Customer> {
    return customerService.create(ctx, ctx.services.bus, input, allowDuplicate);
  }

  @Mutation(() => Customer)
  updateCustomer(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CustomerInput) input: CustomerInput,
    @Arg('allowDuplicate', { defaultValue: false }) allowDuplicate: boolean,
    @Ctx() ctx: Context,
  ): Promise<Customer> {
    return customerService.update(ctx, ctx.services.bus, id, input, allowDuplicate);
  }

  @Mutation(() => CustomerMerge, {
    description:
      'Moves every ticket, order, conversation, note, label and payment of mergedIds to the survivor; the merged records stay as tombstones. Idempotent; CONFLICT (extensions.reason MERGE_CYCLE, CUSTOMER_ALREADY_MERGED, CUSTOMER_ERASED) otherwise.',
  })
  mergeCustomers(
    @Arg('survivorId', () => ID) survivorId: string,
    @Arg('mergedIds', () => [ID]) mergedIds: string[],
    @Arg('fieldChoices', () => MergeFieldChoicesInput, { nullable: true })
    fieldChoices: MergeFieldChoicesInput | undefined,
    @Ctx() ctx: Context,
  ): Promise<CustomerMerge> {
    return customerMergeService.merge(ctx, ctx.services.bus, survivorId, mergedIds, fieldChoices);
  }

  @Mutation(() => CustomerMerge, {
    description:
      'Restores the merged records and every link exactly as before the merge. CONFLICT LATER_MERGE while a later merge of these customers stands.',
  })
  unmergeCustomer(
    @Arg('mergeId', () => ID) mergeId: string,
    @Ctx() ctx: Context,
  ): Promise<CustomerMerge> {
    return customerMergeService.unmerge(ctx, ctx.services.bus, mergeId);
  }

  @Mutation(() => Customer, {
    description:
      'Right to be forgotten: personal data is removed from the customer, their notes and messages; orders and payments stay under a pseudonym.',
  })
  eraseCustomer(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Ctx() ctx: Context,
  ): Promise<Customer> {
    return customerErasureService.erase(ctx, ctx.services.bus, id, reason);
  }

  @Extensions({ fanOut: { share: 'scope' } satisfies FanOutExtension })
  @Subscription(() => CustomerChange, {
    description: 'Changes to customer records (one event per merge, after it commits).',
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return scopedEvents({
        em: ctx.em,
        viewer: authorizeSubscription('customerChanged', ctx.viewer),
        bus: ctx.services.bus,
        events: { topic: TOPICS.customerChanged },
        load: (_em, event: CustomerChangedEvent) => Promise.resolve(event),
        visible: (viewer) => customerScope(viewer) !== null,
        onEvent: (em, viewer) => renewForEvent(ctx, em, viewer),
        onError: (error) => ctx.services.logger.error({ err: error }, 'subscription stream failed'),
      });
    },
  })
  customerChanged(@Root() change: CustomerChange): CustomerChange {
    return change;
  }
}

@Resolver(() => DuplicateGroup)
export class DuplicateGroupResolver {
  @Query(() => DuplicateGroupConnection, {
    description:
      'Groups of likely duplicates: same phone (any spelling), same e-mail, same platform buyer id, or a similar name (pg_trgm >= 0.7) with the same last six phone digits.',
  })
  async duplicateCandidates(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<DuplicateGroupConnection> {
    return new DuplicateGroupConnection(await duplicateCandidates.list(ctx, page));
  }

  @FieldResolver(() => [Customer])
  async customers(@Root() group: DuplicateGroup, @Ctx() ctx: Context): Promise<Row<Customer>[]> {
    const rows = await ctx.loaders.customer.loadMany(group.customerIds);
    // loadMany answers an Error in place of a failed key and undefined for one out of scope.
    return rows.filter((row): row is Row<Customer> => row !== undefined && !(row instanceof Error));
  }
}

@Resolver(() => CustomerMerge)
export class CustomerMergeResolver {
  @FieldResolver(() => Customer, { nullable: true })
  async survivor(
    @Root() merge: Row<CustomerMerge>,
    @Ctx() ctx: Context,
  ): Promise<Row<Customer> | undefined> {
    return ctx.loaders.customer.load(merge.survivor.id);
  }
}
