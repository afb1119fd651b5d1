import { randomUUID } from 'node:crypto';
import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Branch } from './branch.entity';
import { Customer } from './customer.entity';
import { TicketResult, TicketSource, TicketStatus, TicketTarget } from './enums';
import { User } from './user.entity';

@ObjectType()
@Entity({ tableName: 'ticket' })
@Index({ properties: ['belongTo', 'target'] })
@Index({ properties: ['createdAt', 'id'] })
@Index({ properties: ['updatedAt', 'id'] })
@Index({ properties: ['dueAt', 'id'] })
@Index({
  name: 'ticket_phone_digits_trgm_idx',
  expression:
    'create index "ticket_phone_digits_trgm_idx" on "ticket" using gin ("phone_digits" gin_trgm_ops)',
})
@Index({
  name: 'ticket_keywords_trgm_idx',
  expression:
    'create index "ticket_keywords_trgm_idx" on "ticket" using gin ("keywords" gin_trgm_ops)',
})
export class Ticket {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'status'
    | 'isMissed'
    | 'keywords'
    | 'phoneDigits'
    | 'version'
    | 'titleNamesCustomer';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /**
   * Exposed through TicketResolver.title (services/tickets/ticket-title.ts),
   * which appends the customer's current name when titleNamesCustomer is set.
   */
  @Property({ type: 'text' })
  title!: string;

  /**
   * Set on tickets the system titles after their customer ("Gọi lại / follow
   * up: <name>"): the stored title holds no name, readers append the
   * customer's current one, so personal data never lands in a title and an
   * erased customer's tickets read with the pseudonym.
   */
  @Property({ type: 'boolean', default: false })
  titleNamesCustomer: boolean = false;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string;

  /** The owner who works the ticket. */
  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  assignee?: Ref<User>;

  /** The curator (in_charge) who answers for it. */
  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  inCharge?: Ref<User>;

  @Field(() => TicketTarget)
  @Enum({ items: () => TicketTarget, nativeEnumName: 'ticket_target' })
  target!: TicketTarget;

  /** The role target that owns the ticket (BR-CRM-001). */
  @Field(() => TicketTarget)
  @Enum({ items: () => TicketTarget, nativeEnumName: 'ticket_target' })
  belongTo!: TicketTarget;

  @ManyToOne({ entity: () => Branch, ref: true, index: true })
  branch!: Ref<Branch>;

  @ManyToOne({ entity: () => Customer, ref: true, index: true })
  customer!: Ref<Customer>;

  @Field(() => TicketSource)
  @Enum({ items: () => TicketSource, nativeEnumName: 'ticket_source' })
  @Index()
  source!: TicketSource;

  @Field(() => TicketResult, { nullable: true })
  @Enum({ items: () => TicketResult, nativeEnumName: 'ticket_result', nullable: true })
  @Index()
  result?: TicketResult;

  @Field(() => TicketStatus)
  @Enum({ items: () => TicketStatus, nativeEnumName: 'ticket_status', default: TicketStatus.NEW })
  @Index()
  status: TicketStatus = TicketStatus.NEW;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  dueAt?: Date;

  @Field()
  @Property({ type: 'boolean', default: false })
  @Index({
    expression: 'create index "ticket_missed_idx" on "ticket" ("is_missed") where "is_missed"',
    name: 'ticket_missed_idx',
  })
  isMissed: boolean = false;

  /** Denormalized search text: customer name, phone digits, ticket title. */
  @Property({ type: 'text', default: '' })
  keywords: string = '';

  /**
   * The customer's phone digits in international and national form, kept
   * apart from `keywords` so a digit search finds phone numbers only, never
   * digits written in a title.
   */
  @Property({ type: 'text', default: '' })
  phoneDigits: string = '';

  @ManyToOne({ entity: () => Ticket, ref: true, nullable: true, index: true })
  rootTicket?: Ref<Ticket>;

  /**
   * Set on tickets the system creates (follow-up, after-sale, verification,
   * birthday): the rule's idempotency key, unique, so a redelivered event or
   * a re-run job never creates a ticket twice.
   */
  @Property({ type: 'text', nullable: true, unique: true })
  originKey?: string;

  @Field(() => Int, { description: 'Optimistic-lock version; send it back on update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date;

  /** When the owner was reminded of the due time; cleared when the due time moves. */
  @Property({ type: 'timestamptz', nullable: true })
  remindedAt?: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
