/** `value` as literal text inside a LIKE/ILIKE pattern: its `\`, `%` and `_` match only themselves. */
export const likeLiteral = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);
