import { randomUUID } from 'node:crypto';
import {
  Entity,
  Enum,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ImportJobStatus } from './enums';
import { User } from './user.entity';

@ObjectType({ description: 'One rejected import row: its 1-based line in the file and why.' })
export class ImportRejection {
  @Field(() => Int)
  line!: number;

  @Field(() => String, {
    nullable: true,
    description: 'The field at fault (fullName, phone, email...); null when the whole row is.',
  })
  field?: string | null;

  @Field()
  reason!: string;
}

@ObjectType({
  description:
    'One row that matched an existing customer (or an earlier row of the file) by phone or e-mail.',
})
export class ImportMerge {
  @Field(() => Int)
  line!: number;

  @Field(() => ID, {
    nullable: true,
    description: 'The existing customer; null when the match was an earlier row.',
  })
  customerId!: string | null;

  @Field({ description: 'phone or email' })
  matchedOn!: string;
}

/** A customer CSV import: progress while it runs, the cleaning report when done. */
@ObjectType()
@Entity({ tableName: 'import_job' })
export class ImportJob {
  [OptionalProps]?:
    | 'createdAt'
    | 'status'
    | 'processed'
    | 'imported'
    | 'merged'
    | 'rejected'
    | 'rejections'
    | 'merges';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ImportJobStatus)
  @Enum({
    items: () => ImportJobStatus,
    nativeEnumName: 'import_job_status',
    default: ImportJobStatus.RUNNING,
  })
  status: ImportJobStatus = ImportJobStatus.RUNNING;

  @Field(() => Int, { description: 'Rows read so far.' })
  @Property({ type: 'integer', default: 0 })
  processed: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  imported: number = 0;

  @Field(() => Int, {
    description: 'Rows that matched an existing customer or an earlier row (phone or e-mail).',
  })
  @Property({ type: 'integer', default: 0 })
  merged: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  rejected: number = 0;

  /** The first rejections with their reason (capped, so a bad file cannot grow a row without bound). */
  @Field(() => [ImportRejection])
  @Property({ type: 'json', default: '[]' })
  rejections: ImportRejection[] = [];

  /** The first merged rows (capped like rejections). */
  @Field(() => [ImportMerge])
  @Property({ type: 'json', default: '[]' })
  merges: ImportMerge[] = [];

  @Field({ nullable: true })
  @Property({ type: 'text', nullable: true })
  error?: string;

  @ManyToOne({ entity: () => User, ref: true, nullable: true })
  createdBy?: Ref<User>;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field({ nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date;
}
