import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A code with its Vietnamese and English labels.' })
export class ReferenceItem {
  @Field()
  code!: string;

  @Field()
  descriptionVi!: string;

  @Field()
  descriptionEn!: string;
}

@ObjectType()
export class TicketSourceItem extends ReferenceItem {
  @Field(() => Int, { description: 'The BR-CRM source number, 1 to 8.' })
  number!: number;
}

@ObjectType()
export class OrderStatusItem extends ReferenceItem {
  @Field(() => Int, {
    nullable: true,
    description: 'Rank on the main chain; null for side states.',
  })
  rank!: number | null;

  @Field({ description: 'No further status change is accepted.' })
  terminal!: boolean;
}

@ObjectType()
export class PlatformItem extends ReferenceItem {
  @Field()
  marketplace!: boolean;
}

@ObjectType()
export class ReferenceData {
  @Field(() => [ReferenceItem])
  ticketStatuses!: ReferenceItem[];

  @Field(() => [TicketSourceItem])
  ticketSources!: TicketSourceItem[];

  @Field(() => [ReferenceItem])
  ticketResults!: ReferenceItem[];

  @Field(() => [ReferenceItem])
  ticketTargets!: ReferenceItem[];

  @Field(() => [PlatformItem])
  platforms!: PlatformItem[];

  @Field(() => [OrderStatusItem])
  orderStatuses!: OrderStatusItem[];

  @Field(() => [ReferenceItem])
  roles!: ReferenceItem[];

  @Field(() => [ReferenceItem])
  conversationStatuses!: ReferenceItem[];

  @Field(() => [ReferenceItem], {
    description: "The bot's answer steps (BotStep), in the order its fallback chain tries them.",
  })
  botSteps!: ReferenceItem[];

  @Field(() => [ReferenceItem])
  genders!: ReferenceItem[];
}
