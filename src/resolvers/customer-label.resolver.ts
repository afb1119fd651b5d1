import type { Row } from '../services/shared/rows';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CustomerLabel } from '../entities';
import type { Context } from '../schema/context';
import {
  CustomerLabelInput,
  UpdateCustomerLabelInput,
} from '../schema/inputs/customer-label-input.input';
import { customerLabelService } from '../services/customers/customer-label.service';

@Resolver()
export class CustomerLabelResolver {
  @Query(() => [CustomerLabel], {
    description: 'Every customer label, by code: the ids setCustomerLabels and filters take.',
  })
  customerLabels(@Ctx() ctx: Context): Promise<Row<CustomerLabel>[]> {
    return customerLabelService.list(ctx);
  }

  @Mutation(() => CustomerLabel, {
    description:
      'BAD_USER_INPUT (extensions.field) for a malformed code or color or an empty name; CONFLICT (extensions.existingLabelId) when the code is taken.',
  })
  createCustomerLabel(
    @Arg('input', () => CustomerLabelInput) input: CustomerLabelInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerLabel> {
    return customerLabelService.create(ctx, input);
  }

  @Mutation(() => CustomerLabel, {
    description:
      'NOT_FOUND for an unknown id; CONFLICT when the new code is taken; the labels the system sets (WRONG_CONTACT) keep their code.',
  })
  updateCustomerLabel(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCustomerLabelInput) input: UpdateCustomerLabelInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerLabel> {
    return customerLabelService.update(ctx, id, input);
  }
}
