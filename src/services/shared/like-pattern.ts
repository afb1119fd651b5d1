import { assertMaxLength } from '../../kernel/text-limits';

/** `value` as literal text inside a LIKE/ILIKE pattern: its `\`, `%` and `_` match only themselves. */
export const likeLiteral = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE/ILIKE pattern matching any text that contains `value` as typed. */
export const containing = (value: string): string => `%${likeLiteral(value)}%`;

/** A list's search text, trimmed; undefined when none was typed. */
export function searchText(raw: string | null | undefined, max: number): string | undefined {
  const search = raw?.trim();
  if (!search) return undefined;
  assertMaxLength(search, max, 'search');
  return search;
}

/** One ILIKE condition per field, for an `$or`: any of `fields` contains `search`, in any case. */
export function anyFieldContaining(
  fields: readonly string[],
  search: string,
): Record<string, { $ilike: string }>[] {
  const pattern = containing(search);
  return fields.map((field) => ({ [field]: { $ilike: pattern } }));
}
