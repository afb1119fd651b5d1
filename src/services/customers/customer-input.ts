/**
 * One normalization of customer fields for every write path (API, import,
 * linking): phones in E.164, e-mails lower-cased, names trimmed, birthdays
 * checked. A bad value is a BAD_USER_INPUT naming the field, so a client (or
 * an import report) can say which cell to fix.
 */
import { isEmail } from 'class-validator';
import type { Gender } from '../../entities/enums';
import { badInput } from '../../kernel/errors';
import { normalizePhone } from './phone';
import { MAX_LENGTH, assertMaxLength } from '../../kernel/text-limits';

export type CustomerFields = {
  fullName?: string | null;
  phone?: string | null;
  email?: string | null;
  birthday?: string | null;
  gender?: Gender | null;
  notes?: string | null;
};

/** The same fields after normalization: `undefined` leaves a stored value alone, `null` clears it. */
export type NormalizedCustomerFields = {
  fullName?: string;
  phone?: string | null;
  email?: string | null;
  birthday?: string | null;
  gender?: Gender | null;
  notes?: string | null;
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today in Vietnam: a birthday "today" must not be rejected because UTC is still on yesterday. */
function todayInVietnam(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(now);
}

export function normalizeName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw badInput('fullName: must not be empty', 'fullName');
  assertMaxLength(name, MAX_LENGTH.personName, 'fullName');
  return name;
}

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!isEmail(email) || email.length > MAX_LENGTH.email) {
    throw badInput(`email: "${raw}" is not a valid e-mail address`, 'email');
  }
  return email;
}

export function validPhone(raw: string): string {
  const phone = normalizePhone(raw);
  if (!phone) throw badInput(`phone: "${raw}" is not a valid phone number`, 'phone');
  return phone;
}

export function validBirthday(raw: string, now = new Date()): string {
  const match = ISO_DATE.exec(raw.trim());
  const date = match ? new Date(`${match[0]}T00:00:00Z`) : null;
  // Date rolls 2024-02-30 over to March: a round trip catches impossible days.
  if (
    !match ||
    !date ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== match[0]
  ) {
    throw badInput(`birthday: "${raw}" is not a date (YYYY-MM-DD)`, 'birthday');
  }
  if (match[0] > todayInVietnam(now))
    throw badInput('birthday: must not be in the future', 'birthday');
  if (match[0] < '1900-01-01') throw badInput('birthday: must be after 1900', 'birthday');
  return match[0];
}

/** Empty strings clear an optional field: a form that blanks a cell means "none". */
const blank = (value: string | null | undefined): value is '' | null =>
  value === null || (typeof value === 'string' && value.trim() === '');

export function normalizeCustomerFields(
  input: CustomerFields,
  now = new Date(),
): NormalizedCustomerFields {
  const out: NormalizedCustomerFields = {};
  if (input.fullName !== undefined) {
    if (input.fullName === null) throw badInput('fullName: must not be empty', 'fullName');
    out.fullName = normalizeName(input.fullName);
  }
  if (input.phone !== undefined) out.phone = blank(input.phone) ? null : validPhone(input.phone);
  if (input.email !== undefined)
    out.email = blank(input.email) ? null : normalizeEmail(input.email);
  if (input.birthday !== undefined) {
    out.birthday = blank(input.birthday) ? null : validBirthday(input.birthday, now);
  }
  if (input.gender !== undefined) out.gender = input.gender;
  if (input.notes !== undefined) {
    out.notes = blank(input.notes) ? null : input.notes.trim();
    if (out.notes) assertMaxLength(out.notes, MAX_LENGTH.longText, 'notes');
  }
  return out;
}
