import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { InboundEventStatus, Platform } from './enums';

/** The raw webhook inbox: a redelivery hits the unique key and is a no-op. */
@ObjectType()
@Entity({ tableName: 'inbound_event' })
@Unique({ properties: ['platform', 'eventKey'] })
@Index({ properties: ['status', 'receivedAt'] })
export class InboundEvent {
  [OptionalProps]?: 'receivedAt' | 'status' | 'attempts' | 'headers';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Platform)
  @Enum({ items: () => Platform, nativeEnumName: 'platform' })
  platform!: Platform;

  @Field()
  @Property({ type: 'text' })
  eventKey!: string;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  shopId?: string;

  @Property({ type: 'json', default: '{}' })
  headers: Record<string, string> = {};

  /** The exact bytes received, as UTF-8, so that verification and parsing can be redone. */
  @Property({ type: 'text' })
  rawBody!: string;

  @Field(() => InboundEventStatus)
  @Enum({
    items: () => InboundEventStatus,
    nativeEnumName: 'inbound_event_status',
    default: InboundEventStatus.RECEIVED,
  })
  status: InboundEventStatus = InboundEventStatus.RECEIVED;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @Field()
  @Property({ type: 'timestamptz' })
  receivedAt: Date = new Date();

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  processedAt?: Date;
}
