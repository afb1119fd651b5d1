import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { MergeFieldChoices } from '../services/customer-merge.service';

@InputType({
  description:
    "For each field, the id of the customer (survivor or one of mergedIds) whose value the survivor keeps; omitted fields keep the survivor's own value.",
})
export class MergeFieldChoicesInput implements MergeFieldChoices {
  @Field(() => ID, { nullable: true })
  fullName?: string;

  @Field(() => ID, { nullable: true })
  phone?: string;

  @Field(() => ID, { nullable: true })
  email?: string;

  @Field(() => ID, { nullable: true })
  birthday?: string;

  @Field(() => ID, { nullable: true })
  gender?: string;

  @Field(() => ID, { nullable: true })
  branch?: string;

  @Field(() => ID, { nullable: true })
  notes?: string;
}

@ObjectType({
  description: 'A customer record changed (created, updated, merged, un-merged, erased...).',
})
export class CustomerChange {
  @Field(() => ID, { description: 'After a merge, the survivor.' })
  customerId!: string;

  @Field({
    description: 'CREATED, UPDATED, MERGED, UNMERGED, ERASED, NOTE_ADDED or LABELS_SET',
  })
  action!: string;

  @Field(() => [ID], { description: 'The merged (or un-merged) customer ids.' })
  relatedIds!: string[];
}
