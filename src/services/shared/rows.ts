import {
  raw,
  ReferenceKind,
  type EntityProperty,
  type Collection,
  type EntityManager,
  type EntityMetadata,
  type EntityName,
  type FilterQuery,
  type QueryOrderMap,
  type Ref,
} from '@mikro-orm/postgresql';

/**
 * An entity's columns as a plain object, the shape every GraphQL object type
 * resolves from: scalars under their property names, a to-one relation as
 * `{ id }`. A managed entity has this shape too (a `Ref` carries its `id`), so
 * field resolvers serve list rows and the entities of a mutation or a
 * subscription event alike.
 */
export type Row<T> = {
  [
    K in keyof T as T[K] extends Collection<object> | ((...args: never[]) => unknown) ? never : K
  ]: NonNullable<T[K]> extends Ref<object> ? { id: string } | Extract<T[K], undefined> : T[K];
};

type RawRow = Record<string, unknown>;
type Step = (raw: RawRow, row: Record<string, unknown>) => void;

/** How an entity's rows are read from result columns that start with one prefix. */
type RowReader<T> = { columns: readonly string[]; read: (raw: RawRow) => Row<T> };

const readers = new WeakMap<EntityMetadata, Map<string, RowReader<object>>>();

/**
 * Column -> property steps compiled once per entity (and column prefix) from
 * its metadata, with the conversions hydration would apply (custom types
 * such as bigint as number, timestamps as Date), but no entity, identity map
 * or reference wiring: a read that is serialized and dropped needs none of
 * them. `columns` are the columns the steps read, unprefixed. Lazy
 * properties (a password hash, a channel's sealed credentials) are left out,
 * as the ORM's own default select leaves them: no list needs them, and a
 * sealed one would be decrypted for every row.
 */
function readerOf<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  prefix = '',
): RowReader<T> {
  let byPrefix = readers.get(meta as EntityMetadata);
  if (!byPrefix)
    readers.set(meta as EntityMetadata, (byPrefix = new Map<string, RowReader<object>>()));
  const known = byPrefix.get(prefix);
  if (known) return known as RowReader<T>;
  const platform = em.getPlatform();
  const steps: Step[] = [];
  const columns: string[] = [];
  for (const prop of meta.props) {
    const [fieldName, ...more] = prop.fieldNames ?? [];
    if (!fieldName || more.length > 0 || prop.persist === false || prop.lazy) continue;
    const name = prop.name;
    const column = prefix + fieldName;
    if (prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE) {
      if (!prop.owner && prop.kind === ReferenceKind.ONE_TO_ONE) continue;
      if (prop.targetMeta?.primaryKeys.join() !== 'id') {
        throw new Error(`${meta.className}.${name}: only relations to an "id" key map to rows`);
      }
      steps.push((raw, row) => {
        const id = raw[column];
        row[name] = id === null || id === undefined ? undefined : { id };
      });
    } else if (prop.kind === ReferenceKind.SCALAR) {
      const type = prop.customType;
      if (type) {
        steps.push((raw, row) => {
          const value = raw[column];
          row[name] = value === null ? undefined : type.convertToJSValue(value, platform);
        });
      } else if (prop.runtimeType === 'Date') {
        steps.push((raw, row) => {
          const value = raw[column];
          row[name] =
            value === null || value === undefined
              ? undefined
              : value instanceof Date
                ? value
                : platform.parseDate(value as string);
        });
      } else {
        steps.push((raw, row) => {
          const value = raw[column];
          row[name] = value === null ? undefined : value;
        });
      }
    } else if (prop.kind === ReferenceKind.EMBEDDED) {
      throw new Error(`${meta.className}.${name}: embedded properties do not map to rows`);
    } else {
      continue;
    }
    columns.push(fieldName);
  }
  const reader: RowReader<T> = {
    columns,
    read: (raw) => {
      const row: Record<string, unknown> = {};
      for (const step of steps) step(raw, row);
      return row as Row<T>;
    },
  };
  byPrefix.set(prefix, reader);
  return reader;
}

/** Raw result rows (column names) of `entity`'s table as Row objects. */
export function toRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  raws: readonly RawRow[],
): Row<T>[] {
  const { read } = readerOf(em, em.getMetadata().get<T>(entity));
  return raws.map(read);
}

/**
 * A to-one relation read in the same statement as its owners: each target
 * row found goes to `found` (a loader's cache), so the field that shows it
 * costs no statement of its own. Only for relations whose loader applies no
 * row scope for the viewer: the join does not apply one.
 */
export type RowJoin = { relation: string; found: (target: Row<{ id: string }>) => void };

/**
 * Each owner's newest child (a ticket's latest note), read in the owners'
 * statement by a lateral join instead of a loader's statement, with the
 * child's own to-one relations (`joins`, the note's author) in the same join.
 * `found` gets every owner's child, or undefined for an owner without one,
 * and with `more` whether the owner has another child (a first page of one
 * and its hasNextPage). Only for children whose loader applies no row scope
 * for the viewer.
 */
export type NewestChildJoin = {
  entity: EntityName<object>;
  /** The child's many-to-one property that names its owner. */
  owner: string;
  /** The child's property that decides the newest, then its id, both descending. */
  newestBy: string;
  joins: readonly RowJoin[];
  more: boolean;
  found: (ownerId: string, child: Row<{ id: string }> | undefined, more: boolean) => void;
};

function manyToOne(meta: EntityMetadata, relation: string): EntityProperty {
  const prop = (meta.properties as Record<string, EntityProperty>)[relation];
  if (prop?.kind !== ReferenceKind.MANY_TO_ONE || !prop.targetMeta) {
    throw new Error(`${meta.className}.${relation} is not a many-to-one relation`);
  }
  return prop;
}

const columnOf = (prop: EntityProperty): string => prop.fieldNames[0]!;

/** Many rows share a target (a page's tickets, their few branches): each is handed on once. */
function handOnJoined(
  raws: readonly RawRow[],
  joined: readonly { join: RowJoin; reader: RowReader<{ id: string }>; idColumn: string }[],
): void {
  for (const { join, reader, idColumn } of joined) {
    const seen = new Set<unknown>([null, undefined]);
    for (const rawRow of raws) {
      if (seen.has(rawRow[idColumn])) continue;
      seen.add(rawRow[idColumn]);
      join.found(reader.read(rawRow));
    }
  }
}

const COUNT_COLUMN = 'count_of_all';

const TO_MANY: readonly ReferenceKind[] = [ReferenceKind.ONE_TO_MANY, ReferenceKind.MANY_TO_MANY];

/**
 * Whether a filter joins a to-many relation (a ticket's customer's labels),
 * which repeats rows: a count then counts distinct ids, as the query
 * builder's own getCount does.
 */
function reachesToMany(meta: EntityMetadata, where: unknown): boolean {
  if (Array.isArray(where)) return where.some((part) => reachesToMany(meta, part));
  if (where === null || typeof where !== 'object' || where instanceof Date) return false;
  return Object.entries(where as Record<string, unknown>).some(([key, value]) => {
    if (key.startsWith('$')) return reachesToMany(meta, value);
    const prop = (meta.properties as Record<string, EntityProperty>)[key];
    if (!prop) return false;
    if (TO_MANY.includes(prop.kind)) return true;
    return prop.targetMeta !== undefined && reachesToMany(prop.targetMeta, value);
  });
}

/**
 * `em.find` for reads: the same filter language (so scopes from scopes.ts
 * apply unchanged), one statement, plain rows instead of managed entities.
 */
export async function findRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  options: {
    orderBy?: QueryOrderMap<T>;
    limit?: number;
    joins?: readonly RowJoin[];
    newest?: readonly NewestChildJoin[];
    /**
     * The number of rows `where` admits (a connection's totalCount, whose
     * filter lacks the page's cursor), read as a column of the same statement.
     * `found` is not called when the statement returns no row.
     */
    count?: { where: FilterQuery<T>; found: (count: number) => void };
  } = {},
): Promise<Row<T>[]> {
  const meta = em.getMetadata().get<T>(entity);
  const query = em.createQueryBuilder(entity, 'e').select('*').where(where);
  const joined = (options.joins ?? []).map((join, index) => {
    const prop = manyToOne(meta as EntityMetadata, join.relation);
    const alias = `j${index}`;
    const reader = readerOf(em, prop.targetMeta as EntityMetadata<{ id: string }>, `${alias}__`);
    query.leftJoin(`e.${join.relation}`, alias);
    query.addSelect(
      reader.columns.map((column) => raw(`"${alias}"."${column}" as "${alias}__${column}"`)),
    );
    return { join, reader, idColumn: `${alias}__id` };
  });
  const newest = (options.newest ?? []).map((child, index) => {
    const alias = `n${index}`;
    const childMeta = em.getMetadata().get(child.entity);
    const reader = readerOf(em, childMeta as EntityMetadata<{ id: string }>, `${alias}__`);
    const knex = em.getKnex();
    const select = reader.columns.map((column) => `"c"."${column}" as "${alias}__${column}"`);
    const lateral = knex.from({ c: childMeta.tableName });
    const childJoined = child.joins.map((join, j) => {
      const prop = manyToOne(childMeta, join.relation);
      const target = prop.targetMeta as EntityMetadata<{ id: string }>;
      const prefix = `${alias}j${j}__`;
      const targetReader = readerOf(em, target, prefix);
      lateral.leftJoin({ [`t${j}`]: target.tableName }, `t${j}.id`, `c.${columnOf(prop)}`);
      select.push(
        ...targetReader.columns.map((column) => `"t${j}"."${column}" as "${prefix}${column}"`),
      );
      return { join, reader: targetReader, idColumn: `${prefix}id` };
    });
    const ownerColumn = columnOf(manyToOne(childMeta, child.owner));
    if (child.more) {
      select.push(
        `exists (select 1 from "${childMeta.tableName}" as "m" where "m"."${ownerColumn}" = "e"."id" offset 1) as "${alias}__more"`,
      );
    }
    const orderColumn = (childMeta.properties as Record<string, EntityProperty>)[child.newestBy]
      ?.fieldNames[0];
    if (!orderColumn) throw new Error(`${childMeta.className} has no column for ${child.newestBy}`);
    // The same order as the children's loader (loaders.ts newestChildren), so either answers alike.
    lateral
      .select(knex.raw(select.join(', ')))
      .whereRaw(`"c"."${ownerColumn}" = "e"."id"`)
      .orderByRaw(`"c"."${orderColumn}" desc, "c"."id" desc`)
      .limit(1);
    // The subquery holds the condition; a raw key with no value is rendered as `on true`.
    query.leftJoinLateral(lateral, alias, { [raw('true')]: [] });
    query.addSelect(raw(`"${alias}".*`));
    return { child, alias, reader, idColumn: `${alias}__id`, childJoined };
  });
  if (options.count) {
    const counted = em
      .createQueryBuilder(entity, 'counted')
      .count('id', reachesToMany(meta as EntityMetadata, options.count.where))
      .where(options.count.where);
    query.addSelect(counted.as(COUNT_COLUMN));
  }
  if (options.orderBy) query.orderBy(options.orderBy);
  if (options.limit !== undefined) query.limit(options.limit);
  const raws = await query.execute<RawRow[]>('all', false);
  if (options.count && raws[0]) options.count.found(Number(raws[0][COUNT_COLUMN]));
  handOnJoined(raws, joined);
  for (const { child, alias, reader, idColumn, childJoined } of newest) {
    handOnJoined(raws, childJoined);
    for (const rawRow of raws) {
      const found = rawRow[idColumn] === null ? undefined : reader.read(rawRow);
      child.found(rawRow.id as string, found, rawRow[`${alias}__more`] === true);
    }
  }
  return toRows(em, entity, raws);
}

/**
 * `em.count` for reads: the same filter, compiled by the query builder as
 * findRows compiles it, without the entity manager's work for managed
 * entities (population hints, entity filters, which this schema has none of).
 */
export function countRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
): Promise<number> {
  return em.createQueryBuilder(entity, 'e').where(where).getCount();
}

/**
 * Rows of `entity` by primary key, for loaders that need no row scope: one
 * hand-written statement, without the filter compilation `findRows` does.
 * Every request's nested users, branches and channels come this way.
 */
export async function rowsByIds<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  ids: readonly string[],
): Promise<Row<T>[]> {
  const meta = em.getMetadata().get<T>(entity);
  const raws = await em
    .getConnection()
    .execute<RawRow[]>(`select * from "${meta.tableName}" where "id" = any(?::uuid[])`, [
      `{${ids.join(',')}}`,
    ]);
  return raws.map(readerOf(em, meta).read);
}
