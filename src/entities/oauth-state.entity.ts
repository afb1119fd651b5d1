import {
  Entity,
  Enum,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { EncryptedText } from '../db/encrypted-text.type';
import { Branch } from './branch.entity';
import { Platform } from './enums';
import { User } from './user.entity';

/**
 * One channelAuthorizationUrl: the nonce its signed `state` carries. The
 * callback spends it (usedAt) in the statement that checks it, so a state
 * works once, until `expiresAt`, for its own platform only.
 */
@Entity({ tableName: 'oauth_state' })
export class OAuthState {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'text' })
  nonce!: string;

  @Enum({ items: () => Platform, nativeEnumName: 'platform' })
  platform!: Platform;

  @ManyToOne({ entity: () => Branch, ref: true, nullable: true, deleteRule: 'cascade' })
  branch?: Ref<Branch>;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, deleteRule: 'set null' })
  createdBy?: Ref<User>;

  /** PKCE (Zalo): the verifier whose challenge went out in the URL. */
  @Property({ type: EncryptedText, nullable: true })
  codeVerifier?: string;

  @Property({ type: 'timestamptz', index: true })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
