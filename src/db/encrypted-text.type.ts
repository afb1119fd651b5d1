import { Type, type Platform } from '@mikro-orm/core';
import { credentialsKeyring, isSealed, open, seal } from './credential-cipher';

/**
 * A text column holding a secret: plain text in memory, sealed with the
 * process's credentials key in the database (credential-cipher.ts).
 */
export class EncryptedText extends Type<string | null | undefined, string | null | undefined> {
  override convertToDatabaseValue(value: string | null | undefined): string | null | undefined {
    // A value read back for comparison is sealed already; sealing is random, so never twice.
    if (value === null || value === undefined || isSealed(value)) return value;
    return seal(credentialsKeyring(), value);
  }

  override convertToJSValue(value: string | null | undefined): string | null | undefined {
    if (value === null || value === undefined) return value;
    return open(credentialsKeyring(), value);
  }

  /** Two seals of one secret differ (random IV): compared by what they hold. */
  override compareValues(a: string | null | undefined, b: string | null | undefined): boolean {
    const plain = (value: string | null | undefined) =>
      value === null || value === undefined ? value : open(credentialsKeyring(), value);
    return plain(a) === plain(b);
  }

  override compareAsType(): string {
    return 'string';
  }

  override getColumnType(_prop: unknown, _platform: Platform): string {
    return 'text';
  }
}
