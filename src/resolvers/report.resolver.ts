import { Arg, Args, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Platform, TicketTarget } from '../entities/enums';
import type { Context } from '../schema/context';
import {
  ConversationReport,
  CustomerReport,
  IntegrationReport,
  OrderReport,
  OrderVolume,
  ReportPeriodArgs,
  ReportRangeArgs,
  TicketReport,
} from '../schema/report.types';
import {
  MAX_VOLUME_HOURS,
  parseBusinessRange,
  reportService,
} from '../services/reports/report.service';

/** Aggregates for dashboards and BI tools; each is scoped to the viewer's rows (docs/reports-and-exports.md). */
@Resolver()
export class ReportResolver {
  @Query(() => OrderReport, {
    description:
      'Orders placed in the range: count, revenue, cancellation and return rates and lead times, by platform, channel, status and period.',
  })
  orderReport(
    @Args(() => ReportPeriodArgs) { from, to, groupBy }: ReportPeriodArgs,
    @Arg('platforms', () => [Platform], { nullable: true }) platforms: Platform[] | undefined,
    @Arg('channelIds', () => [ID], { nullable: true }) channelIds: string[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<OrderReport> {
    return reportService.orders(ctx, parseBusinessRange(from, to), groupBy, {
      platforms,
      channelIds,
    });
  }

  @Query(() => TicketReport, {
    description:
      'Tickets created in the range that the viewer may see (a staff member: their own), by source, result, status, target, branch, assignee and period.',
  })
  ticketReport(
    @Args(() => ReportPeriodArgs) { from, to, groupBy }: ReportPeriodArgs,
    @Arg('targets', () => [TicketTarget], { nullable: true }) targets: TicketTarget[] | undefined,
    @Arg('branchIds', () => [ID], { nullable: true }) branchIds: string[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<TicketReport> {
    return reportService.tickets(ctx, parseBusinessRange(from, to), groupBy, {
      targets,
      branchIds,
    });
  }

  @Query(() => ConversationReport, {
    description:
      'Conversations started in the range that the viewer may see: response and resolution times, handoffs, and bot answers by fallback step.',
  })
  conversationReport(
    @Args(() => ReportPeriodArgs) { from, to, groupBy }: ReportPeriodArgs,
    @Arg('channelIds', () => [ID], { nullable: true }) channelIds: string[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<ConversationReport> {
    return reportService.conversations(ctx, parseBusinessRange(from, to), groupBy, {
      channelIds,
    });
  }

  @Query(() => IntegrationReport, {
    description:
      'Webhook pushes received in the range per platform and shop: applied, failed, dead letters, retries and dropped duplicates.',
  })
  integrationReport(
    @Args(() => ReportRangeArgs) { from, to }: ReportRangeArgs,
    @Arg('platforms', () => [Platform], { nullable: true }) platforms: Platform[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<IntegrationReport> {
    return reportService.integrations(ctx, parseBusinessRange(from, to), { platforms });
  }

  @Query(() => CustomerReport, {
    description:
      'Customers created in the range by channel and period, possible duplicates, and revenue per label.',
  })
  customerReport(
    @Args(() => ReportPeriodArgs) { from, to, groupBy }: ReportPeriodArgs,
    @Ctx() ctx: Context,
  ): Promise<CustomerReport> {
    return reportService.customers(ctx, parseBusinessRange(from, to), groupBy);
  }

  @Query(() => OrderVolume, {
    description:
      'Orders placed per clock hour and platform over the last `hours` hours, the current hour last: the dashboard chart.',
  })
  orderVolume(
    @Arg('hours', () => Int, { defaultValue: 24, description: `1 to ${MAX_VOLUME_HOURS}.` })
    hours: number,
    @Ctx() ctx: Context,
  ): Promise<OrderVolume> {
    return reportService.orderVolume(ctx, hours);
  }
}
