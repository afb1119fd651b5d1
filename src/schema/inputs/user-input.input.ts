import { Field, ID, InputType } from 'type-graphql';
import { Role } from '../../entities/enums';
import type {
  CreateUserInput as CreateFields,
  UpdateUserInput as UpdateFields,
  UserListFilter,
} from '../../services/users/user.service';

@InputType()
export class UserFilter implements UserListFilter {
  @Field(() => [Role], { nullable: true, description: 'Users with any of these roles.' })
  roles?: Role[];

  @Field(() => ID, { nullable: true, description: 'Users who work for this branch.' })
  branchId?: string;

  @Field({ nullable: true })
  active?: boolean;

  @Field({ nullable: true, description: 'Part of the e-mail or the name.' })
  search?: string;
}

@InputType()
export class CreateUserInput implements CreateFields {
  @Field({ description: 'Stored trimmed and in lower case; unique.' })
  email!: string;

  @Field()
  fullName!: string;

  @Field(() => Role, { description: 'Any role but PARTNER (partners get an API key).' })
  role!: Role;

  @Field(() => [ID], { nullable: true, description: 'The branches the user works for.' })
  branchIds?: string[];

  @Field(() => String, {
    nullable: true,
    description:
      'At least 10 characters. Left out: the answer carries a one-time setPasswordToken for the user, so nobody else learns their password.',
  })
  password?: string | null;
}

@InputType({ description: 'A field left out stays.' })
export class UpdateUserInput implements UpdateFields {
  @Field(() => String, { nullable: true })
  fullName?: string | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => [ID], { nullable: true, description: 'Exactly these branches.' })
  branchIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'false: the user is signed out everywhere at once and cannot sign in.',
  })
  active?: boolean | null;
}
