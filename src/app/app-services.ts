import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { LoginLimiter } from '../auth/login-limiter';
import type { TokenService } from '../auth/tokens';
import type { EventBus } from '../realtime/event-bus';
import type { OrderEventTail } from '../realtime/order-event-tail';
import type { Bot } from '../services/conversations/bot/conversation-bot';
import type { MessagingConfig, PartnerWebhookConfig } from '../config';
import type { OutboundDelivery } from '../services/conversations/conversation-contracts';
import type { ChatApplier } from '../services/conversations/conversation-inbox.service';
import type { OrderSync } from '../services/orders/order-enrichment.service';
import type { OrderSyncQueue } from '../services/orders/order-sync.service';
import type { ChannelAuthorizationDeps } from '../services/channels/channel-authorization.service';
import type { TokenRefreshDeps } from '../services/channels/channel-token.service';

/** Long-lived collaborators, built once per app and handed to services through the context. */
export type AppServices = {
  orm: MikroORM;
  inboundMaxAttempts: number;
  tokens: TokenService;
  loginLimiter: LoginLimiter;
  bus: EventBus;
  /** The process's one reader of the order event log, shared by `orderEvents` subscribers. */
  orderEventTail: OrderEventTail;
  logger: Logger;
  /** Order-API clients, and the enrichment queue when this process runs jobs. */
  orderSync: OrderSync;
  /** Absent in a process that runs no jobs: a sync then waits for the jobs process's resume sweep. */
  orderSyncQueue?: OrderSyncQueue;
  /** The conversation bot: the inbox calls `bot.onCustomerMessage` after an inbound message commits. */
  bot: Bot;
  /** Applies inbound chat messages (and tells the bot, when one is wired). */
  conversationInbox: ChatApplier;
  /** Queues PENDING outbound messages for sending, in the caller's transaction. */
  outbound: OutboundDelivery;
  /** Facebook/Zalo settings; sendMessage checks reply windows against them. */
  messaging: MessagingConfig;
  /** Partner webhook settings: which endpoint URLs are accepted. */
  partnerWebhooks: PartnerWebhookConfig;
  /** channelAuthorizationUrl and the OAuth callback. */
  channelAuthorization: ChannelAuthorizationDeps;
  /** Token refresh (the job, and platform calls told their token is invalid). */
  tokenRefresh: TokenRefreshDeps;
};
