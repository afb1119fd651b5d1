import type { Viewer } from '../../auth/viewer';

/**
 * The user a row records as its author or creator: a person only. A partner
 * app has no user row; the audit log names its API key instead.
 */
export const actingUserId = (viewer: Viewer | null): string | undefined =>
  viewer?.kind === 'user' ? viewer.id : undefined;
