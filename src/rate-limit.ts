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

/** A share of the window's points taken from the store at a time. */
type Grant = { left: number; until: number };

/**
 * A per-key limit of `points` per window that asks the shared store for
 * points in chunks and hands them out from memory, so a busy key costs a
 * store round trip per chunk instead of per request. The store still counts
 * every point handed out, so all instances together never accept more than
 * `points` in a window; the price is that points an instance reserved but
 * did not use are lost to the others until the window ends (at most a chunk
 * per instance and key). A window found full is refused from memory until it
 * ends: a fixed window's count only grows.
 */
export class ReservingRateLimiter {
  private readonly grants = new Map<string, Grant>();
  private readonly reserving = new Map<string, Promise<void>>();
  private readonly chunk: number;
  /** Expired grants are swept at most once a second: a sweep per reservation costs keys². */
  private nextSweep = 0;

  constructor(
    private readonly store: RateLimiterAbstract,
    private readonly points: number,
    /** The share of the window's points one reservation takes. */
    chunkShare = 1 / 20,
  ) {
    this.chunk = Math.max(1, Math.floor(points * chunkShare));
  }

  /** Resolves when the key may go on; rejects with a RateLimiterRes when it is over the limit. */
  async consume(key: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      const grant = this.grants.get(key);
      if (grant && grant.until > now) {
        if (grant.left > 0) {
          grant.left -= 1;
          return;
        }
        // The store's own refusal, which callers already catch.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (grant.left < 0) throw refusal(grant.until - now, this.points);
      }
      // Requests of one key wait for the reservation in flight rather than each making one.
      let reservation = this.reserving.get(key);
      if (!reservation) {
        reservation = this.reserve(key).finally(() => this.reserving.delete(key));
        this.reserving.set(key, reservation);
      }
      await reservation;
    }
  }

  private async reserve(key: string): Promise<void> {
    const now = Date.now();
    let granted: number;
    let msLeft: number;
    try {
      const res = await this.store.consume(key, this.chunk);
      granted = this.chunk;
      msLeft = res.msBeforeNext;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      // The store counted the whole chunk; only what fitted under the limit is ours.
      granted = Math.max(0, this.points - (error.consumedPoints - this.chunk));
      msLeft = error.msBeforeNext;
    }
    // Dropped after their window ends (consume ignores them until then), so
    // the map holds only keys seen lately.
    if (now >= this.nextSweep) {
      for (const [other, grant] of this.grants) if (grant.until <= now) this.grants.delete(other);
      this.nextSweep = now + 1_000;
    }
    // -1 marks a full window: refused from memory until it ends.
    this.grants.set(key, { left: granted > 0 ? granted : -1, until: now + Math.max(1, msLeft) });
  }
}

function refusal(msBeforeNext: number, points: number): RateLimiterRes {
  return new RateLimiterRes(0, msBeforeNext, points + 1, false);
}
