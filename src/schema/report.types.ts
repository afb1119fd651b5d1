import { GraphQLSafeInt } from 'graphql-scalars';
import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BotStep, Platform } from '../entities/enums';
import { ReportPeriod } from '../services/reports/report.service';

registerEnumType(ReportPeriod, {
  name: 'ReportPeriod',
  description: 'Buckets in business time (Asia/Ho_Chi_Minh); weeks start on Monday.',
});

@ArgsType()
export class ReportRangeArgs {
  @Field({ description: 'First business date (YYYY-MM-DD, Asia/Ho_Chi_Minh), included.' })
  from!: string;

  @Field({
    description: 'Last business date (YYYY-MM-DD), included; at most 731 days after `from`.',
  })
  to!: string;
}

@ArgsType()
export class ReportPeriodArgs extends ReportRangeArgs {
  @Field(() => ReportPeriod, { defaultValue: ReportPeriod.DAY })
  groupBy: ReportPeriod = ReportPeriod.DAY;
}

/** What every report with periods echoes back: its range and bucket size. */
// Never referenced itself: only the reports extending it reach the schema.
@ObjectType()
abstract class PeriodReport {
  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field(() => ReportPeriod)
  groupBy!: ReportPeriod;
}

const KEY_DESCRIPTION =
  'What the row is about: a platform, status, source... code, a channel, branch or user id, or the business date a period starts on. Null in `total`, and for rows without one (tickets without a result or assignee).';

@ObjectType({ description: 'Orders placed in the range, in total or in one slice.' })
export class OrderReportRow {
  @Field(() => String, { nullable: true, description: KEY_DESCRIPTION })
  key!: string | null;

  @Field(() => String, { nullable: true, description: 'A channel name, where the key is one.' })
  label!: string | null;

  @Field(() => Int)
  orders!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'Sum of totals (minor units) of orders not CANCELLED, FAILED or RETURNED.',
  })
  revenue!: number;

  @Field(() => Int)
  cancelled!: number;

  @Field(() => Int, { description: 'RETURN_REQUESTED or RETURNED.' })
  returned!: number;

  @Field(() => Float, { description: 'cancelled / orders (0 when there are none).' })
  cancellationRate!: number;

  @Field(() => Float, { description: 'returned / orders (0 when there are none).' })
  returnRate!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Mean seconds from first reaching CONFIRMED to first reaching SHIPPED, over the orders that did both.',
  })
  avgConfirmedToShippedSeconds!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Mean seconds from first SHIPPED to first DELIVERED, over the orders that did both.',
  })
  avgShippedToDeliveredSeconds!: number | null;
}

@ObjectType()
export class OrderReport extends PeriodReport {
  @Field(() => OrderReportRow)
  total!: OrderReportRow;

  @Field(() => [OrderReportRow])
  byPlatform!: OrderReportRow[];

  @Field(() => [OrderReportRow], { description: 'Per channel (shop); `label` is its name.' })
  byChannel!: OrderReportRow[];

  @Field(() => [OrderReportRow], { description: 'Per current normalized status.' })
  byStatus!: OrderReportRow[];

  @Field(() => [OrderReportRow], {
    description: 'Per DAY/WEEK/MONTH of placing; periods without orders are absent.',
  })
  byPeriod!: OrderReportRow[];
}

@ObjectType({ description: 'Tickets created in the range, in total or in one slice.' })
export class TicketReportRow {
  @Field(() => String, { nullable: true, description: KEY_DESCRIPTION })
  key!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A branch or user name, where the key is one.',
  })
  label!: string | null;

  @Field(() => Int)
  tickets!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  canceled!: number;

  @Field(() => Int, { description: 'Flagged missed (overdue when the missed-ticket job ran).' })
  missed!: number;

  @Field(() => Int, { description: 'Still NEW or ASSIGNED with a due time already past.' })
  overdue!: number;

  @Field(() => Float, { description: 'completed / tickets.' })
  completionRate!: number;

  @Field(() => Float, { description: 'missed / tickets.' })
  missedRate!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Median seconds from creation to completion of the completed ones.',
  })
  medianTimeToCompleteSeconds!: number | null;
}

@ObjectType()
export class TicketReport extends PeriodReport {
  @Field(() => TicketReportRow)
  total!: TicketReportRow;

  @Field(() => [TicketReportRow])
  bySource!: TicketReportRow[];

  @Field(() => [TicketReportRow])
  byResult!: TicketReportRow[];

  @Field(() => [TicketReportRow])
  byStatus!: TicketReportRow[];

  @Field(() => [TicketReportRow])
  byTarget!: TicketReportRow[];

  @Field(() => [TicketReportRow])
  byBranch!: TicketReportRow[];

  @Field(() => [TicketReportRow])
  byAssignee!: TicketReportRow[];

  @Field(() => [TicketReportRow])
  byPeriod!: TicketReportRow[];
}

@ObjectType({ description: 'Conversations started in the range, in total or in one slice.' })
export class ConversationReportRow {
  @Field(() => String, { nullable: true, description: KEY_DESCRIPTION })
  key!: string | null;

  @Field(() => String, { nullable: true, description: 'A channel name, where the key is one.' })
  label!: string | null;

  @Field(() => Int)
  conversations!: number;

  @Field(() => Int, { description: 'With a first answer (bot or agent).' })
  responded!: number;

  @Field(() => Int)
  resolved!: number;

  @Field(() => Int, { description: 'Handed from the bot to a person.' })
  handedOff!: number;

  @Field(() => Float, { description: 'handedOff / conversations.' })
  handoffRate!: number;

  @Field(() => Float, { nullable: true, description: 'Seconds from start to first answer.' })
  firstResponseMedianSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  firstResponseP90Seconds!: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds from start to resolution.' })
  resolutionMedianSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  resolutionP90Seconds!: number | null;
}

@ObjectType({
  description: 'Bot answers in the range’s conversations by the fallback step that answered.',
})
export class BotAnswerRow {
  @Field(() => BotStep, { nullable: true, description: 'Null for bot messages without a step.' })
  step!: BotStep | null;

  @Field(() => Int)
  answers!: number;

  @Field(() => Float, { nullable: true })
  medianLatencyMs!: number | null;

  @Field(() => Float, { nullable: true })
  p90LatencyMs!: number | null;
}

@ObjectType()
export class ConversationReport extends PeriodReport {
  @Field(() => ConversationReportRow)
  total!: ConversationReportRow;

  @Field(() => [ConversationReportRow])
  byChannel!: ConversationReportRow[];

  @Field(() => [ConversationReportRow])
  byPeriod!: ConversationReportRow[];

  @Field(() => [BotAnswerRow])
  botAnswers!: BotAnswerRow[];
}

@ObjectType({ description: 'Webhook pushes received in the range for one shop, platform or all.' })
export class IntegrationReportRow {
  @Field(() => Platform, { nullable: true, description: 'Null in the total.' })
  platform!: Platform | null;

  @Field(() => String, { nullable: true, description: 'Null in platform rows and the total.' })
  shopId!: string | null;

  @Field(() => Int, { description: 'Events stored (one per distinct event key).' })
  received!: number;

  @Field(() => Int)
  applied!: number;

  @Field(() => Int, { description: 'Stored, not applied yet.' })
  pending!: number;

  @Field(() => Int, { description: 'Failed and waiting for a retry.' })
  failed!: number;

  @Field(() => Int)
  deadLetters!: number;

  @Field(() => Int, {
    description:
      'Applied, failed or dead after more than one attempt: retries and replays. A replay resets the attempts, so a replayed event that then applied at once is not told apart.',
  })
  retried!: number;

  @Field(() => Int, {
    description:
      'Duplicates dropped: status events of the range that the order lattice did not apply (stale or repeated). A redelivery with the same event key is dropped at the inbox before any row is written, so those are not counted here.',
  })
  staleOrRepeatedDropped!: number;
}

@ObjectType({ description: 'The runbook’s “top issues” table: shops with most failures first.' })
export class IntegrationReport {
  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field(() => IntegrationReportRow)
  total!: IntegrationReportRow;

  @Field(() => [IntegrationReportRow])
  byPlatform!: IntegrationReportRow[];

  @Field(() => [IntegrationReportRow], { description: 'Dead letters + failures, most first.' })
  byShop!: IntegrationReportRow[];
}

@ObjectType()
export class CustomerChannelRow {
  @Field(() => ID, { nullable: true, description: 'Null: entered by staff, no order or chat.' })
  channelId!: string | null;

  @Field(() => Platform, { nullable: true })
  platform!: Platform | null;

  @Field(() => String, { nullable: true })
  label!: string | null;

  @Field(() => Int)
  customers!: number;
}

@ObjectType()
export class CustomerPeriodRow {
  @Field({ description: 'The business date the period starts on.' })
  key!: string;

  @Field(() => Int)
  customers!: number;
}

@ObjectType({ description: 'Orders placed in the range by customers with one label.' })
export class CustomerSegmentRow {
  @Field(() => ID, { nullable: true, description: 'Null: customers without any label.' })
  labelId!: string | null;

  @Field(() => String, { nullable: true })
  code!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Int, { description: 'Customers with an order in the range.' })
  customers!: number;

  @Field(() => Int)
  orders!: number;

  @Field(() => GraphQLSafeInt, { description: 'As in the order report.' })
  revenue!: number;
}

@ObjectType()
export class CustomerReport extends PeriodReport {
  @Field(() => Int, { description: 'Customers created in the range.' })
  newCustomers!: number;

  @Field(() => Int, {
    description:
      'New customers who share a phone or email with another customer: duplicates waiting to be merged. Merges are not recorded yet, so merged duplicates cannot be counted; once merged, a pair no longer counts here.',
  })
  possibleDuplicates!: number;

  @Field(() => [CustomerChannelRow], {
    description: 'By the channel of their first order or conversation, whichever came first.',
  })
  newByChannel!: CustomerChannelRow[];

  @Field(() => [CustomerPeriodRow])
  newByPeriod!: CustomerPeriodRow[];

  @Field(() => [CustomerSegmentRow], {
    description:
      'Revenue of orders placed in the range per customer label; a customer with two labels counts in both.',
  })
  revenueBySegment!: CustomerSegmentRow[];
}

@ObjectType({ description: 'Orders placed on one platform.' })
export class PlatformOrderCount {
  @Field(() => Platform)
  platform!: Platform;

  @Field(() => Int)
  orders!: number;
}

@ObjectType({ description: 'Orders placed in one clock hour.' })
export class OrderVolumeBucket {
  @Field({ description: 'The hour starts here; it ends an hour later (excluded).' })
  start!: Date;

  @Field(() => Int)
  orders!: number;

  @Field(() => [PlatformOrderCount], { description: 'Platforms with orders in this hour.' })
  byPlatform!: PlatformOrderCount[];
}

@ObjectType({ description: 'Orders placed per hour and platform, for a chart.' })
export class OrderVolume {
  @Field({ description: 'Start of the first hour.' })
  from!: Date;

  @Field({ description: 'End of the last hour, the current one (excluded).' })
  to!: Date;

  @Field(() => Int)
  total!: number;

  @Field(() => [PlatformOrderCount], { description: 'Platforms with orders in the window.' })
  byPlatform!: PlatformOrderCount[];

  @Field(() => [OrderVolumeBucket], {
    description: 'One per hour, oldest first, the current hour last; hours without orders too.',
  })
  buckets!: OrderVolumeBucket[];
}
