import type Redis from 'ioredis';
import { createRateLimiter, RateLimiterRes, type RateLimiterAbstract } from '../rate-limit';
import { DomainError } from '../kernel/errors';

/**
 * Sign-in attempts are counted per e-mail and per IP before the password is
 * checked (consume, then verify): the store's increment is atomic, so guesses
 * sent at once cannot all slip in before the first failure is recorded.
 * Past the limit the answer is RATE_LIMITED until the window ends, and the
 * password is not checked at all. A successful sign-in gives its attempt
 * back and clears the e-mail's count, so only failures use up the limit.
 * Counters live in Redis when the API runs as several instances, in memory
 * otherwise.
 */
export type LoginLimiter = {
  /** Takes one attempt for the e-mail and the IP; throws RATE_LIMITED when either is used up. */
  consume: (email: string, ip: string) => Promise<void>;
  /** After a successful sign-in: the attempt is refunded and the e-mail's failures forgotten. */
  succeeded: (email: string, ip: string) => Promise<void>;
};

const WINDOW_SECONDS = 15 * 60;
const PER_EMAIL = 5;
const PER_IP = 30;

export function createLoginLimiter(redis?: Redis): LoginLimiter {
  const make = (keyPrefix: string, points: number): RateLimiterAbstract =>
    createRateLimiter(redis, { keyPrefix, points, durationSeconds: WINDOW_SECONDS });
  const byEmail = make('login-email', PER_EMAIL);
  const byIp = make('login-ip', PER_IP);
  const normalize = (email: string) => email.trim().toLowerCase();

  return {
    consume: async (email, ip) => {
      const results = await Promise.allSettled([
        byEmail.consume(normalize(email)),
        byIp.consume(ip),
      ]);
      let refusedForMs: number | undefined;
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
        refusedForMs = Math.max(refusedForMs ?? 0, result.reason.msBeforeNext);
      }
      if (refusedForMs !== undefined)
        throw new DomainError('RATE_LIMITED', 'Too many failed sign-ins; try again later', {
          retryAfterSeconds: Math.ceil(refusedForMs / 1000),
        });
    },
    succeeded: async (email, ip) => {
      await Promise.all([byEmail.delete(normalize(email)), byIp.reward(ip, 1)]);
    },
  };
}
