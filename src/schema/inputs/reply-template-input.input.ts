import { Field, InputType } from 'type-graphql';
import { Platform } from '../../entities/enums';
import type {
  ReplyTemplateChanges,
  ReplyTemplateFields,
  ReplyTemplateFilter as Filter,
} from '../../services/conversations/reply-template.service';

const BODY_HELP =
  'May hold the variables {customerName} and {orderId}; any other {name} is BAD_USER_INPUT (extensions.reason UNKNOWN_TEMPLATE_VARIABLE).';

@InputType()
export class ReplyTemplateVariantInput {
  @Field(() => Platform)
  platform!: Platform;

  @Field({ description: BODY_HELP })
  body!: string;
}

@InputType()
export class ReplyTemplateInput implements ReplyTemplateFields {
  @Field()
  name!: string;

  @Field({ description: `The general wording. ${BODY_HELP}` })
  body!: string;

  @Field(() => [String], {
    nullable: true,
    description:
      "Words or phrases of a buyer's message that make the bot answer with this template (stored folded).",
  })
  keywords?: string[] | null;

  @Field(() => Platform, {
    nullable: true,
    description: 'Offer the template on this platform only; null: every platform.',
  })
  platform?: Platform | null;

  @Field(() => [ReplyTemplateVariantInput], {
    nullable: true,
    description: 'At most one per platform (only the template platform when it has one).',
  })
  variants?: ReplyTemplateVariantInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean | null;
}

@InputType({ description: 'A field left out stays; `variants` replaces the whole list.' })
export class UpdateReplyTemplateInput implements ReplyTemplateChanges {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: BODY_HELP })
  body?: string | null;

  @Field(() => [String], { nullable: true })
  keywords?: string[] | null;

  @Field(() => Platform, { nullable: true, description: 'null: every platform.' })
  platform?: Platform | null;

  @Field(() => [ReplyTemplateVariantInput], { nullable: true })
  variants?: ReplyTemplateVariantInput[] | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;
}

@InputType()
export class ReplyTemplateFilter implements Filter {
  @Field(() => Platform, {
    nullable: true,
    description: 'The templates offered on this platform: its own and the general ones.',
  })
  platform?: Platform | null;

  @Field(() => String, { nullable: true, description: 'Words in the name, body or keywords.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Inactive templates too (default false).' })
  includeInactive?: boolean | null;
}

@InputType({ description: "Values for a template's variables in sendMessage." })
export class ReplyTemplateValuesInput {
  @Field(() => String, {
    nullable: true,
    description: "Defaults to the conversation's customer's name.",
  })
  customerName?: string | null;

  @Field(() => String, { nullable: true })
  orderId?: string | null;
}
