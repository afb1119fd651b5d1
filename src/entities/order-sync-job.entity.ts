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
import { Channel } from './channel.entity';
import { OrderSyncStatus } from './enums';
import { User } from './user.entity';

/**
 * Where a sync stands on the platform: the creation-time window being read
 * (Shopee answers at most 15 days per query) and the platform's opaque page
 * cursor within it (null: the window's first page). JSON-safe.
 */
export type OrderSyncCursor = { windowFrom: string; page: string | null };

/**
 * A manual pull of a channel's orders created in [from, to) through the
 * platform's order-list API. Progress and the cursor are written after each
 * page, so a crashed worker resumes where the last page ended.
 */
@ObjectType({ description: 'A manual order sync of one channel over a date range.' })
@Entity({ tableName: 'order_sync_job' })
@Index({ properties: ['channel', 'createdAt', 'id'] })
@Index({ properties: ['createdAt', 'id'] })
// One sync at a time per channel, enforced by the database, not only checked.
@Index({
  name: 'order_sync_job_one_active_per_channel',
  expression: `create unique index "order_sync_job_one_active_per_channel" on "order_sync_job" ("channel_id") where "status" in ('QUEUED', 'RUNNING')`,
})
export class OrderSyncJob {
  [OptionalProps]?:
    | 'status'
    | 'pages'
    | 'ordersSeen'
    | 'created'
    | 'updated'
    | 'unchanged'
    | 'failed'
    | 'createdAt'
    | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Channel, ref: true, deleteRule: 'cascade' })
  channel!: Ref<Channel>;

  @Field({ description: 'Orders created at or after this time.' })
  @Property({ type: 'timestamptz', fieldName: 'from' })
  from!: Date;

  @Field({ description: 'Orders created before this time (exclusive).' })
  @Property({ type: 'timestamptz', fieldName: 'to' })
  to!: Date;

  @Field(() => OrderSyncStatus)
  @Enum({
    items: () => OrderSyncStatus,
    nativeEnumName: 'order_sync_status',
    default: OrderSyncStatus.QUEUED,
  })
  status: OrderSyncStatus = OrderSyncStatus.QUEUED;

  @Field(() => Int, { description: 'Pages of the order list read and applied.' })
  @Property({ type: 'integer', default: 0 })
  pages: number = 0;

  @Field(() => Int, { description: 'Orders the platform listed.' })
  @Property({ type: 'integer', default: 0 })
  ordersSeen: number = 0;

  @Field(() => Int, { description: 'Orders that were not stored before.' })
  @Property({ type: 'integer', default: 0 })
  created: number = 0;

  @Field(() => Int, { description: 'Stored orders whose status, amounts, items or buyer changed.' })
  @Property({ type: 'integer', default: 0 })
  updated: number = 0;

  @Field(() => Int, {
    description: 'Stored orders already up to date (or newer than the platform).',
  })
  @Property({ type: 'integer', default: 0 })
  unchanged: number = 0;

  @Field(() => Int, { description: 'Orders that could not be applied; see lastError.' })
  @Property({ type: 'integer', default: 0 })
  failed: number = 0;

  @Field({ nullable: true, description: 'Why the sync failed, or the last order that failed.' })
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, deleteRule: 'set null' })
  requestedBy?: Ref<User>;

  /** Where to resume; null before the first page is done. Internal: not a GraphQL field. */
  @Property({ type: 'json', nullable: true })
  cursor?: OrderSyncCursor;

  /**
   * Touched by the running worker after each page and before each wait: a
   * RUNNING job whose heartbeat is old has lost its worker and may be resumed.
   */
  @Property({ type: 'timestamptz', nullable: true })
  heartbeatAt?: Date;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt?: Date;

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
