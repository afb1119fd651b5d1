import { randomUUID } from 'node:crypto';
import {
  Entity,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
  type Ref,
} from '@mikro-orm/core';
import { Customer } from './customer.entity';
import type { Platform } from './enums';

/**
 * A key that identifies a customer: a platform's buyer id, or a normalized
 * phone claimed when an order was linked. Unique on (kind, value), so two
 * orders of one new buyer linked at once cannot create two customers: the
 * second insert conflicts and takes the first one's customer.
 */
export type CustomerIdentityKind = Platform | 'PHONE';

@Entity({ tableName: 'customer_identity' })
@Unique({ properties: ['kind', 'value'] })
export class CustomerIdentity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Customer, ref: true, index: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  /** A Platform name (the value is that platform's buyer id) or PHONE (E.164). */
  @Property({ type: 'text' })
  kind!: CustomerIdentityKind;

  @Property({ type: 'text' })
  value!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
