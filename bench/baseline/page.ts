import { encodeCursor } from '../../src/services/shared/keyset';

/** Shapes every baseline page shares, serialized as the API's scalars are. */
export const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/** A bigint column (pg reads it as text) as the SafeInt the API answers. */
export const safeInt = (value: string): number => Number(value);

/** `{ id, email }` of a left-joined user, or null. */
export const userRef = (id: string | null, email: string | null) =>
  id === null ? null : { id, email };

export type Page<Node> = {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

/**
 * Edges and pageInfo of rows read with `limit size + 1`, ordered by
 * (sortKey's column, id): the cursors the API's keyset pages hand out.
 */
export function pageOf<Row extends { id: string }, Node>(
  rows: Row[],
  size: number,
  sort: { key: string; value: (row: Row) => Date | null },
  node: (row: Row) => Node,
): Page<Node> {
  const edges = rows.slice(0, size).map((row) => ({
    cursor: encodeCursor(sort.key, sort.value(row), row.id),
    node: node(row),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** Child rows by their parent's id, in the order read. */
export function groupBy<Row>(rows: Row[], parentId: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const id = parentId(row);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return groups;
}
