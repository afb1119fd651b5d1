/**
 * The instants this API takes from a client, in GraphQL arguments (the input
 * policy) and in the export route's query string alike. PostgreSQL refuses
 * some times JavaScript parses (year 0, for one) and stores others no row of
 * the CRM can hold: outside this range a time is a client's mistake.
 */
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(2100, 11, 31, 23, 59, 59, 999);

/** The range as messages and schema descriptions state it. */
export const INSTANT_RANGE = '1900-01-01 to 2100-12-31 (UTC)';

/** Whether `time` (milliseconds since the epoch, NaN for an unparsable one) is in the range. */
export const isInstantInRange = (time: number): boolean => time >= EARLIEST && time <= LATEST;
