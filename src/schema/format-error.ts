import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DomainError, type ErrorCode } from '../kernel/errors';

/**
 * The codes of DomainError other than bad input (handled with the other
 * client mistakes below), also when a GraphQLError carries one (shield's
 * rules, the subscription guard and the context's authentication refuse
 * with GraphQLErrors): such an answer is a refusal, never an internal error.
 */
const REFUSAL_CODES: Record<Exclude<ErrorCode, 'BAD_USER_INPUT'>, true> = {
  UNAUTHENTICATED: true,
  FORBIDDEN: true,
  NOT_FOUND: true,
  CONFLICT: true,
  RATE_LIMITED: true,
};

const isRefusalCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(REFUSAL_CODES, code);

/** graphql-js names close fields and types; in production they would map the schema. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Apollo and graphql-js codes that mean "the client sent something wrong". */
const CLIENT_INPUT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** How a failed call is answered and logged: only `internal` is masked and logged with a stack. */
export type ErrorKind = 'refused' | 'bad-input' | 'internal';

/** The code a failed call carries: a domain error's own, else the one graphql or Apollo gave it. */
export function errorCodeOf(formatted: GraphQLFormattedError, error: unknown): unknown {
  const original = unwrapResolverError(error);
  return original instanceof DomainError ? original.code : formatted.extensions?.code;
}

/** The kind of a failed call with this code (see `errorCodeOf`). */
export function errorKindOf(code: unknown): ErrorKind {
  if (isRefusalCode(code)) return 'refused';
  return typeof code === 'string' && CLIENT_INPUT_CODES.has(code) ? 'bad-input' : 'internal';
}

/**
 * The one mapping from thrown errors to what a client sees, over HTTP and
 * WebSocket alike: domain errors and refusals keep their code and message,
 * client mistakes become BAD_USER_INPUT (a misspelt enum value is as much bad
 * input as a malformed cursor), and anything else is masked when
 * `maskInternal` (production) is set, which also drops field suggestions.
 */
export function formatClientError(
  formatted: GraphQLFormattedError,
  error: unknown,
  maskInternal: boolean,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...original.details, code: original.code },
    };
  }
  const code = formatted.extensions?.code;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  if (isRefusalCode(code)) return { ...formatted, extensions: { ...extensions, code } };
  if (typeof code === 'string' && CLIENT_INPUT_CODES.has(code)) {
    return {
      ...formatted,
      message: maskInternal ? formatted.message.replace(SUGGESTION, '') : formatted.message,
      extensions: {
        ...(maskInternal ? {} : extensions),
        code: 'BAD_USER_INPUT',
        ...(code === 'BAD_USER_INPUT' ? {} : { graphqlCode: code }),
      },
    };
  }
  if (maskInternal) {
    return {
      message: 'Internal server error; the request id in the x-request-id header locates the log',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  }
  return formatted;
}
