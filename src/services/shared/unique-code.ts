import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { badInput, type DomainError } from '../../kernel/errors';

/**
 * Codes of settings rows (branches, customer labels): short enough to type
 * in a CLI flag, safe in CSV exports and URLs, compared in upper case so
 * "hcm" and "HCM" are one.
 */
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

export function cleanCode(code: string | null | undefined): string {
  const trimmed = (code ?? '').trim().toUpperCase();
  if (!CODE.test(trimmed)) {
    throw badInput(
      'code must be 1 to 32 letters, digits, "_" or "-", starting with a letter or digit',
      'code',
    );
  }
  return trimmed;
}

/** A text a row cannot do without, trimmed. */
export function requiredText(value: string | null | undefined, field: string): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed) throw badInput(`${field} must not be empty`, field);
  return trimmed;
}

type Coded = { id: string; code: string };

/** CONFLICT (from `taken`) when another row holds the code. */
export async function assertCodeFree<T extends Coded>(
  em: EntityManager,
  entity: EntityName<T>,
  code: string,
  taken: (code: string, existingId: string) => DomainError,
  exceptId?: string,
): Promise<void> {
  const existing: Coded | null = await em.findOne(entity, { code } as FilterQuery<T>);
  if (existing && existing.id !== exceptId) throw taken(code, existing.id);
}

/** Flushes a write of a unique code; a concurrent writer that won is CONFLICT too. */
export async function flushUniqueCode<T extends Coded>(
  em: EntityManager,
  entity: EntityName<T>,
  code: string,
  taken: (code: string, existingId: string) => DomainError,
): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner: Coded = await em.fork().findOneOrFail(entity, { code } as FilterQuery<T>);
    throw taken(code, winner.id);
  }
}
