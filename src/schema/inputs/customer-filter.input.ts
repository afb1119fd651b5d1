import { Field, ID, InputType } from 'type-graphql';
import type { CustomerListFilter } from '../../services/customers/customer.service';

@InputType()
export class CustomerFilter implements CustomerListFilter {
  @Field({ nullable: true, description: 'Part of the name, e-mail or phone digits.' })
  search?: string;

  @Field(() => [ID], { nullable: true })
  branchIds?: string[];

  @Field(() => [ID], { nullable: true })
  labelIds?: string[];
}
