/** Business time is Asia/Ho_Chi_Minh (UTC+7, no daylight saving), as the API's reports use. */
const BUSINESS_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** The business date (YYYY-MM-DD) of an instant. */
export function businessDay(instant: Date): string {
  return new Date(instant.getTime() + BUSINESS_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instants a business day starts and ends at (end excluded). */
export function businessDayBounds(instant: Date): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${businessDay(instant)}T00:00:00Z`) - BUSINESS_OFFSET_MS);
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

/** The business-time fields of an instant, read off a shifted UTC date. */
const businessParts = (iso: string): string =>
  new Date(Date.parse(iso) + BUSINESS_OFFSET_MS).toISOString();

/**
 * `YYYY-MM-DD HH:mm:ss` in business time, in either language: with the
 * year, the same shape everywhere on the page, and it sorts as it reads.
 */
export function formatTime(iso: string): string {
  return businessParts(iso).slice(0, 19).replace('T', ' ');
}

/** The business-time hour (0-23) an instant falls in. */
export function businessHour(iso: string): number {
  return Number(businessParts(iso).slice(11, 13));
}

/** `DD/MM` in business time, for where a chart's axis crosses midnight. */
export function dayAndMonth(iso: string): string {
  const parts = businessParts(iso);
  return `${parts.slice(8, 10)}/${parts.slice(5, 7)}`;
}
