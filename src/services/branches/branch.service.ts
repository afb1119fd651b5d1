import { Branch } from '../../entities';
import { audit } from '../shared/audit';
import { assertId, DomainError, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { assertCodeFree, cleanCode, flushUniqueCode, requiredText } from '../shared/unique-code';

export type CreateBranchInput = { code: string; name: string };
export type UpdateBranchInput = { code?: string | null; name?: string | null };

/** Codes are compared in upper case, so "hcm" and "HCM" are one branch. */
export const cleanBranchCode = cleanCode;

const duplicateCode = (code: string, existingId: string) =>
  new DomainError('CONFLICT', `A branch with code ${code} already exists (${existingId})`, {
    reason: 'BRANCH_CODE_TAKEN',
    existingBranchId: existingId,
  });

/** Branches: where customers, tickets, channels and users belong. Never deleted (rows point at them). */
export const branchService = {
  list({ em }: RequestScope): Promise<Branch[]> {
    return em.find(Branch, {}, { orderBy: { code: 'asc' } });
  },

  async create({ em, viewer }: RequestScope, input: CreateBranchInput): Promise<Branch> {
    const code = cleanBranchCode(input.code);
    const name = requiredText(input.name, 'name');
    await assertCodeFree(em, Branch, code, duplicateCode);
    const branch = em.create(Branch, { code, name });
    await flushUniqueCode(em, Branch, code, duplicateCode);
    await audit(em, {
      actor: viewer,
      action: 'branch_created',
      entityType: 'Branch',
      entityId: branch.id,
      data: { code, name },
    });
    return branch;
  },

  async update(
    { em, viewer }: RequestScope,
    id: string,
    input: UpdateBranchInput,
  ): Promise<Branch> {
    const branchId = assertId(id);
    const code = input.code === undefined ? undefined : cleanBranchCode(input.code);
    const name = input.name === undefined ? undefined : requiredText(input.name, 'name');
    const branch = await em.findOne(Branch, branchId);
    if (!branch) throw notFound('Branch', branchId);
    const changes: Record<string, { from: string; to: string }> = {};
    if (code !== undefined && code !== branch.code) {
      await assertCodeFree(em, Branch, code, duplicateCode, branch.id);
      changes.code = { from: branch.code, to: code };
      branch.code = code;
    }
    if (name !== undefined && name !== branch.name) {
      changes.name = { from: branch.name, to: name };
      branch.name = name;
    }
    if (Object.keys(changes).length === 0) return branch;
    await flushUniqueCode(em, Branch, branch.code, duplicateCode);
    await audit(em, {
      actor: viewer,
      action: 'branch_updated',
      entityType: 'Branch',
      entityId: branch.id,
      data: { changes },
    });
    return branch;
  },
};
