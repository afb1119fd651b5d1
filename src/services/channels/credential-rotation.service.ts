import type { MikroORM } from '@mikro-orm/postgresql';
import { open, seal, sealedKeyId, type CredentialKeyring } from '../../db/credential-cipher';

/** The sealed columns, by table. */
const SEALED_COLUMNS = {
  channel: ['access_token', 'refresh_token', 'shop_secret'],
  oauth_state: ['code_verifier'],
  webhook_endpoint: ['secret', 'previous_secret'],
} as const;

export type SealRun = { rowsChecked: number; valuesSealed: number };

/**
 * Seals every stored secret under the keyring's current key: plain text left
 * from before encryption, and values sealed with a previous key (rotation).
 * Each row is re-read under its lock, so a refresh writing the same row at
 * once is neither lost nor overwritten with an older token. Idempotent.
 */
export async function sealStoredCredentials(
  orm: MikroORM,
  keyring: CredentialKeyring,
): Promise<SealRun> {
  const run: SealRun = { rowsChecked: 0, valuesSealed: 0 };
  const current = keyring.current.id;
  for (const [table, columns] of Object.entries(SEALED_COLUMNS)) {
    const pk = table === 'oauth_state' ? 'nonce' : 'id';
    const stale = columns
      .map((column) => `("${column}" is not null and "${column}" not like ?)`)
      .join(' or ');
    const staleParams = columns.map(() => `enc:v1:${current}:%`);
    const ids = await orm.em
      .fork()
      .execute<{ key: string }[]>(
        `select "${pk}" as "key" from "${table}" where ${stale}`,
        staleParams,
      );
    for (const { key } of ids) {
      await orm.em.fork().transactional(async (em) => {
        const [row] = await em.execute<Record<string, string | null>[]>(
          `select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}" where "${pk}" = ? for update`,
          [key],
        );
        if (!row) return;
        run.rowsChecked += 1;
        const changes = columns.filter((column) => {
          const value = row[column];
          return value !== null && value !== undefined && sealedKeyId(value) !== current;
        });
        if (changes.length === 0) return;
        await em.execute(
          `update "${table}" set ${changes.map((c) => `"${c}" = ?`).join(', ')} where "${pk}" = ?`,
          [...changes.map((column) => seal(keyring, open(keyring, row[column]!))), key],
        );
        run.valuesSealed += changes.length;
      });
    }
  }
  return run;
}
