import type Redis from 'ioredis';
import { createRateLimiter, RateLimiterRes, type RateLimiterAbstract } from '../rate-limit';
import { DomainError } from '../services/errors';

/**
 * Failed sign-ins are counted per e-mail and per IP; past the limit the
 * answer is RATE_LIMITED until the window ends. Counters live in Redis when
 * the API runs as several instances, in memory otherwise.
 */
export type LoginLimiter = {
  assertAllowed: (email: string, ip: string) => Promise<void>;
  recordFailure: (email: string, ip: string) => Promise<void>;
  reset: (email: string) => Promise<void>;
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

  const limited = (retryAfterMs: number) =>
    new DomainError('RATE_LIMITED', 'Too many failed sign-ins; try again later', {
      retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
    });

  return {
    assertAllowed: async (email, ip) => {
      const [emailState, ipState] = await Promise.all([
        byEmail.get(normalize(email)),
        byIp.get(ip),
      ]);
      for (const [state, limit] of [
        [emailState, PER_EMAIL],
        [ipState, PER_IP],
      ] as const) {
        if (state && state.consumedPoints >= limit) throw limited(state.msBeforeNext);
      }
    },
    recordFailure: async (email, ip) => {
      await Promise.all(
        [byEmail.penalty(normalize(email), 1), byIp.penalty(ip, 1)].map((p) =>
          p.catch((error: unknown) => {
            if (!(error instanceof RateLimiterRes)) throw error;
          }),
        ),
      );
    },
    reset: async (email) => {
      await byEmail.delete(normalize(email));
    },
  };
}
