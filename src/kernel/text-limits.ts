import { badInput } from './errors';

/**
 * The longest text each kind of field keeps. Services enforce these for every
 * caller (GraphQL, imports, scripts, jobs); the GraphQL input policy
 * (schema/input-policy.ts) states the same numbers in the schema and refuses
 * longer values before a resolver runs.
 */
export const MAX_LENGTH = {
  ticketTitle: 300,
  /** Ticket descriptions, ticket and customer notes. */
  longText: 5_000,
  /** Why a ticket was canceled or a customer erased. */
  reason: 500,
  personName: 200,
  /** RFC 5321's limit for a forward path. */
  email: 254,
  /** Any written form of an E.164 number with spaces, dashes and a prefix. */
  phone: 32,
  channelName: 200,
  secret: 4_096,
  /** Messenger's own limit. */
  messageText: 2_000,
  /** Customer search and ticket keywords. */
  search: 100,
  articleSearch: 200,
  url: 2_048,
  /** A payment's id at its payer (gateway transaction, bank reference). */
  externalId: 200,
  paymentMethod: 50,
} as const;

export function assertMaxLength(value: string, max: number, field: string): void {
  if (value.length > max) throw badInput(`${field}: at most ${max} characters`, field);
}

/** Trimmed text that must not be empty nor longer than `max`. */
export function requiredText(raw: string, max: number, field: string): string {
  const text = raw.trim();
  if (!text) throw badInput(`${field}: must not be empty`, field);
  assertMaxLength(text, max, field);
  return text;
}
