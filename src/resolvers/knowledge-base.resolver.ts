import { Arg, Args, Ctx, Field, InputType, ObjectType, Query, Resolver } from 'type-graphql';
import { KnowledgeBaseArticle } from '../entities';
import { KnowledgeBaseType } from '../entities/enums';
import { knowledgeBaseService, type KnowledgeBaseFilter } from '../services/knowledge-base.service';
import type { Context } from '../schema/context';
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
}
