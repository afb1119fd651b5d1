/**
 * Amounts to integer minor units, exactly. Platforms send decimal strings
 * ("150000.00", "12.34") or JSON numbers (Shopee); multiplying a float by 100
 * is how 12.34 becomes 1233.9999, so the decimal text is split instead.
 */
import { PayloadError } from '../types';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** ISO 4217 minor-unit digits from ICU (VND 0, USD 2, KWD 3): no hand-kept table. */
export function minorUnitDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 0
    );
  } catch {
    throw new PayloadError(`unknown currency "${currency}"`);
  }
}

/**
 * `value` in minor units of `currency`. Extra fraction digits are accepted
 * only when they are zeros ("150000.00" VND is 150000; "150000.5" VND is an
 * error, not a rounding). Absent values (null, undefined, "") are 0: the
 * platforms omit fees and discounts that do not apply.
 */
export function toMinorUnits(value: unknown, currency: string, what: string): number {
  if (value === null || value === undefined || value === '') return 0;
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PayloadError(`${what} is not a finite number`);
    // String() gives the shortest text that reads back as the same double, i.e.
    // the JSON text the platform sent for any amount with <= 15 significant digits.
    text = String(value);
    if (/e/i.test(text)) throw new PayloadError(`${what} ${text} is out of range`);
  } else if (typeof value === 'string') {
    text = value.trim().replace(/,/g, '');
  } else {
    throw new PayloadError(`${what} is not an amount`);
  }
  const match = DECIMAL.exec(text);
  if (!match) throw new PayloadError(`${what} "${text}" is not a decimal amount`);
  const [, sign, whole = '0', fraction = ''] = match;
  const digits = minorUnitDigits(currency);
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  if (/[^0]/.test(fraction.slice(digits))) {
    throw new PayloadError(`${what} "${text}" has more decimals than ${currency} allows`);
  }
  const minor = Number(`${whole}${kept}`);
  if (!Number.isSafeInteger(minor)) throw new PayloadError(`${what} "${text}" is out of range`);
  return sign === '-' ? -minor : minor;
}
