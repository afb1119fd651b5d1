/**
 * Reading parsed push bodies. Payloads are `unknown`; a module describes the
 * fields it reads as a zod schema built from the field types below (ids that
 * arrive as strings or numbers, integers some senders quote, timestamps in
 * seconds or milliseconds), and `readPayload` turns the first field that does
 * not fit into a PayloadError that names it, so the dead-letter queue
 * explains itself. `readId` and `toEventTime` read one field with the same
 * types, for the order API readers, which pick fields from lists of names.
 */
import { z } from 'zod';
import { PayloadError } from './types';

/** Reads `value` with `schema`; a PayloadError names the first field that did not fit. */
export function readPayload<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  if (!path) throw new PayloadError(`${what} ${issue.message}`);
  // `Shopee push.shop_id`, but `Shopee push data.ordersn` and `Shopee push data is not…`.
  const nested = issue.path.length > 1 || issue.message === NOT_AN_OBJECT;
  throw new PayloadError(`${what}${nested ? ' ' : '.'}${path} ${issue.message}`);
}

const NOT_AN_OBJECT = 'is not a JSON object';

const fail = (ctx: z.RefinementCtx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/**
 * Ids arrive as strings or numbers depending on the platform and even the push
 * type (Lazada). A number beyond 2^53 has already been corrupted by
 * JSON.parse, so it is refused rather than stored wrong.
 */
export const idField = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return String(value);
    return fail(ctx, `${value} is not an exact id (parse large ids as strings)`);
  }
  return fail(ctx, 'is missing or not an id');
});

export const textField = z
  .unknown()
  .transform((value, ctx): string =>
    typeof value === 'string' && value !== '' ? value : fail(ctx, 'is missing or not a string'),
  );

/** Integers that some senders quote (message types, Sendo status codes). */
export const integerField = z.unknown().transform((value, ctx): number => {
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number)
    ? number
    : fail(ctx, 'is missing or not an integer');
});

/** An object whose fields are read with `shape`; other fields pass through untouched. */
export const objectOf = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.looseObject(shape, { error: NOT_AN_OBJECT });

/**
 * An object whose fields are read with `shape` when present; anything else
 * (absent, null, a number) reads as `{}`, for parts a sender may leave out.
 */
export const objectOrEmptyOf = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.preprocess((value) => (isObject(value) ? value : {}), objectOf(shape));

/** Some queues hand nested payloads over as JSON text; accept both forms. */
export const objectOrJsonTextOf = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.preprocess((value, ctx): unknown => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return fail(ctx, 'is a string but not JSON');
    }
  }, objectOf(shape));

/**
 * A field that takes anything and is never an error: `read` makes the most of
 * it. A preprocess step, not a transform of z.unknown(): an object reports an
 * absent key as missing for such a transform, whatever the transform returns.
 */
export const lenientField = <T>(read: (value: unknown) => T) => z.preprocess(read, z.custom<T>());

/** The objects of a list; a missing list or an item that is not an object is skipped. */
export const objectsField = lenientField((value): JsonObject[] =>
  Array.isArray(value) ? value.filter(isObject) : [],
);

/** Text where a sender may put anything: the fallback unless it is a string. */
export const textOr = (fallback: string) => z.string().catch(fallback);

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new PayloadError(`${what} is not a JSON object`);
  return value;
}

export function has(obj: JsonObject, key: string): boolean {
  return Object.hasOwn(obj, key) && obj[key] !== undefined && obj[key] !== null;
}

export function readId(obj: JsonObject, key: string, what: string): string {
  return readPayload(idField, obj[key], `${what}.${key}`);
}

/** The first key present, for fields whose name is unverified or differs by push type. */
export function firstPresent(obj: JsonObject, keys: readonly string[]): string | undefined {
  return keys.find((key) => has(obj, key));
}

const MS_THRESHOLD = 1e12;

/**
 * Platform timestamps mix seconds and milliseconds (platforms.md 0.6), even
 * within one body (Lazada). Anything above 1e12 is milliseconds: 1e12 seconds
 * is the year 33658, 1e12 ms is September 2001.
 */
export const timeField = z.unknown().transform((value, ctx): Date => {
  const number =
    typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) {
    return fail(ctx, 'is missing or not a timestamp');
  }
  return new Date(number > MS_THRESHOLD ? number : number * 1000);
});

export function toEventTime(value: unknown, what: string): Date {
  return readPayload(timeField, value, what);
}

/** The raw text of a timestamp for idempotency keys, so retries produce the same key. */
export function timestampText(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
}

/** An id as readId takes it, or undefined instead of an error. */
function idOrUndefined(obj: JsonObject, key: string): string | undefined {
  const read = idField.safeParse(obj[key]);
  return read.success ? read.data : undefined;
}

/**
 * The shop, page or OA a push names, read without trusting the rest of it:
 * a push that cannot be normalized is still a dead letter of that shop, so
 * the channel's dead-letter count shows it. Marketplaces name it at the top
 * (`seller_id` Lazada, `shop_id` Shopee and TikTok Shop, `store_id` Sendo),
 * Messenger in each entry, Zalo as the recipient of a buyer's message (the
 * sender of the OA's own).
 */
export function namedShop(payload: unknown): string | undefined {
  if (!isObject(payload)) return undefined;
  for (const key of ['shop_id', 'seller_id', 'store_id']) {
    const id = idOrUndefined(payload, key);
    if (id !== undefined) return id;
  }
  const entry = Array.isArray(payload.entry) ? payload.entry.find(isObject) : undefined;
  if (entry) return idOrUndefined(entry, 'id');
  const eventName = typeof payload.event_name === 'string' ? payload.event_name : '';
  const party = eventName.startsWith('oa_') ? payload.sender : payload.recipient;
  return isObject(party) ? idOrUndefined(party, 'id') : undefined;
}
