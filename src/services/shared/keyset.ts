import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { badInput, isId } from '../../kernel/errors';
import { countRows, findRows, type NewestChildJoin, type Row, type RowJoin } from './rows';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export type PageRequest = { first?: number | null; after?: string | null };

export type SortDirection = 'ASC' | 'DESC';

/**
 * A timestamp column to sort by; `id` breaks ties so the order is total.
 * A nullable column sorts its nulls last in either direction.
 */
export type KeysetSort<T> = {
  field: keyof T & string;
  direction: SortDirection;
  nullable?: boolean;
};

export type Page<T> = {
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  countTotal: () => Promise<number>;
};

/**
 * What a client asks of a connection: its nodes' fields (a nested field as
 * `field.child`), their `first` arguments and whether its totalCount, so that the page statement reads
 * them (schema/selection.ts pageSelectionOf).
 */
export type PageSelection = {
  fields: ReadonlySet<string>;
  /** The `first` argument a node field is asked with, when one value (`orders(first: 1)`). */
  first: ReadonlyMap<string, number>;
  totalCount: boolean;
};

export const NOTHING_ASKED: PageSelection = {
  fields: new Set(),
  first: new Map(),
  totalCount: false,
};

/** What a page's statement reads besides the page's rows. */
export type PageReads = {
  /** To-one relations of the rows (rows.ts RowJoin). */
  joins?: readonly RowJoin[];
  /** Each row's newest child (rows.ts NewestChildJoin). */
  newest?: readonly NewestChildJoin[];
  /** The total count, when the client asks for it. */
  totalCount?: boolean;
};

type CursorPayload = { f: string; v: string | null; id: string };

/** The cursor names its sort order, so a cursor from another ordering is refused. */
const sortKey = <T>(sort: KeysetSort<T>): string => `${sort.field}:${sort.direction}`;

export function encodeCursor(key: string, value: Date | null | undefined, id: string): string {
  const payload: CursorPayload = { f: key, v: value ? value.toISOString() : null, id };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string, key: string): { value: Date | null; id: string } {
  const malformed = () =>
    badInput('after: malformed cursor; pass an endCursor from a previous page', 'after');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  const p = payload as Partial<CursorPayload> | null;
  if (
    !p ||
    typeof p.f !== 'string' ||
    typeof p.id !== 'string' ||
    !(p.v === null || (typeof p.v === 'string' && !Number.isNaN(Date.parse(p.v))))
  ) {
    throw malformed();
  }
  if (!isId(p.id)) throw malformed();
  if (p.f !== key) {
    throw badInput(`after: the cursor belongs to a list sorted by ${p.f}, not ${key}`, 'after');
  }
  return { value: p.v === null ? null : new Date(p.v), id: p.id };
}

/** The answer for a viewer whose scope admits no row: still a valid, validated page. */
export function emptyPage<T>(request: PageRequest): Page<T> {
  pageSize(request.first);
  return {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    countTotal: () => Promise.resolve(0),
  };
}

export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`, 'first');
  }
  return size;
}

/**
 * One page of a keyset-paginated list: the rows after the cursor in
 * (sort field, id) order, one extra row fetched to know whether more follow.
 * No OFFSET, so page 1,000 costs what page 1 does. The nodes are plain rows
 * (rows.ts): a page is read to be serialized, not changed. `reads` are what
 * the same statement reads besides (relations, the count).
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  request: PageRequest,
  sort: KeysetSort<T>,
  reads: PageReads = {},
): Promise<Page<Row<T>>> {
  const size = pageSize(request.first);
  const operator = sort.direction === 'DESC' ? '$lt' : '$gt';
  const conditions: FilterQuery<T>[] = [where];
  const key = sortKey(sort);
  if (request.after) {
    const cursor = decodeCursor(request.after, key);
    const field = sort.field;
    conditions.push(
      (cursor.value === null
        ? { [field]: null, id: { [operator]: cursor.id } }
        : {
            $or: [
              { [field]: { [operator]: cursor.value } },
              { [field]: cursor.value, id: { [operator]: cursor.id } },
              ...(sort.nullable ? [{ [field]: null }] : []),
            ],
          }) as FilterQuery<T>,
    );
  }
  const direction = sort.direction === 'DESC' ? 'desc' : 'asc';
  let counted: number | undefined;
  const rows =
    size === 0
      ? []
      : await findRows(em, entity, { $and: conditions } as FilterQuery<T>, {
          orderBy: {
            [sort.field]: sort.nullable ? `${direction} nulls last` : direction,
            id: direction,
          } as never,
          limit: size + 1,
          joins: reads.joins,
          newest: reads.newest,
          count: reads.totalCount ? { where, found: (count) => (counted = count) } : undefined,
        });
  return pageOf(rows, request, sort, () =>
    counted === undefined ? countRows(em, entity, where) : Promise.resolve(counted),
  );
}

/**
 * The page for rows already read in keyset order, one more than the page
 * size if more follow: for a first page that a loader fetched for many
 * parents in one statement.
 */
export function pageOf<T extends { id: string }>(
  rows: readonly Row<T>[],
  request: PageRequest,
  sort: KeysetSort<T>,
  countTotal: () => Promise<number>,
  more?: boolean,
): Page<Row<T>> {
  const key = sortKey(sort);
  return pageOfNodes(
    rows,
    request,
    (node) =>
      encodeCursor(
        key,
        (node as Record<string, unknown>)[sort.field] as Date | null | undefined,
        (node as { id: string }).id,
      ),
    countTotal,
    more,
  );
}

/**
 * The page for nodes read in the list's order, one more than the page size
 * if more follow, each cursor made by `cursorOf`: also for lists whose order
 * is not one keyset sort (a union of tables, a grouping). `more` says
 * whether more follow when the nodes were read without the extra one.
 */
export function pageOfNodes<T>(
  nodes: readonly T[],
  request: PageRequest,
  cursorOf: (node: T) => string,
  countTotal: () => Promise<number>,
  more?: boolean,
): Page<T> {
  const size = pageSize(request.first);
  const edges = nodes.slice(0, size).map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: more ?? nodes.length > size,
      hasPreviousPage: Boolean(request.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? request.after ?? null,
    },
    countTotal,
  };
}
