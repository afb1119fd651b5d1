import type { Row } from '../services/shared/rows';
import {
  Arg,
  Args,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Order, ReconciliationMismatch, ReconciliationRun } from '../entities';
import { ReconciliationMismatchKind } from '../entities/enums';
import { reconciliationService } from '../services/orders/reconciliation.service';
import type { Context } from '../schema/context';
import { ConnectionType, PageArgs } from '../schema/pagination';

@ObjectType()
export class ReconciliationMismatchConnection extends ConnectionType(ReconciliationMismatch) {}

@ObjectType({ description: 'A reconciled business day: its summary and what did not match.' })
class ReconciliationReport {
  @Field(() => ReconciliationRun, {
    nullable: true,
    description: 'Null when the date was never reconciled (then there are no mismatches either).',
  })
  run!: ReconciliationRun | null;

  @Field(() => ReconciliationMismatchConnection, {
    description: 'In the order the orders were placed or the payments paid.',
  })
  mismatches!: ReconciliationMismatchConnection;
}

const DATE_DESCRIPTION =
  'A business date, YYYY-MM-DD in Asia/Ho_Chi_Minh. It covers the orders placed, paid or settled (reaching their current status) that day and the payments without an order paid that day; see docs/operations.md.';

/** Payments against orders per business day, for finance and operations (Admin, BOD, IT). */
@Resolver(() => ReconciliationMismatch)
export class ReconciliationResolver {
  @Mutation(() => ReconciliationRun, {
    description:
      'Reconciles a business date now, replacing an earlier run of the same date (running it twice gives the same report). A malformed or future date is BAD_USER_INPUT.',
  })
  runReconciliation(
    @Arg('date', { description: DATE_DESCRIPTION }) date: string,
    @Ctx() ctx: Context,
  ): Promise<ReconciliationRun> {
    return reconciliationService.run(ctx.em, date);
  }

  @Query(() => ReconciliationReport, {
    description:
      'The last run of a business date and its mismatches; `run` is null if the date was never reconciled.',
  })
  async reconciliationReport(
    @Arg('date', { description: DATE_DESCRIPTION }) date: string,
    @Arg('kinds', () => [ReconciliationMismatchKind], {
      nullable: true,
      description: 'Only mismatches of these kinds (all when omitted).',
    })
    kinds: ReconciliationMismatchKind[] | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ReconciliationReport> {
    const report = await reconciliationService.report(ctx, date, { kinds }, page);
    return {
      run: report.run,
      mismatches: new ReconciliationMismatchConnection(report.mismatches),
    };
  }

  @FieldResolver(() => ID, { nullable: true, description: 'Null for a MISSING_ORDER.' })
  orderId(@Root() mismatch: Row<ReconciliationMismatch>): string | null {
    return mismatch.order?.id ?? null;
  }

  @FieldResolver(() => Order, { nullable: true })
  async order(
    @Root() mismatch: Row<ReconciliationMismatch>,
    @Ctx() ctx: Context,
  ): Promise<Row<Order> | undefined> {
    return mismatch.order ? ctx.loaders.order.load(mismatch.order.id) : undefined;
  }

  @FieldResolver(() => GraphQLSafeInt, { description: 'actual - expected, in minor units.' })
  difference(@Root() mismatch: Row<ReconciliationMismatch>): number {
    return mismatch.actual - mismatch.expected;
  }
}
