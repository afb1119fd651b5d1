/**
 * Marketplace order-API clients, one per platform, behind one interface
 * (types.ts). Build them once per process from config:
 *
 *   const clients = createOrderApiClients(config.platforms);
 *   const detail = await clientFor(clients, order.platform).fetchOrder(credentialsOf(channel), order.externalId);
 */
import type { PlatformConfig, PlatformSettings } from '../../config';
import type { Channel } from '../../entities';
import type { Platform } from '../../entities/enums';
import { isPlatformKey, type PlatformKey } from '../index';
import { createLazadaClient, LAZADA_DEFAULT_BASE_URL } from './lazada';
import { createSendoClient, SENDO_DEFAULT_BASE_URL } from './sendo';
import { createShopeeClient, SHOPEE_DEFAULT_BASE_URL } from './shopee';
import { createTikiClient, TIKI_DEFAULT_BASE_URL } from './tiki';
import { createTiktokClient, TIKTOK_DEFAULT_BASE_URL } from './tiktok';
import type { ChannelCredentials, OrderApiClient } from './types';

export type OrderApiClients = Readonly<Record<PlatformKey, OrderApiClient>>;

const http = (settings: PlatformSettings, fallback: string) => ({
  baseUrl: settings.apiBaseUrl ?? fallback,
  timeoutMs: settings.apiTimeoutMs,
});

export function createOrderApiClients(platforms: PlatformConfig): OrderApiClients {
  return {
    lazada: createLazadaClient(
      platforms.lazada.secrets,
      http(platforms.lazada, LAZADA_DEFAULT_BASE_URL),
    ),
    shopee: createShopeeClient(
      platforms.shopee.secrets,
      http(platforms.shopee, SHOPEE_DEFAULT_BASE_URL),
    ),
    tiktok: createTiktokClient(
      platforms.tiktok.secrets,
      http(platforms.tiktok, TIKTOK_DEFAULT_BASE_URL),
    ),
    sendo: createSendoClient(http(platforms.sendo, SENDO_DEFAULT_BASE_URL)),
    tiki: createTikiClient(http(platforms.tiki, TIKI_DEFAULT_BASE_URL)),
  };
}

/** The client of an order's platform; messaging platforms (Facebook, Zalo) have none. */
export function clientFor(clients: OrderApiClients, platform: Platform): OrderApiClient {
  const key = platform.toLowerCase();
  if (!isPlatformKey(key)) throw new Error(`${platform} has no order API`);
  return clients[key];
}

/** What a client needs of a channel. Token refresh, when built, belongs before this call. */
export function credentialsOf(channel: Channel): ChannelCredentials {
  return {
    shopId: channel.externalShopId,
    accessToken: channel.accessToken ?? undefined,
    shopKey: channel.shopKey ?? undefined,
    shopSecret: channel.shopSecret ?? undefined,
  };
}

export * from './types';
export { toMinorUnits } from './money';
