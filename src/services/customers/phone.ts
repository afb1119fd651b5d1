/**
 * Phone numbers as the CRM keys them: E.164 (+84912345678), parsed by
 * libphonenumber-js with Vietnam as the default country, so "0912 345 678",
 * "+84 912-345-678" and "84912345678" are one number.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { PhoneType } from '../../entities/enums';

/**
 * E.164, or null for anything that is not a valid number: the masked phones
 * marketplaces hand out ("******78"), empty strings, typos. The "max"
 * metadata is used because validity (not just length) decides whether a
 * number may link two orders to one person.
 */
export function normalizePhone(
  raw: string | null | undefined,
  country: CountryCode = 'VN',
): string | null {
  const text = raw?.trim();
  // A masked number can parse as a short valid-looking one; it identifies no one.
  if (!text || text.includes('*')) return null;
  const parsed = parsePhoneNumberFromString(text, country);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * The spellings of one E.164 number that older rows may hold ("+84912345678",
 * "84912345678", "0912345678"), for an exact, indexed lookup of customers
 * saved before phones were normalized.
 */
export function phoneSpellings(e164: string): string[] {
  const digits = e164.replace(/^\+/, '');
  const spellings = [e164, digits];
  if (digits.startsWith('84')) spellings.push(`0${digits.slice(2)}`);
  return spellings;
}

/** The kind of a stored (E.164) number; null when there is none or it no longer parses. */
export function phoneTypeOf(e164: string | null | undefined): PhoneType | null {
  const parsed = e164 ? parsePhoneNumberFromString(e164) : undefined;
  if (!parsed?.isValid()) return null;
  if (parsed.country !== 'VN') return PhoneType.FOREIGN;
  const type = parsed.getType();
  if (type === 'MOBILE') return PhoneType.MOBILE;
  if (type === 'FIXED_LINE') return PhoneType.LANDLINE;
  return PhoneType.OTHER;
}
