/**
 * The marketplaces' own "authorization expiring" pushes, read from a push
 * body the webhook pipeline already verified: Lazada message_type 8 (daily
 * once a token expires within 48 h), Shopee code 12 (7 days before the
 * authorization ends), TikTok type 7 (daily from 30 days before). The
 * pipeline hands each notice to channelAlertService.noteAuthorizationExpiring,
 * which raises REAUTHORIZE_SOON once per end. Field names beyond the type
 * codes are unverified (platforms.md 1.5, 2.5, 3.5): what cannot be read
 * leaves the end null, and the alert then uses its own 7-day window.
 */
import { Platform } from '../entities/enums';
import { isObject, type JsonObject } from './payload';

export const AUTHORIZATION_EXPIRING_PUSH = {
  lazada: { field: 'message_type', value: 8 },
  shopee: { field: 'code', value: 12 },
  tiktok: { field: 'type', value: 7 },
} as const;

export type AuthorizationNotice = { platform: Platform; shopId: string; endsAt: Date | null };

/** Seconds or milliseconds (platforms.md 0.6), as a number or digits. */
function timeOf(value: unknown): Date | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return null;
  return new Date(n > 1e12 ? n : n * 1000);
}

const idOf = (value: unknown): string | null =>
  typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : null;

const dataOf = (push: JsonObject): JsonObject => (isObject(push.data) ? push.data : {});

/** The notices in a push; none when it is not an expiry push. */
export function authorizationNotices(platform: Platform, push: unknown): AuthorizationNotice[] {
  if (!isObject(push)) return [];
  const data = dataOf(push);
  switch (platform) {
    case Platform.LAZADA: {
      if (push.message_type !== AUTHORIZATION_EXPIRING_PUSH.lazada.value) return [];
      const shopId = idOf(push.seller_id);
      const endsAt = timeOf(data.expire_time ?? data.expired_time ?? data.expire_at);
      return shopId ? [{ platform, shopId, endsAt }] : [];
    }
    case Platform.SHOPEE: {
      if (push.code !== AUTHORIZATION_EXPIRING_PUSH.shopee.value) return [];
      const endsAt = timeOf(data.expire_before ?? data.expire_time);
      const listed = Array.isArray(data.shop_expire_soon) ? data.shop_expire_soon : [push.shop_id];
      return listed.flatMap((id) => {
        const shopId = idOf(id);
        return shopId ? [{ platform, shopId, endsAt }] : [];
      });
    }
    case Platform.TIKTOK: {
      if (push.type !== AUTHORIZATION_EXPIRING_PUSH.tiktok.value) return [];
      const shopId = idOf(push.shop_id);
      const endsAt = timeOf(data.expire_time ?? data.authorization_expire_time);
      return shopId ? [{ platform, shopId, endsAt }] : [];
    }
    case Platform.TIKI:
    case Platform.SENDO:
    case Platform.FACEBOOK:
    case Platform.ZALO:
      // No expiry push: their tokens' ends are known from the token answers.
      return [];
  }
}
