import { RateLimiterMemory } from 'rate-limiter-flexible';
import { RateLimiterRes, ReservingRateLimiter } from '../src/rate-limit';

const outcomes = (limiter: ReservingRateLimiter, key: string, count: number) =>
  Promise.all(
    Array.from({ length: count }, () =>
      limiter.consume(key).then(
        () => 'ok' as const,
        (error: unknown) => {
          if (!(error instanceof RateLimiterRes)) throw error;
          expect(error.msBeforeNext).toBeGreaterThan(0);
          return 'limited' as const;
        },
      ),
    ),
  );

describe('reserving rate limiter', () => {
  test("hands out exactly the window's points from chunks, then refuses until the window ends", async () => {
    const store = new RateLimiterMemory({ keyPrefix: 'r1', points: 100, duration: 1 });
    const limiter = new ReservingRateLimiter(store, 100, 0.07);
    const first = await outcomes(limiter, 'shop', 150);
    expect(first.filter((o) => o === 'ok')).toHaveLength(100);
    expect(await outcomes(limiter, 'other', 3)).toEqual(['ok', 'ok', 'ok']);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await outcomes(limiter, 'shop', 10)).every((o) => o === 'ok')).toBe(true);
  });

  test('instances sharing the store never accept more than the limit together', async () => {
    const store = new RateLimiterMemory({ keyPrefix: 'r2', points: 50, duration: 1 });
    const a = new ReservingRateLimiter(store, 50, 0.3);
    const b = new ReservingRateLimiter(store, 50, 0.3);
    const both = [...(await outcomes(a, 'shop', 40)), ...(await outcomes(b, 'shop', 40))];
    const accepted = both.filter((o) => o === 'ok').length;
    expect(accepted).toBeLessThanOrEqual(50);
    // At most one chunk (15 points) stays unused in the first instance.
    expect(accepted).toBeGreaterThanOrEqual(50 - 15);
  });

  test('a limit smaller than the chunk share reserves one point at a time', async () => {
    const store = new RateLimiterMemory({ keyPrefix: 'r3', points: 3, duration: 1 });
    const limiter = new ReservingRateLimiter(store, 3);
    expect(await outcomes(limiter, 'shop', 5)).toEqual(['ok', 'ok', 'ok', 'limited', 'limited']);
  });
});
