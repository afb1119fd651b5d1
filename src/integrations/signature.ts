/**
 * HMAC helpers shared by the signed platforms. Everything works on Buffers so
 * the raw body bytes reach the MAC untouched (platforms.md section 0.1):
 * Vietnamese diacritics make any re-encoding of the body change the bytes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VerifyResult, WebhookHeaders } from './types';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export const verified: VerifyResult = { ok: true };

export function rejected(reason: string): VerifyResult {
  return { ok: false, reason };
}

/** Case-insensitive, because frameworks and tests differ in how they spell header names. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** timingSafeEqual throws on unequal lengths, and a length mismatch is an answer by itself. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a header carrying `hex(HMAC-SHA256(key, concat(parts)))`, the shape
 * Lazada, Shopee and TikTok Shop share. Hex case is ignored (Lazada's sample
 * lower-cases its output; nothing promises every sender does).
 */
export function verifyHexHmac(
  header: string | undefined,
  headerName: string,
  key: string,
  parts: readonly Buffer[],
): VerifyResult {
  if (header === undefined || header.trim() === '') {
    return rejected(`missing ${headerName} header`);
  }
  const provided = header.trim();
  if (!HEX_SHA256.test(provided)) {
    return rejected(`malformed ${headerName} header: expected 64 hex characters`);
  }
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return constantTimeEqual(mac.digest(), Buffer.from(provided, 'hex'))
    ? verified
    : rejected('signature mismatch');
}

/**
 * The scheme Lazada and TikTok Shop share: `Authorization` carries
 * hex(HMAC-SHA256(app_secret, app_key + raw body)).
 */
export function verifyAppKeySignature(
  platformName: string,
  rawBody: Buffer,
  headers: WebhookHeaders,
  secrets: { appKey?: string; appSecret?: string },
): VerifyResult {
  if (!secrets.appKey || !secrets.appSecret) {
    return rejected(`${platformName} appKey and appSecret are not configured`);
  }
  return verifyHexHmac(headerValue(headers, 'authorization'), 'Authorization', secrets.appSecret, [
    Buffer.from(secrets.appKey, 'utf8'),
    rawBody,
  ]);
}
