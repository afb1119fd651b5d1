import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DomainError } from '../services/errors';

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

export function isInternalError(formatted: GraphQLFormattedError, error: unknown): boolean {
  if (unwrapResolverError(error) instanceof DomainError) return false;
  const code = formatted.extensions?.code;
  return typeof code !== 'string' || !CLIENT_INPUT_CODES.has(code);
}

/**
 * The one mapping from thrown errors to what a client sees: domain errors keep
 * their code and message, client mistakes become BAD_USER_INPUT (a misspelt
 * enum value is as much bad input as a malformed cursor), and anything else is
 * masked when `maskInternal` is set.
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
  if (typeof code === 'string' && CLIENT_INPUT_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return {
      ...formatted,
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
