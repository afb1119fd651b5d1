import { Arg, Args, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { User } from '../entities';
import type { Context } from '../schema/context';
import { CreateUserInput, UpdateUserInput, UserFilter } from '../schema/inputs/user-input.input';
import { ConnectionType, PageArgs } from '../schema/pagination';
import { passwordService } from '../services/users/password.service';
import { userService } from '../services/users/user.service';

@ObjectType()
export class UserConnection extends ConnectionType(User) {}

@ObjectType({ description: 'A one-time token for setPasswordWithToken; shown this once.' })
class PasswordToken {
  @Field()
  token!: string;

  @Field()
  expiresAt!: Date;
}

@ObjectType()
class CreateUserPayload {
  @Field(() => User)
  user!: User;

  @Field(() => PasswordToken, {
    nullable: true,
    description: 'Set when no password was given: hand it to the user to choose theirs.',
  })
  setPasswordToken!: PasswordToken | null;
}

@ObjectType()
class ChangePasswordPayload {
  @Field({ description: 'The new session token: every earlier one of this user stopped working.' })
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}

@Resolver()
export class UserAdminResolver {
  @Query(() => UserConnection, {
    description:
      'User accounts, newest first. Admin and IT see all; a team leader sees their own team.',
  })
  async users(
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<UserConnection> {
    return new UserConnection(await userService.list(ctx, filter ?? {}, page));
  }

  @Mutation(() => CreateUserPayload, {
    description:
      'BAD_USER_INPUT (extensions.field) for an invalid e-mail, a short password or the PARTNER role; NOT_FOUND for an unknown branch; CONFLICT (extensions.existingUserId) when the e-mail is taken.',
  })
  createUser(
    @Arg('input', () => CreateUserInput) input: CreateUserInput,
    @Ctx() ctx: Context,
  ): Promise<CreateUserPayload> {
    return userService.create(ctx, input);
  }

  @Mutation(() => User, {
    description:
      'Name, role, branches, active. BAD_USER_INPUT to demote or deactivate yourself (so an admin always remains); NOT_FOUND for an unknown user or branch.',
  })
  updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
    @Ctx() ctx: Context,
  ): Promise<User> {
    return userService.update(ctx, ctx.services.bus, id, input);
  }

  @Mutation(() => PasswordToken, {
    description:
      "A one-time token (valid 24 hours) for the user's setPasswordWithToken; the current password works until it is redeemed.",
  })
  resetPassword(
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: Context,
  ): Promise<PasswordToken> {
    return passwordService.resetPassword(ctx, userId);
  }

  @Mutation(() => Boolean, {
    description:
      'Without signing in: sets the password with a token from resetPassword or createUser, once; every session of the user ends. BAD_USER_INPUT for a bad, used or expired token.',
  })
  setPasswordWithToken(
    @Arg('token') token: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return passwordService.setPasswordWithToken(ctx, ctx.services.bus, { token, newPassword });
  }

  @Mutation(() => ChangePasswordPayload, {
    description:
      'Your own password, the current one required. Every session of yours ends: go on with the token in the answer.',
  })
  changePassword(
    @Arg('oldPassword') oldPassword: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<ChangePasswordPayload> {
    return passwordService.changePassword(ctx, ctx.services, { oldPassword, newPassword });
  }
}
