/**
 * Test-side signing and small assertions. Signatures are computed here with
 * node:crypto, independently of the modules under test, so a wrong message
 * layout in a module makes its tests fail.
 */
import { createHmac } from 'node:crypto';
import type { FlagChanges, NormalizedOrderEvent } from '../../src/integrations/types';

export function hmacSha256Hex(key: string, ...parts: (string | Buffer)[]): string {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  return mac.digest('hex');
}

export function one(events: NormalizedOrderEvent[]): NormalizedOrderEvent {
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** The flags an event sets, sorted, for comparing with a mapping row. */
export function setFlags(flags: FlagChanges): string[] {
  return Object.entries(flags)
    .filter(([, value]) => value === true)
    .map(([flag]) => flag)
    .sort();
}

/**
 * Changes the last UTF-8 byte of the first occurrence of `text`. On "ễ"
 * (e1 bb 85) this yields "ệ" (e1 bb 87): still valid UTF-8 and valid JSON, so
 * only the signature can notice.
 */
export function tamper(body: Buffer, text: string): Buffer {
  const needle = Buffer.from(text, 'utf8');
  const at = body.indexOf(needle);
  if (at < 0) throw new Error(`"${text}" is not in the body`);
  const copy = Buffer.from(body);
  const last = at + needle.length - 1;
  copy[last] = copy[last]! ^ 0x02;
  return copy;
}

/** What JSON middleware does by default: parse, then serialize again. */
export function reserialize(body: Buffer): Buffer {
  return Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))), 'utf8');
}

export const BUYER = 'Nguyễn Thị Lan';
