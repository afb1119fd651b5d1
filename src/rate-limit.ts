import type Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export { RateLimiterRes, type RateLimiterAbstract };

/**
 * A counter shared by every API instance through Redis when one is
 * configured, kept in this process's memory otherwise.
 */
export function createRateLimiter(
  redis: Redis | undefined,
  options: { keyPrefix: string; points: number; durationSeconds: number },
): RateLimiterAbstract {
  const settings = {
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
  };
  return redis
    ? new RateLimiterRedis({ storeClient: redis, ...settings })
    : new RateLimiterMemory(settings);
}
