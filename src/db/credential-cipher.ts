/**
 * Platform secrets at rest: AES-256-GCM under CREDENTIALS_KEY. A sealed value
 * carries the id of the key that sealed it, so several keys can be read at
 * once while `npm run credentials:rotate` moves every value to the current one:
 *
 *   enc:v1:<key id>:<iv>:<auth tag>:<ciphertext>      (base64url parts)
 *
 * The process has one keyring, installed at start from config
 * (useCredentialsKeyring); until then the documented development key is used,
 * which production never reaches (config requires CREDENTIALS_KEY there).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const SEALED_PREFIX = 'enc:v1:';

/** The development and test key: public, so never a production secret (see docs/configuration.md). */
export const DEV_CREDENTIALS_KEY = createHash('sha256')
  .update('omnichannel-crm development credentials key')
  .digest('base64');

export type CredentialKey = { id: string; key: Buffer };
export type CredentialKeyring = { current: CredentialKey; previous: CredentialKey[] };

export class CredentialKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialKeyError';
  }
}

/** 32 bytes, as 64 hex digits or base64; anything else is refused. */
export function parseCredentialKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new CredentialKeyError(
      'expected 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)',
    );
  }
  return key;
}

/** A short, stable id of a key that reveals nothing of it. */
const keyIdOf = (key: Buffer): string =>
  createHash('sha256').update('crm-credentials-key-id').update(key).digest('hex').slice(0, 12);

export function createKeyring(
  current: string,
  previous: readonly string[] = [],
): CredentialKeyring {
  const toKey = (text: string): CredentialKey => {
    const key = parseCredentialKey(text);
    return { id: keyIdOf(key), key };
  };
  return { current: toKey(current), previous: previous.map(toKey) };
}

const b64 = (buffer: Buffer) => buffer.toString('base64url');

export const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

/** The id of the key a stored value was sealed with; null for a legacy plain-text value. */
export function sealedKeyId(stored: string): string | null {
  return isSealed(stored) ? (stored.slice(SEALED_PREFIX.length).split(':')[0] ?? null) : null;
}

export function seal(keyring: CredentialKeyring, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${SEALED_PREFIX}${keyring.current.id}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ciphertext)}`;
}

/**
 * The plain text of a stored value. A value without the prefix was written
 * before encryption existed and is returned as it is (start-up seals it).
 */
export function open(keyring: CredentialKeyring, stored: string): string {
  if (!isSealed(stored)) return stored;
  const [id, iv, tag, ciphertext] = stored.slice(SEALED_PREFIX.length).split(':');
  const key = [keyring.current, ...keyring.previous].find((candidate) => candidate.id === id);
  if (!key || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new CredentialKeyError(
      `a stored credential is sealed with key ${id ?? '?'}, which is neither CREDENTIALS_KEY nor one of CREDENTIALS_PREVIOUS_KEYS`,
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(ciphertext, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}

let processKeyring: CredentialKeyring = createKeyring(DEV_CREDENTIALS_KEY);

/** Installs the process's keyring (at start, from config). */
export function useCredentialsKeyring(keyring: CredentialKeyring): void {
  processKeyring = keyring;
}

export const credentialsKeyring = (): CredentialKeyring => processKeyring;
