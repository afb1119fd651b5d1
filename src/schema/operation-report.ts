import type { MikroORM } from '@mikro-orm/postgresql';
import { OperationTypeNode, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/viewer';
import { audit } from '../services/shared/audit';
import { errorCodeOf, errorKindOf } from './format-error';

export type FailedOperation = {
  errors: readonly GraphQLError[];
  /** Absent when the request failed before an operation was chosen. */
  operation: OperationDefinitionNode | null | undefined;
  viewer: Viewer | null;
  /** Absent when a socket's operation failed before it had a context. */
  requestId: string | undefined;
};

const DENIAL_CODES = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * What happens to a failed GraphQL call, whichever transport carried it: an
 * unexpected error is logged with its stack, a refusal (FORBIDDEN,
 * RATE_LIMITED...) at info without one, and a mutation refused for lack of
 * permission is written to the audit log.
 */
export async function reportFailedOperation(
  deps: { orm: MikroORM; logger: Logger },
  failed: FailedOperation,
): Promise<void> {
  const { errors, operation, viewer, requestId } = failed;
  for (const error of errors) {
    const code = errorCodeOf({ message: error.message, extensions: error.extensions }, error);
    const kind = errorKindOf(code);
    if (kind === 'internal') {
      deps.logger.error({ err: error.originalError ?? error, requestId }, 'GraphQL request failed');
    } else if (kind === 'refused') {
      deps.logger.info({ code, path: error.path?.join('.'), requestId }, 'GraphQL request refused');
    }
    if (operation?.operation !== OperationTypeNode.MUTATION || !DENIAL_CODES.has(String(code))) {
      continue;
    }
    await audit(deps.orm.em.fork(), {
      actor: viewer,
      action: 'permission_denied',
      entityType: 'Mutation',
      entityId: String(error.path?.[0] ?? operation.name?.value ?? 'unknown'),
      data: { code, requestId },
    });
  }
}
