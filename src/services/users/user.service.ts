import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Row } from '../shared/rows';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { hashPassword } from '../../auth/password';
import { userScope, within } from '../../auth/scopes';
import { Branch, User } from '../../entities';
import { Role } from '../../entities/enums';
import type { EventBus } from '../../realtime/event-bus';
import { audit } from '../shared/audit';
import { assertId, assertIds, badInput, DomainError, notFound } from '../../kernel/errors';
import { emptyPage, keysetPage, type Page, type PageRequest } from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';
import { announceSessionsEnded, issueResetToken, type IssuedResetToken } from './password.service';
import { assertPasswordStrength, assertUserRole, cleanEmail, cleanFullName } from './user-rules';
import { anyFieldContaining } from '../shared/like-pattern';

export type UserListFilter = {
  roles?: Role[] | null;
  branchId?: string | null;
  active?: boolean | null;
  /** Part of the e-mail or the name. */
  search?: string | null;
};

export type CreateUserInput = {
  email: string;
  fullName: string;
  role: Role;
  branchIds?: string[] | null;
  /** Left out: the user sets their own with the one-time token createUser returns. */
  password?: string | null;
};

export type UpdateUserInput = {
  fullName?: string | null;
  role?: Role | null;
  /** The user's branches, exactly these. */
  branchIds?: string[] | null;
  active?: boolean | null;
};

const emailTaken = (email: string, existingId: string) =>
  new DomainError('CONFLICT', `A user with e-mail ${email} already exists`, {
    reason: 'EMAIL_TAKEN',
    existingUserId: existingId,
  });

/** Every id names a branch, or NOT_FOUND names the first that does not. */
async function resolveBranches(em: EntityManager, ids: string[] | null | undefined) {
  const wanted = [...new Set(assertIds(ids ?? [], 'branchIds'))];
  const found = wanted.length ? await em.find(Branch, { id: { $in: wanted } }) : [];
  const missing = wanted.find((id) => !found.some((branch) => branch.id === id));
  if (missing) throw notFound('Branch', missing);
  return found.sort((a, b) => a.code.localeCompare(b.code));
}

/** User accounts: who may sign in, with which role, for which branches. */
export const userService = {
  /** Whether anybody can sign in at all (a new deployment has nobody yet). */
  async anyActiveUser(em: EntityManager): Promise<boolean> {
    return (await em.count(User, { active: true, role: { $ne: Role.PARTNER } })) > 0;
  },

  async list(
    { em, viewer }: RequestScope,
    filter: UserListFilter,
    page: PageRequest,
  ): Promise<Page<Row<User>>> {
    const where: FilterQuery<User> & Record<string, unknown> = {};
    if (filter.roles?.length) where.role = { $in: filter.roles };
    if (filter.active !== undefined && filter.active !== null) where.active = filter.active;
    if (filter.branchId) where.branches = assertId(filter.branchId, 'branchId');
    const search = filter.search?.trim();
    if (search) where.$or = anyFieldContaining(['email', 'fullName'], search);
    const scoped = within(userScope(viewer), where);
    if (!scoped) return emptyPage(page);
    return keysetPage(em, User, scoped, page, { field: 'createdAt', direction: 'DESC' });
  },

  /**
   * Creates an account. Without a password, the user is created with none
   * that works and the caller gets a one-time token to hand over, so nobody
   * but the user ever knows their password.
   */
  async create(
    scope: RequestScope,
    input: CreateUserInput,
  ): Promise<{ user: User; setPasswordToken: IssuedResetToken | null }> {
    const { em, viewer } = scope;
    const email = cleanEmail(input.email);
    const fullName = cleanFullName(input.fullName);
    const role = assertUserRole(input.role);
    const password =
      input.password === undefined || input.password === null
        ? null
        : assertPasswordStrength(input.password);
    const branches = await resolveBranches(em, input.branchIds);
    const existing = await em.findOne(User, { email }, { fields: ['id'] });
    if (existing) throw emailTaken(email, existing.id);
    const user = em.create(User, {
      email,
      fullName,
      role,
      // No scrypt hash ever equals "!": the account has no working password yet.
      passwordHash: password ? await hashPassword(password) : '!',
    });
    user.branches.set(branches);
    try {
      await em.flush();
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await em.fork().findOneOrFail(User, { email }, { fields: ['id'] });
      throw emailTaken(email, winner.id);
    }
    await audit(em, {
      actor: viewer,
      action: 'user_created',
      entityType: 'User',
      entityId: user.id,
      data: { email, role, branchIds: branches.map((b) => b.id), passwordSet: password !== null },
    });
    return { user, setPasswordToken: password ? null : await issueResetToken(scope, user) };
  },

  /**
   * Changes a user's name, role, branches or whether they may sign in. A
   * deactivation ends their sessions at once. An admin cannot demote or
   * deactivate themselves, so the caller, an active admin, always remains.
   */
  async update(
    { em, viewer }: RequestScope,
    bus: EventBus,
    id: string,
    input: UpdateUserInput,
  ): Promise<User> {
    const userId = assertId(id, 'id');
    const fullName = input.fullName === undefined ? undefined : cleanFullName(input.fullName);
    if (input.role === null) throw badInput('role must not be null', 'role');
    if (input.active === null) throw badInput('active must not be null', 'active');
    const role = input.role === undefined ? undefined : assertUserRole(input.role);
    const user: User | null = await em.findOne(User, userId, { populate: ['branches'] });
    if (!user || user.role === Role.PARTNER) throw notFound('User', userId);
    const branches =
      input.branchIds === undefined || input.branchIds === null
        ? undefined
        : await resolveBranches(em, input.branchIds);
    const self = viewer?.kind === 'user' && viewer.id === user.id;
    if (self && input.active === false) throw badInput('You cannot deactivate yourself', 'active');
    if (self && role !== undefined && role !== user.role) {
      throw badInput('You cannot change your own role', 'role');
    }

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const change = <K extends 'fullName' | 'role' | 'active'>(
      field: K,
      to: User[K] | undefined,
    ) => {
      if (to === undefined || user[field] === to) return;
      changes[field] = { from: user[field], to };
      user[field] = to;
    };
    change('fullName', fullName);
    change('role', role);
    change('active', input.active);
    if (branches) {
      const from = user.branches.getItems().map((b) => b.id);
      const to = branches.map((b) => b.id);
      if (from.length !== to.length || from.some((b) => !to.includes(b))) {
        changes.branchIds = { from, to };
        user.branches.set(branches);
      }
    }
    if (Object.keys(changes).length === 0) return user;
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'user_updated',
      entityType: 'User',
      entityId: user.id,
      data: { changes },
    });
    if (changes.active) {
      await audit(em, {
        actor: viewer,
        action: user.active ? 'user_activated' : 'user_deactivated',
        entityType: 'User',
        entityId: user.id,
      });
      if (!user.active) announceSessionsEnded(bus, user.id);
    }
    return user;
  },
};
