/**
 * Marketplace order integrations: one pure module per platform. The webhook
 * router (src/ingest) picks a module by the lower-case name in its path
 * (`/webhooks/:platform`); the status lattice is an order rule and lives in
 * services/orders/order-lattice.ts.
 */
import { lazada } from './lazada';
import { sendo } from './sendo';
import { shopee } from './shopee';
import { tiki } from './tiki';
import { tiktok } from './tiktok';
import type { PlatformModule } from './types';

export type PlatformKey = 'lazada' | 'shopee' | 'tiktok' | 'sendo' | 'tiki';

export const platformModules: Readonly<Record<PlatformKey, PlatformModule>> = {
  lazada,
  shopee,
  tiktok,
  sendo,
  tiki,
};

export function isPlatformKey(value: string): value is PlatformKey {
  return Object.hasOwn(platformModules, value);
}

export {
  PayloadError,
  type FlagChanges,
  type MarketplacePlatform,
  type NormalizedOrderEvent,
  type OrderFlagName,
  type PlatformModule,
  type VerifyResult,
  type WebhookHeaders,
  type WebhookSecrets,
} from './types';
export { mapShopeeReturnStatus } from './shopee';
