import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ApiKey, User } from '../entities';
import { ApiKeyScope } from '../entities/api-key.entity';
import { authService } from '../services/users/auth.service';
import { userService } from '../services/users/user.service';
import type { Context } from '../schema/context';

@ObjectType()
class LoginPayload {
  @Field({ description: 'Send as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}

@ObjectType()
class CreateApiKeyPayload {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'Shown this once; send as the `x-api-key` header.' })
  secret!: string;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload)
  login(
    @Arg('email') email: string,
    @Arg('password') password: string,
    @Ctx() ctx: Context,
  ): Promise<LoginPayload> {
    return authService.login(ctx, ctx.services, { email, password, ip: ctx.clientIp });
  }

  @Query(() => User, { description: 'The signed-in user.' })
  me(@Ctx() ctx: Context): Promise<User> {
    return authService.me(ctx);
  }

  @Mutation(() => User, { description: 'Same as updateUser with only `active`.' })
  setUserActive(
    @Arg('userId', () => ID) userId: string,
    @Arg('active') active: boolean,
    @Ctx() ctx: Context,
  ): Promise<User> {
    return userService.update(ctx, ctx.services.bus, userId, { active });
  }

  @Query(() => [ApiKey])
  apiKeys(@Ctx() ctx: Context): Promise<ApiKey[]> {
    return authService.listApiKeys(ctx);
  }

  @Mutation(() => CreateApiKeyPayload)
  createApiKey(
    @Arg('name') name: string,
    @Arg('channelIds', () => [ID]) channelIds: string[],
    @Arg('scopes', () => [ApiKeyScope], { nullable: true }) scopes: ApiKeyScope[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<CreateApiKeyPayload> {
    return authService.createApiKey(ctx, { name, channelIds, scopes });
  }

  @Mutation(() => ApiKey)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiKey> {
    return authService.revokeApiKey(ctx, ctx.services.bus, id);
  }
}
