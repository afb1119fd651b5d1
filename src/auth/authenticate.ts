import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from '../entities';
import { Role } from '../entities/enums';
import { DomainError } from '../kernel/errors';
import type { TokenService, TokenSubject } from './tokens';
import type { PartnerViewer, Viewer } from './viewer';

export type Credentials = { authorization?: string | null; apiKey?: string | null };

export const hashApiKeySecret = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex');

const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

/**
 * The user behind a session, if they are still active and the session was not
 * ended since. Every request asks this, so it is one statement returning the
 * few columns a viewer needs, not a managed User with its branch collection.
 */
async function userViewer(em: EntityManager, session: TokenSubject): Promise<Viewer | null> {
  const [user] = await em.getConnection().execute<ViewerRow[]>(
    `select u."role", u."active", u."session_version",
            array(select ub."branch_id" from "user_branch" ub where ub."user_id" = u."id" order by ub."branch_id") as "branch_ids"
     from "app_user" u where u."id" = ?`,
    [session.userId],
  );
  if (!user || !user.active || user.role === Role.PARTNER) return null;
  if (user.session_version !== session.sessionVersion) return null;
  return {
    kind: 'user',
    id: session.userId,
    role: user.role,
    branchIds: user.branch_ids,
    sessionVersion: user.session_version,
  };
}

type ViewerRow = { role: Role; active: boolean; session_version: number; branch_ids: string[] };

async function partnerViewer(em: EntityManager, secret: string): Promise<Viewer | null> {
  const key = await em.findOne(ApiKey, { secretHash: hashApiKeySecret(secret), revokedAt: null });
  return key ? partnerViewerOf(key) : null;
}

/** Who a partner app is, from its key: the same viewer for its requests and its webhook deliveries. */
export function partnerViewerOf(key: ApiKey): PartnerViewer {
  return {
    kind: 'partner',
    role: Role.PARTNER,
    apiKeyId: key.id,
    channelIds: key.channelIds,
    scopes: key.scopes,
  };
}

/**
 * The viewer behind a request's credentials, read fresh from the database so
 * that a deactivated user or a revoked key stops working on the next request.
 * No credentials: null (anonymous). Credentials that do not check out:
 * UNAUTHENTICATED, never a silent downgrade to anonymous.
 */
export async function authenticate(
  em: EntityManager,
  tokens: TokenService,
  credentials: Credentials,
): Promise<Viewer | null> {
  const { authorization, apiKey } = credentials;
  if (apiKey) {
    const viewer = await partnerViewer(em, apiKey);
    if (!viewer) throw unauthenticated('The API key is not valid or was revoked');
    return viewer;
  }
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    const session = match?.[1] ? tokens.verify(match[1]) : null;
    const viewer = session ? await userViewer(em, session) : null;
    if (!viewer) throw unauthenticated('The session is not valid or has expired; sign in again');
    return viewer;
  }
  return null;
}

/** For long-lived subscriptions: is this viewer still allowed to be served? */
export async function refreshViewer(em: EntityManager, viewer: Viewer): Promise<Viewer | null> {
  if (viewer.kind === 'user') {
    return userViewer(em, { userId: viewer.id, sessionVersion: viewer.sessionVersion });
  }
  const key = await em.findOne(ApiKey, { id: viewer.apiKeyId, revokedAt: null });
  return key ? viewer : null;
}
