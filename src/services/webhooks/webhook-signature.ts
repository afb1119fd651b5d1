import { createHmac, randomBytes } from 'node:crypto';

/**
 * The recipe receivers follow (docs/partner-apps.md): HMAC-SHA256, keyed with
 * the secret string exactly as the API showed it, over
 * `<X-Webhook-Timestamp>.<raw body>`, hex, prefixed `v1=`. During a rotation
 * the header holds one signature per valid secret, separated by spaces.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookSignatureHeader(
  secrets: readonly string[],
  timestamp: number,
  body: string,
): string {
  return secrets.map((secret) => webhookSignature(secret, timestamp, body)).join(' ');
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
