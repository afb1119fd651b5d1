import { randomUUID } from 'node:crypto';
import {
  Entity,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { User } from './user.entity';

/** Who did what to which record; append-only. */
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['entityType', 'entityId'] })
export class AuditLog {
  [OptionalProps]?: 'createdAt' | 'data';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => User, ref: true, nullable: true, index: true })
  actor?: Ref<User>;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  entityType!: string;

  @Property({ type: 'text', nullable: true })
  entityId?: string;

  @Property({ type: 'json', default: '{}' })
  data: Record<string, unknown> = {};

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
