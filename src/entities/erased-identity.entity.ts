import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A key (platform buyer id, phone, e-mail) of an erased customer, stored only
 * as a unsalted SHA-256 of "kind:value": linking checks it so that a later
 * webhook for the same buyer does not recreate the erased person, and the
 * table itself holds nothing readable.
 */
@Entity({ tableName: 'erased_identity' })
export class ErasedIdentity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'text' })
  hash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
