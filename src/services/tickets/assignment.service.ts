import { createHash } from 'node:crypto';
import { AssignmentSetting, Branch, User } from '../../entities';
import { Role } from '../../entities/enums';
import { targetOf } from '../../auth/viewer';
import { assertId, badInput, DomainError, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';

export type AssignmentInput = { active?: boolean | null; maxOpenTickets?: number | null };

/** A leader manages only users of their own team; IT manages everyone's (BR-CRM-003/008). */
function assertManages(viewer: RequestScope['viewer'], user: User): void {
  if (viewer?.kind !== 'user') throw new DomainError('FORBIDDEN', 'Your role may not do this');
  if (viewer.role === Role.IT) return;
  const mine = targetOf(viewer.role);
  if (!mine || targetOf(user.role) !== mine) {
    throw new DomainError('FORBIDDEN', 'A leader manages assignments of their own team only');
  }
}

/**
 * The id of a branch + user setting before and after it is first saved: a
 * name-based UUID (RFC 9562 version 5 layout) of the pair, so reading an
 * unsaved default twice, or saving it, keeps the id a client already holds.
 */
export function assignmentSettingId(branchId: string, userId: string): string {
  const bytes = createHash('sha1').update(`assignment-setting:${branchId}:${userId}`).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function load({ em }: RequestScope, branchId: string, userId: string) {
  const [branch, user] = await Promise.all([
    em.findOne(Branch, { id: assertId(branchId, 'branchId') }),
    em.findOne(User, { id: assertId(userId, 'userId') }),
  ]);
  if (!branch) throw notFound('Branch', branchId);
  if (!user) throw notFound('User', userId);
  return { branch, user };
}

export const assignmentService = {
  /**
   * The setting for branch + user; a user without one receives tickets,
   * uncapped, under the id the setting gets when first saved.
   */
  async get(scope: RequestScope, branchId: string, userId: string): Promise<AssignmentSetting> {
    const { branch, user } = await load(scope, branchId, userId);
    assertManages(scope.viewer, user);
    const existing = await scope.em.findOne(AssignmentSetting, { branch, user });
    return (
      existing ??
      scope.em.create(
        AssignmentSetting,
        { id: assignmentSettingId(branch.id, user.id), branch, user },
        { persist: false },
      )
    );
  },

  async update(
    scope: RequestScope,
    branchId: string,
    userId: string,
    input: AssignmentInput,
  ): Promise<AssignmentSetting> {
    if (
      input.maxOpenTickets != null &&
      (input.maxOpenTickets < 0 || input.maxOpenTickets > 10_000)
    ) {
      throw badInput('maxOpenTickets must be between 0 and 10000', 'maxOpenTickets');
    }
    const { branch, user } = await load(scope, branchId, userId);
    assertManages(scope.viewer, user);
    const { em, viewer } = scope;
    let setting = await em.findOne(AssignmentSetting, { branch, user });
    setting ??= em.create(AssignmentSetting, {
      id: assignmentSettingId(branch.id, user.id),
      branch,
      user,
    });
    if (input.active != null) setting.active = input.active;
    if (input.maxOpenTickets !== undefined)
      setting.maxOpenTickets = input.maxOpenTickets ?? undefined;
    setting.updatedBy =
      viewer?.kind === 'user' ? em.getReference(User, viewer.id, { wrapped: true }) : undefined;
    await em.flush();
    return setting;
  },
};
