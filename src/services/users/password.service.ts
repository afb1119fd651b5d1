import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../auth/password';
import { PasswordResetToken, User } from '../../entities';
import { Role } from '../../entities/enums';
import type { AppServices } from '../../app/app-services';
import { audit } from '../shared/audit';
import { assertId, badInput, DomainError, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type CredentialsRevokedEvent } from '../../kernel/topics';
import { assertPasswordStrength } from './user-rules';
import { actingUserId } from '../shared/actor';

/** Long enough to reach someone the next working day, short enough to go stale. */
export const RESET_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export type IssuedResetToken = { token: string; expiresAt: Date };

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Said for an unknown, used and expired token alike, so a guess learns nothing. */
const INVALID_TOKEN =
  'This password token is not valid, was already used or has expired; ask an admin for a new one';

/**
 * A new one-time token for a user; any earlier unused one stops working.
 * Only its hash is stored.
 */
export async function issueResetToken(
  { em, viewer }: RequestScope,
  user: User,
  now = new Date(),
): Promise<IssuedResetToken> {
  const token = `pwr_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MS);
  await em.nativeDelete(PasswordResetToken, { user: user.id, usedAt: null });
  em.create(PasswordResetToken, {
    user: user.id,
    tokenHash: hashToken(token),
    expiresAt,
    createdBy: actingUserId(viewer),
  });
  await em.flush();
  await audit(em, {
    actor: viewer,
    action: 'password_reset_issued',
    entityType: 'User',
    entityId: user.id,
    data: { expiresAt: expiresAt.toISOString() },
  });
  return { token, expiresAt };
}

/** Tells every instance to end the user's open streams now (after the change is committed). */
export function announceSessionsEnded(bus: EventBus, userId: string): void {
  bus.publish(TOPICS.credentialsRevoked, { userId } satisfies CredentialsRevokedEvent);
}

/** A new password ends every session signed before it: their tokens carry the old version. */
async function setPassword(user: User, password: string): Promise<void> {
  user.passwordHash = await hashPassword(password);
  user.sessionVersion += 1;
}

export const passwordService = {
  /** Admin: a one-time token the user redeems with setPasswordWithToken; their password stays until then. */
  async resetPassword(scope: RequestScope, userId: string): Promise<IssuedResetToken> {
    const id = assertId(userId, 'userId');
    const user = await scope.em.findOne(User, id);
    if (!user || user.role === Role.PARTNER) throw notFound('User', id);
    if (!user.active) {
      throw badInput('This user is deactivated: activate them before a password reset', 'userId');
    }
    return issueResetToken(scope, user);
  },

  /**
   * Unauthenticated: the token is the credential. Sets the password, spends
   * the token and ends every session the user had.
   */
  async setPasswordWithToken(
    { em }: RequestScope,
    bus: EventBus,
    input: { token: string; newPassword: string },
    now = new Date(),
  ): Promise<boolean> {
    const password = assertPasswordStrength(input.newPassword, 'newPassword');
    const row = await em.findOne(
      PasswordResetToken,
      { tokenHash: hashToken(input.token.trim()) },
      { populate: ['user'] },
    );
    const user = row?.user.getEntity();
    if (!row || row.usedAt || row.expiresAt <= now || !user?.active) {
      throw badInput(INVALID_TOKEN, 'token');
    }
    // Spent in the same statement that checks it, so two redemptions cannot both pass.
    const spent = await em.nativeUpdate(
      PasswordResetToken,
      { id: row.id, usedAt: null },
      { usedAt: now },
    );
    if (spent !== 1) throw badInput(INVALID_TOKEN, 'token');
    await setPassword(user, password);
    await em.flush();
    announceSessionsEnded(bus, user.id);
    await audit(em, {
      actor: null,
      action: 'password_reset_used',
      entityType: 'User',
      entityId: user.id,
    });
    return true;
  },

  /**
   * The signed-in user's own password; the old one is required and wrong
   * guesses count against the login limiter. Every session of the user ends,
   * this one too: the answer carries the new token this client goes on with.
   */
  async changePassword(
    scope: RequestScope & { clientIp: string },
    services: Pick<AppServices, 'tokens' | 'loginLimiter' | 'bus'>,
    input: { oldPassword: string; newPassword: string },
  ): Promise<{ token: string; expiresAt: Date; user: User }> {
    const { em, viewer } = scope;
    if (viewer?.kind !== 'user') throw new DomainError('UNAUTHENTICATED', 'Sign in first');
    // Checked first: a refused new password costs no guess of the old one.
    const password = assertPasswordStrength(input.newPassword, 'newPassword');
    const user = await em.findOneOrFail(User, viewer.id, { populate: ['passwordHash'] });
    // Counted before the old password is checked, as a sign-in is.
    await services.loginLimiter.consume(user.email, scope.clientIp);
    if (!(await verifyPassword(input.oldPassword, user.passwordHash))) {
      await audit(em, {
        actor: viewer,
        action: 'password_change_failed',
        entityType: 'User',
        entityId: user.id,
      });
      throw badInput('oldPassword is not your current password', 'oldPassword');
    }
    if (password === input.oldPassword) {
      throw badInput('newPassword must differ from the current one', 'newPassword');
    }
    await services.loginLimiter.succeeded(user.email, scope.clientIp);
    await setPassword(user, password);
    await em.flush();
    announceSessionsEnded(services.bus, user.id);
    await audit(em, {
      actor: viewer,
      action: 'password_changed',
      entityType: 'User',
      entityId: user.id,
    });
    return { ...services.tokens.sign(user.id, user.sessionVersion), user };
  },
};
