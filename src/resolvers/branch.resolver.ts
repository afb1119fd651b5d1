import type { Row } from '../services/shared/rows';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Branch } from '../entities';
import { branchService } from '../services/branches/branch.service';
import type { Context } from '../schema/context';
import { CreateBranchInput, UpdateBranchInput } from '../schema/inputs/branch-input.input';

@Resolver(() => Branch)
export class BranchResolver {
  @Query(() => [Branch], {
    description:
      'Every branch, by code: the ids that connectChannel, createTicket, createUser and updateAssignment take.',
  })
  branches(@Ctx() ctx: Context): Promise<Row<Branch>[]> {
    return branchService.list(ctx);
  }

  @Mutation(() => Branch, {
    description:
      'BAD_USER_INPUT (extensions.field) for a malformed code or an empty name; CONFLICT (extensions.existingBranchId) when the code is taken.',
  })
  createBranch(
    @Arg('input', () => CreateBranchInput) input: CreateBranchInput,
    @Ctx() ctx: Context,
  ): Promise<Branch> {
    return branchService.create(ctx, input);
  }

  @Mutation(() => Branch, {
    description:
      'Renames a branch or changes its code. NOT_FOUND for an unknown id; CONFLICT when the new code is taken.',
  })
  updateBranch(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateBranchInput) input: UpdateBranchInput,
    @Ctx() ctx: Context,
  ): Promise<Branch> {
    return branchService.update(ctx, id, input);
  }
}
