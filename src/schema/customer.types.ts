import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ActivityKind, DuplicateReason } from '../entities/enums';
import type { DuplicateGroupRow } from '../services/customers/duplicate-candidates.service';
import type { ActivityEntry } from '../services/customers/customer-workspace.service';
import type { MergeFieldChoices } from '../services/customers/customer-merge.service';

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

@ObjectType({ description: "One entry of a customer's activity feed." })
export class ActivityItem implements ActivityEntry {
  @Field(() => ID, { description: 'The id of the note, history row, status event or message.' })
  id!: string;

  @Field(() => ActivityKind)
  kind!: ActivityKind;

  @Field()
  at!: Date;

  @Field({
    description:
      'Note or message text, "field: new value" for a ticket change, the status for an order.',
  })
  summary!: string;

  @Field(() => ID, { nullable: true })
  ticketId!: string | null;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => ID, { nullable: true })
  conversationId!: string | null;
}

/** The customer detail tabs; resolved one customer at a time (see customer-workspace.service.ts). */
@ObjectType({
  description: "A customer's detail tabs, each paginated and within the viewer's scope.",
})
export class CustomerWorkspace {
  constructor(readonly customerId: string) {}
}

@ObjectType({
  description: 'Customers that are probably one person, and why; merge them with mergeCustomers.',
})
export class DuplicateGroup implements DuplicateGroupRow {
  @Field(() => DuplicateReason)
  reason!: DuplicateReason;

  /** The grouping value (a phone, an e-mail, a buyer id): personal data, so not exposed. */
  key!: string;

  @Field(() => [ID], { description: 'Oldest first: the usual survivor.' })
  customerIds!: string[];
}
