import { Field, InputType } from 'type-graphql';
import type {
  CreateBranchInput as CreateFields,
  UpdateBranchInput as UpdateFields,
} from '../../services/branches/branch.service';

@InputType()
export class CreateBranchInput implements CreateFields {
  @Field({
    description:
      'Short unique code (1 to 32 letters, digits, "_" or "-"), stored in upper case, e.g. HCM.',
  })
  code!: string;

  @Field({ description: 'What people read, e.g. "Chi nhánh Hồ Chí Minh".' })
  name!: string;
}

@InputType({ description: 'A field left out stays.' })
export class UpdateBranchInput implements UpdateFields {
  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;
}
