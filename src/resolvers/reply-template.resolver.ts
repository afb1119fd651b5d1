import type { Row } from '../services/shared/rows';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ReplyTemplate } from '../entities';
import { replyTemplateService } from '../services/conversations/reply-template.service';
import { variablesOf } from '../services/conversations/reply-template-text';
import type { Context } from '../schema/context';
import {
  ReplyTemplateFilter,
  ReplyTemplateInput,
  UpdateReplyTemplateInput,
} from '../schema/inputs/reply-template-input.input';

@Resolver(() => ReplyTemplate)
export class ReplyTemplateResolver {
  @Query(() => [ReplyTemplate], {
    description:
      'By name. Customer service picks canned replies from these (sendMessage templateId).',
  })
  replyTemplates(
    @Arg('filter', () => ReplyTemplateFilter, { nullable: true })
    filter: ReplyTemplateFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<ReplyTemplate[]> {
    return replyTemplateService.list(ctx, filter ?? {});
  }

  @Mutation(() => ReplyTemplate, {
    description:
      'BAD_USER_INPUT (extensions.field) for an empty name or body, or an unknown variable.',
  })
  createReplyTemplate(
    @Arg('input', () => ReplyTemplateInput) input: ReplyTemplateInput,
    @Ctx() ctx: Context,
  ): Promise<ReplyTemplate> {
    return replyTemplateService.create(ctx, input);
  }

  @Mutation(() => ReplyTemplate)
  updateReplyTemplate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateReplyTemplateInput) input: UpdateReplyTemplateInput,
    @Ctx() ctx: Context,
  ): Promise<ReplyTemplate> {
    return replyTemplateService.update(ctx, id, input);
  }

  @Mutation(() => ID, {
    description: 'Deletes a template (the audit log keeps its text); answers its id.',
  })
  deleteReplyTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return replyTemplateService.delete(ctx, id);
  }

  @FieldResolver(() => [String], {
    description: 'The variables its bodies use, without braces (customerName, orderId).',
  })
  variables(@Root() template: Row<ReplyTemplate>): string[] {
    return variablesOf(template);
  }
}
