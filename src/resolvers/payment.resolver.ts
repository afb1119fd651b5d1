import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Payment, Ticket } from '../entities';
import { TicketAutomationRule } from '../entities/enums';
import { paymentService, type RecordPaymentInput } from '../services/orders/payments';
import { runTicketAutomation } from '../services/tickets/ticket-automation';
import type { Context } from '../schema/context';

@InputType({
  description: 'A payment that succeeded, as its payer (gateway, bank, cashier) knows it.',
})
class RecordPaymentInputType implements RecordPaymentInput {
  @Field({
    description:
      "The payer's id for this payment (gateway transaction, bank reference): recording it again changes nothing.",
  })
  externalId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Who paid; optional with an orderId whose customer is known (it must match).',
  })
  customerId?: string;

  @Field(() => ID, { nullable: true, description: 'The order paid for, if any.' })
  orderId?: string;

  @Field(() => GraphQLSafeInt, { description: 'Minor units of currency (VND has none); above 0.' })
  amount!: number;

  @Field({ nullable: true, description: 'ISO 4217; VND when omitted.' })
  currency?: string;

  @Field({ description: 'How it was paid, e.g. BANK_TRANSFER, CASH, CARD, E_WALLET.' })
  method!: string;

  @Field({
    nullable: true,
    description: 'When it was paid; now when omitted, never in the future.',
  })
  paidAt?: Date;
}

@ObjectType()
class RecordPaymentResult {
  @Field(() => Payment)
  payment!: Payment;

  @Field({ description: 'false when this externalId was recorded before: nothing changed.' })
  created!: boolean;

  @Field(() => Ticket, {
    nullable: true,
    description:
      "The after-sale care ticket (source 4) the payment opened, now or when first recorded; one per order or order-less payment, shared with the order's delivered milestone.",
  })
  afterSaleTicket?: Ticket | null;
}

@ObjectType()
class TicketAutomationRun {
  @Field(() => TicketAutomationRule)
  rule!: TicketAutomationRule;

  @Field({ description: 'The business date (Asia/Ho_Chi_Minh) the rule ran for.' })
  date!: string;

  @Field(() => [Ticket], {
    description: 'The tickets this run created; empty when an earlier run made them.',
  })
  created!: Ticket[];
}

@Resolver()
export class PaymentResolver {
  @Mutation(() => RecordPaymentResult, {
    description:
      'Records a PAID payment (staff: TELESALES, CUSTOMER_SERVICE, their leaders, Admin, BOD), idempotent on externalId; the same externalId with other amount, currency, customer or order is CONFLICT. Opens the after-sale care ticket once.',
  })
  async recordPayment(
    @Arg('input', () => RecordPaymentInputType) input: RecordPaymentInputType,
    @Ctx() ctx: Context,
  ): Promise<RecordPaymentResult> {
    return paymentService.record(ctx, ctx.services.bus, input);
  }

  @Mutation(() => TicketAutomationRun, {
    description:
      'Admin: runs a dated ticket rule for a business date (YYYY-MM-DD, today or earlier) now, as its schedule would; idempotent, returns what it created.',
  })
  async runTicketAutomation(
    @Arg('rule', () => TicketAutomationRule) rule: TicketAutomationRule,
    @Arg('date', { description: 'YYYY-MM-DD in Asia/Ho_Chi_Minh.' }) date: string,
    @Ctx() ctx: Context,
  ): Promise<TicketAutomationRun> {
    const created = await runTicketAutomation(ctx, ctx.services.bus, rule, date);
    return { rule, date, created };
  }
}
