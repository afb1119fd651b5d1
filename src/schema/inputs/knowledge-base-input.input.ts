import { Field, InputType } from 'type-graphql';
import { KnowledgeBaseType } from '../../entities/enums';
import type {
  KnowledgeBaseArticleChanges,
  KnowledgeBaseArticleInput as CreateFields,
} from '../../services/knowledge-base/knowledge-base.service';

@InputType()
export class KnowledgeBaseArticleInput implements CreateFields {
  @Field(() => KnowledgeBaseType, {
    description: "A team leader writes only their own team's type (BR-CRM-007).",
  })
  type!: KnowledgeBaseType;

  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field(() => String, { nullable: true, description: 'Words the bot and search also match.' })
  keywords?: string | null;
}

@InputType({ description: 'A field left out stays.' })
export class UpdateKnowledgeBaseArticleInput implements KnowledgeBaseArticleChanges {
  @Field(() => KnowledgeBaseType, { nullable: true })
  type?: KnowledgeBaseType | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => String, { nullable: true })
  keywords?: string | null;
}
