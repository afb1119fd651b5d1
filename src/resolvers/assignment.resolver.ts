import type { Row } from '../services/shared/rows';
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { AssignmentSetting, Branch, Ticket, User } from '../entities';
import { assignmentService, type AssignmentInput } from '../services/tickets/assignment.service';
import { ticketVisibleTo } from '../auth/scopes';
import { ticketLifecycle } from '../services/tickets/ticket-lifecycle.service';
import type { Context } from '../schema/context';
import { VERSION_ARG } from '../schema/inputs/ticket-input.input';

@InputType()
class AssignmentSettingInput implements AssignmentInput {
  @Field({ nullable: true })
  active?: boolean;

  @Field(() => Int, { nullable: true })
  maxOpenTickets?: number;
}

@Resolver(() => AssignmentSetting)
export class AssignmentResolver {
  @Query(() => AssignmentSetting, { description: 'Whether a user receives tickets in a branch.' })
  assignment(
    @Arg('branchId', () => ID) branchId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: Context,
  ): Promise<AssignmentSetting> {
    return assignmentService.get(ctx, branchId, userId);
  }

  @Mutation(() => AssignmentSetting)
  updateAssignment(
    @Arg('branchId', () => ID) branchId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('input', () => AssignmentSettingInput) input: AssignmentSettingInput,
    @Ctx() ctx: Context,
  ): Promise<AssignmentSetting> {
    return assignmentService.update(ctx, branchId, userId, input);
  }

  @Mutation(() => Ticket, {
    nullable: true,
    description:
      "NEW -> ASSIGNED, or a reassignment of an ASSIGNED ticket; leaders within their target, and IT (BR-CRM-003). Null when the ticket is outside what you may read (IT assigns without reading tickets: a stale version's CONFLICT carries extensions.currentVersion, which IT's assign scope may learn).",
  })
  async assignTicket(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('assigneeId', () => ID) assigneeId: string,
    @Arg('inChargeId', () => ID, { nullable: true }) inChargeId: string | undefined,
    @Arg('version', () => Int, { description: VERSION_ARG }) version: number,
    @Ctx() ctx: Context,
  ): Promise<Ticket | null> {
    const ticket = await ticketLifecycle.assign(ctx, ctx.services.bus, {
      ticketId,
      assigneeId,
      inChargeId,
      version,
    });
    return ticketVisibleTo(ctx.viewer, ticket) ? ticket : null;
  }

  @FieldResolver(() => Branch, { nullable: true })
  branch(
    @Root() setting: Row<AssignmentSetting>,
    @Ctx() ctx: Context,
  ): Promise<Row<Branch> | undefined> {
    return ctx.loaders.branch.load(setting.branch.id);
  }

  @FieldResolver(() => User, { nullable: true })
  user(
    @Root() setting: Row<AssignmentSetting>,
    @Ctx() ctx: Context,
  ): Promise<Row<User> | undefined> {
    return ctx.loaders.user.load(setting.user.id);
  }
}
