import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Role } from '../../entities/enums';
import { badInput } from '../../kernel/errors';
import { requiredText } from '../shared/unique-code';

/** Long enough that the login limiter makes guessing hopeless; no composition rules (NIST 800-63B). */
export const MIN_PASSWORD_LENGTH = 10;
/** scrypt takes any length; this only keeps a request from hashing a novel. */
const MAX_PASSWORD_LENGTH = 256;

/** Roles a person signs in with; PARTNER is an API key's, never a user's. */
export const USER_ROLES: readonly Role[] = Object.values(Role).filter(
  (role) => role !== Role.PARTNER,
);

const EMAIL = z.email();

/** E-mails are stored as login compares them: trimmed and in lower case. */
export function cleanEmail(email: string | null | undefined): string {
  const normalized = (email ?? '').trim().toLowerCase();
  if (!EMAIL.safeParse(normalized).success) {
    throw badInput(`"${normalized}" is not a valid e-mail address`, 'email');
  }
  return normalized;
}

export function assertPasswordStrength(password: string, field = 'password'): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw badInput(`${field} must be at least ${MIN_PASSWORD_LENGTH} characters long`, field);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw badInput(`${field} must be at most ${MAX_PASSWORD_LENGTH} characters long`, field);
  }
  return password;
}

export function assertUserRole(role: Role): Exclude<Role, Role.PARTNER> {
  if (!USER_ROLES.includes(role)) {
    throw badInput(
      `role must be one of ${USER_ROLES.join(', ')} (partners get an API key, not a user)`,
      'role',
    );
  }
  return role as Exclude<Role, Role.PARTNER>;
}

export function cleanFullName(name: string | null | undefined): string {
  return requiredText(name, 'fullName');
}

/** 18 random bytes: 24 URL-safe characters, well above the minimum length. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');
