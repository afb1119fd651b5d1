import {
  Arg,
  Args,
  Ctx,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { KnowledgeBaseArticle } from '../entities';
import { KnowledgeBaseType } from '../entities/enums';
import {
  knowledgeBaseService,
  type KnowledgeBaseFilter,
} from '../services/knowledge-base/knowledge-base.service';
import type { Context } from '../schema/context';
import {
  KnowledgeBaseArticleInput,
  UpdateKnowledgeBaseArticleInput,
} from '../schema/inputs/knowledge-base-input.input';
import { ConnectionType, PageArgs } from '../schema/pagination';

@InputType()
class KnowledgeBaseArticleFilter implements KnowledgeBaseFilter {
  @Field(() => KnowledgeBaseType, {
    nullable: true,
    description: "Ignored for team roles: they read their own team's articles (BR-CRM-007).",
  })
  type?: KnowledgeBaseType;

  @Field({ nullable: true, description: 'Words in the title, keywords or body.' })
  search?: string;
}

@ObjectType()
export class KnowledgeBaseArticleConnection extends ConnectionType(KnowledgeBaseArticle) {}

@Resolver()
export class KnowledgeBaseResolver {
  @Query(() => KnowledgeBaseArticleConnection)
  async knowledgeBaseArticles(
    @Arg('filter', () => KnowledgeBaseArticleFilter, { nullable: true })
    filter: KnowledgeBaseArticleFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<KnowledgeBaseArticleConnection> {
    return new KnowledgeBaseArticleConnection(
      await knowledgeBaseService.list(ctx, filter ?? {}, page),
    );
  }

  @Mutation(() => KnowledgeBaseArticle, {
    description:
      "Admin any type, a team leader their team's (FORBIDDEN otherwise). BAD_USER_INPUT (extensions.field) for an empty title or body.",
  })
  createKnowledgeBaseArticle(
    @Arg('input', () => KnowledgeBaseArticleInput) input: KnowledgeBaseArticleInput,
    @Ctx() ctx: Context,
  ): Promise<KnowledgeBaseArticle> {
    return knowledgeBaseService.create(ctx, input);
  }

  @Mutation(() => KnowledgeBaseArticle, {
    description:
      "NOT_FOUND for an article outside the viewer's team, as for reads; FORBIDDEN to move it to another team's type.",
  })
  updateKnowledgeBaseArticle(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateKnowledgeBaseArticleInput) input: UpdateKnowledgeBaseArticleInput,
    @Ctx() ctx: Context,
  ): Promise<KnowledgeBaseArticle> {
    return knowledgeBaseService.update(ctx, id, input);
  }

  @Mutation(() => ID, {
    description: 'Deletes an article (the audit log keeps its text); answers its id.',
  })
  deleteKnowledgeBaseArticle(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return knowledgeBaseService.delete(ctx, id);
  }
}
