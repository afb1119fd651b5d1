import { Field, ID, InputType } from 'type-graphql';
import { Gender } from '../../entities/enums';
import type { CustomerInput as CustomerFieldsInput } from '../../services/customers/customer.service';

@InputType({
  description:
    'Phones in any Vietnamese form (0912 345 678, +84 912-345-678, 84912345678) are stored as E.164. On update, an omitted field stays, null or "" clears it.',
})
export class CustomerInput implements CustomerFieldsInput {
  @Field({ nullable: true })
  fullName?: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not in the future.' })
  birthday?: string | null;

  @Field(() => Gender, { nullable: true })
  gender?: Gender | null;

  @Field(() => ID, { nullable: true })
  branchId?: string | null;

  @Field(() => String, { nullable: true })
  notes?: string | null;
}
