import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/** `?, ?, ?`: one placeholder per value, for `in (...)` lists and multi-row inserts. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * A parameterized statement on the ORM's pool, inside the entity manager's
 * open transaction if it has one. For the hot paths only (the webhook inbox,
 * batch applies, the order event log): MikroORM's `execute` inlines every
 * parameter into the SQL text, which for a multi-row insert of raw push
 * bodies costs more CPU than the database spends on it. These statements are
 * not seen by the ORM's statement counter.
 */
export async function rawRows<Row>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  const query = em
    .getConnection()
    .getKnex()
    .raw(sql, params as readonly Knex.RawBinding[]);
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (transaction) void query.transacting(transaction);
  const result = (await query) as { rows: Row[] };
  return result.rows;
}
