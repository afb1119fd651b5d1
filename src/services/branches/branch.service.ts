import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Branch } from '../../entities';
import { audit } from '../audit';
import { assertId, badInput, DomainError, notFound } from '../errors';
import type { RequestScope } from '../request-scope';

export type CreateBranchInput = { code: string; name: string };
export type UpdateBranchInput = { code?: string | null; name?: string | null };

/** Short enough to type in a CLI flag, and safe in CSV exports and URLs. */
const BRANCH_CODE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

/** Codes are compared in upper case, so "hcm" and "HCM" are one branch. */
export function cleanBranchCode(code: string | null | undefined): string {
  const trimmed = (code ?? '').trim().toUpperCase();
  if (!BRANCH_CODE.test(trimmed)) {
    throw badInput(
      'code must be 1 to 32 letters, digits, "_" or "-", starting with a letter or digit',
      'code',
    );
  }
  return trimmed;
}

function cleanName(name: string | null | undefined): string {
  const trimmed = (name ?? '').trim();
  if (!trimmed) throw badInput('name must not be empty', 'name');
  return trimmed;
}

const duplicateCode = (code: string, existingId: string) =>
  new DomainError('CONFLICT', `A branch with code ${code} already exists (${existingId})`, {
    reason: 'BRANCH_CODE_TAKEN',
    existingBranchId: existingId,
  });

/** A unique-code insert or update, turning a race with another writer into CONFLICT. */
async function flushUnique(em: EntityManager, code: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await em.fork().findOneOrFail(Branch, { code }, { fields: ['id'] });
    throw duplicateCode(code, winner.id);
  }
}

async function assertCodeFree(em: EntityManager, code: string, exceptId?: string): Promise<void> {
  const existing = await em.findOne(Branch, { code }, { fields: ['id'] });
  if (existing && existing.id !== exceptId) throw duplicateCode(code, existing.id);
}

/** Branches: where customers, tickets, channels and users belong. Never deleted (rows point at them). */
export const branchService = {
  list({ em }: RequestScope): Promise<Branch[]> {
    return em.find(Branch, {}, { orderBy: { code: 'asc' } });
  },

  async create({ em, viewer }: RequestScope, input: CreateBranchInput): Promise<Branch> {
    const code = cleanBranchCode(input.code);
    const name = cleanName(input.name);
    await assertCodeFree(em, code);
    const branch = em.create(Branch, { code, name });
    await flushUnique(em, code);
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
    const name = input.name === undefined ? undefined : cleanName(input.name);
    const branch = await em.findOne(Branch, branchId);
    if (!branch) throw notFound('Branch', branchId);
    const changes: Record<string, { from: string; to: string }> = {};
    if (code !== undefined && code !== branch.code) {
      await assertCodeFree(em, code, branch.id);
      changes.code = { from: branch.code, to: code };
      branch.code = code;
    }
    if (name !== undefined && name !== branch.name) {
      changes.name = { from: branch.name, to: name };
      branch.name = name;
    }
    if (Object.keys(changes).length === 0) return branch;
    await flushUnique(em, branch.code);
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
