import { CustomerLabel } from '../../entities';
import { audit } from '../shared/audit';
import { assertId, badInput, DomainError, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { WRONG_CONTACT_LABEL } from '../tickets/ticket-automation';
import { assertCodeFree, cleanCode, flushUniqueCode, requiredText } from '../shared/unique-code';

export type CustomerLabelInput = { code: string; name: string; color?: string | null };
export type CustomerLabelChanges = {
  code?: string | null;
  name?: string | null;
  /** null clears it. */
  color?: string | null;
};

const COLOR = /^#[0-9a-f]{6}$/;

/** Labels the system itself sets keep their code: automations find them by it. */
const SYSTEM_CODES: readonly string[] = [WRONG_CONTACT_LABEL];

function cleanColor(color: string | null | undefined): string | undefined {
  if (color === null || color === undefined || color.trim() === '') return undefined;
  const lower = color.trim().toLowerCase();
  if (!COLOR.test(lower)) throw badInput('color must be #rrggbb, e.g. #c62828', 'color');
  return lower;
}

const codeTaken = (code: string, existingId: string) =>
  new DomainError('CONFLICT', `A customer label with code ${code} already exists`, {
    reason: 'LABEL_CODE_TAKEN',
    existingLabelId: existingId,
  });

/** The label vocabulary (Admin and team leaders write it; setCustomerLabels applies it). */
export const customerLabelService = {
  list({ em }: RequestScope): Promise<CustomerLabel[]> {
    return em.find(CustomerLabel, {}, { orderBy: { code: 'asc' } });
  },

  async create({ em, viewer }: RequestScope, input: CustomerLabelInput): Promise<CustomerLabel> {
    const code = cleanCode(input.code);
    const name = requiredText(input.name, 'name');
    const color = cleanColor(input.color);
    await assertCodeFree(em, CustomerLabel, code, codeTaken);
    const label = em.create(CustomerLabel, { code, name, color });
    await flushUniqueCode(em, CustomerLabel, code, codeTaken);
    await audit(em, {
      actor: viewer,
      action: 'customer_label_created',
      entityType: 'CustomerLabel',
      entityId: label.id,
      data: { code, name, color: color ?? null },
    });
    return label;
  },

  async update(
    { em, viewer }: RequestScope,
    id: string,
    input: CustomerLabelChanges,
  ): Promise<CustomerLabel> {
    const labelId = assertId(id);
    const code = input.code === undefined ? undefined : cleanCode(input.code);
    const name = input.name === undefined ? undefined : requiredText(input.name, 'name');
    const color = input.color === undefined ? undefined : (cleanColor(input.color) ?? null);
    const label = await em.findOne(CustomerLabel, labelId);
    if (!label) throw notFound('CustomerLabel', labelId);
    const changes: Record<string, { from: string | null; to: string | null }> = {};
    if (code !== undefined && code !== label.code) {
      if (SYSTEM_CODES.includes(label.code)) {
        throw badInput(`${label.code} is set by the system: its code cannot change`, 'code');
      }
      await assertCodeFree(em, CustomerLabel, code, codeTaken, label.id);
      changes.code = { from: label.code, to: code };
      label.code = code;
    }
    if (name !== undefined && name !== label.name) {
      changes.name = { from: label.name, to: name };
      label.name = name;
    }
    if (color !== undefined && color !== (label.color ?? null)) {
      changes.color = { from: label.color ?? null, to: color };
      label.color = color ?? undefined;
    }
    if (Object.keys(changes).length === 0) return label;
    await flushUniqueCode(em, CustomerLabel, label.code, codeTaken);
    await audit(em, {
      actor: viewer,
      action: 'customer_label_updated',
      entityType: 'CustomerLabel',
      entityId: label.id,
      data: { changes },
    });
    return label;
  },
};
