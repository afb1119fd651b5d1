import {
  ReferenceKind,
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

const mappers = new WeakMap<EntityMetadata, (raw: RawRow) => object>();

/**
 * Column -> property steps compiled once per entity from its metadata, with
 * the conversions hydration would apply (custom types such as bigint as
 * number, timestamps as Date), but no entity, identity map or reference
 * wiring: a read that is serialized and dropped needs none of them.
 */
function mapperOf<T extends object>(em: EntityManager, meta: EntityMetadata<T>) {
  const known = mappers.get(meta as EntityMetadata);
  if (known) return known as (raw: RawRow) => Row<T>;
  const platform = em.getPlatform();
  const steps: Step[] = [];
  for (const prop of meta.props) {
    const [column, ...more] = prop.fieldNames ?? [];
    if (!column || more.length > 0 || prop.persist === false) continue;
    const name = prop.name;
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
    }
  }
  const mapper = (raw: RawRow): Row<T> => {
    const row: Record<string, unknown> = {};
    for (const step of steps) step(raw, row);
    return row as Row<T>;
  };
  mappers.set(meta as EntityMetadata, mapper);
  return mapper;
}

/** Raw result rows (column names) of `entity`'s table as Row objects. */
export function toRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  raws: readonly RawRow[],
): Row<T>[] {
  const map = mapperOf(em, em.getMetadata().get<T>(entity));
  return raws.map(map);
}

/**
 * `em.find` for reads: the same filter language (so scopes from scopes.ts
 * apply unchanged), one statement, plain rows instead of managed entities.
 */
export async function findRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  options: { orderBy?: QueryOrderMap<T>; limit?: number } = {},
): Promise<Row<T>[]> {
  const query = em.createQueryBuilder(entity, 'e').select('*').where(where);
  if (options.orderBy) query.orderBy(options.orderBy);
  if (options.limit !== undefined) query.limit(options.limit);
  const raws = await query.execute<RawRow[]>('all', false);
  return toRows(em, entity, raws);
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
  return raws.map(mapperOf(em, meta));
}
