import type { IncomingHttpHeaders } from 'node:http';

/** A header as one string: repeated headers joined with "," as HTTP allows. */
export const headerText = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(',') : value;

/** Every header as one string, for signature checks and the inbox's kept headers. */
export function headersOf(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const name in headers) flat[name] = headerText(headers[name]);
  return flat;
}
