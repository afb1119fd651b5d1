/**
 * Marketplace order-API clients, one per platform, behind one interface
 * (types.ts). Build them once per process from config, with the channels'
 * token renewer (services/channels) so a refused token is renewed once and
 * the call tried once more (token-renewal.ts):
 *
 *   const clients = createOrderApiClients(config.platforms, renew);
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
import { withTokenRenewal, type TokenRenewer } from './token-renewal';
import type { ChannelCredentials, OrderApiClient } from './types';

export type OrderApiClients = Readonly<Record<PlatformKey, OrderApiClient>>;

const http = (settings: PlatformSettings, fallback: string) => ({
  baseUrl: settings.apiBaseUrl ?? fallback,
  timeoutMs: settings.apiTimeoutMs,
});

/** A client whose calls go through withTokenRenewal: the retry carries the renewed token. */
function renewing(client: OrderApiClient, renew: TokenRenewer | undefined): OrderApiClient {
  if (!renew) return client;
  const retried = <T>(
    credentials: ChannelCredentials,
    call: (c: ChannelCredentials) => Promise<T>,
  ) => withTokenRenewal(renew, credentials, (accessToken) => call({ ...credentials, accessToken }));
  return {
    platform: client.platform,
    fetchOrder: (credentials, externalId) =>
      retried(credentials, (c) => client.fetchOrder(c, externalId)),
    listOrders: (credentials, query) => retried(credentials, (c) => client.listOrders(c, query)),
  };
}

/** `renew` absent: a refused token is the caller's failure (tests of the clients alone). */
export function createOrderApiClients(
  platforms: PlatformConfig,
  renew?: TokenRenewer,
): OrderApiClients {
  const clients: OrderApiClients = {
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
  return {
    lazada: renewing(clients.lazada, renew),
    shopee: renewing(clients.shopee, renew),
    tiktok: renewing(clients.tiktok, renew),
    sendo: renewing(clients.sendo, renew),
    tiki: renewing(clients.tiki, renew),
  };
}

/** The client of an order's platform; messaging platforms (Facebook, Zalo) have none. */
export function clientFor(clients: OrderApiClients, platform: Platform): OrderApiClient {
  const key = platform.toLowerCase();
  if (!isPlatformKey(key)) throw new Error(`${platform} has no order API`);
  return clients[key];
}

/** What a client needs of a channel; its id lets a refused token be renewed. */
export function credentialsOf(channel: Channel): ChannelCredentials {
  return {
    channelId: channel.id,
    shopId: channel.externalShopId,
    accessToken: channel.accessToken ?? undefined,
    shopKey: channel.shopKey ?? undefined,
    shopSecret: channel.shopSecret ?? undefined,
  };
}

export * from './types';
export { isTokenInvalid, withTokenRenewal, type TokenRenewer } from './token-renewal';
export { toMinorUnits } from './money';
