import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { LoginLimiter } from '../auth/login-limiter';
import type { TokenService } from '../auth/tokens';
import type { EventBus } from '../realtime/event-bus';
import type { OrderSync } from './order-enrichment.service';

/** Long-lived collaborators, built once per app and handed to services through the context. */
export type AppServices = {
  orm: MikroORM;
  inboundMaxAttempts: number;
  tokens: TokenService;
  loginLimiter: LoginLimiter;
  bus: EventBus;
  logger: Logger;
  /** Order-API clients, and the enrichment queue when this process runs jobs. */
  orderSync: OrderSync;
};
