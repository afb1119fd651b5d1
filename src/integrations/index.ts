/**
 * Marketplace order integrations: one pure module per platform plus the
 * normalized status lattice. Routes pick a module by the lower-case name in
 * their path (`/webhooks/:platform`).
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
  RANK,
  TERMINAL,
  SIDE_EDGES,
  REVERT_TARGETS,
  canTransition,
  decideTransition,
  isRevertEdge,
  type CurrentOrderState,
  type IncomingOrderState,
  type TransitionDecision,
} from './order-lattice';
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
