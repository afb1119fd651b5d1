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

export function formatTime(iso: string, language: 'vi' | 'en'): string {
  return new Date(iso).toLocaleString(language === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
