import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';

/** SQL text with `?` placeholders and its parameters, as knex and `rawRows` take them. */
export type SqlPart = { sql: string; params: unknown[] };

/**
 * `select alias.* from table as alias where <filter>` for a MikroORM filter,
 * for aggregate and streaming SQL to wrap as a subquery. Reports and exports
 * take the viewer's rows through the very filter (scopes.ts AND the request's
 * conditions) that lists use, so a row scope is never rewritten by hand in
 * SQL. PostgreSQL pulls the subquery up into the outer query, so wrapping
 * costs nothing and the outer query still uses the table's indexes.
 */
export function scopedSelect<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  alias: string,
  where: FilterQuery<T>,
): SqlPart {
  const query = em
    .createQueryBuilder(entity, alias)
    .select('*')
    .where(where)
    .getKnexQuery()
    .toSQL();
  return { sql: query.sql, params: [...query.bindings] };
}
