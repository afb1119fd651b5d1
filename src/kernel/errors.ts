/** Codes a client can act on; mapped to `extensions.code` in one place (schema/format-error.ts). */
export type ErrorCode =
  'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, field?: string): DomainError =>
  new DomainError('BAD_USER_INPUT', message, field ? { field } : {});

/** An erased customer (right to be forgotten) takes no new data. */
export const customerErased = (): DomainError =>
  new DomainError('CONFLICT', 'This customer was erased', { reason: 'CUSTOMER_ERASED' });

export const notFound = (entity: string, id: string): DomainError =>
  new DomainError('NOT_FOUND', `${entity} ${id} was not found`, { entity, id });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isId = (value: string): boolean => UUID.test(value);

/** Ids are UUIDs; anything else is the client's mistake, not a database error. */
export function assertId(value: string, field = 'id'): string {
  if (!isId(value)) throw badInput(`${field}: "${value}" is not a valid id`, field);
  return value.toLowerCase();
}

export function assertIds(
  values: readonly string[] | undefined,
  field: string,
): string[] | undefined {
  return values?.map((value) => assertId(value, field));
}
