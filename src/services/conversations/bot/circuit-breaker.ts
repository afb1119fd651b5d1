/**
 * A circuit breaker for the AI provider: after `failureThreshold` failures in
 * a row (errors, timeouts, malformed replies) it opens and the bot stops
 * calling the provider for `cooldownMs`; then one call may try (half-open),
 * and its success closes the breaker again while its failure reopens it for
 * another cool-down. State is per process, in memory: each API instance
 * learns about an outage from its own calls, which costs at most
 * `failureThreshold` slow answers per instance.
 */
export enum BreakerState {
  CLOSED = 'CLOSED',
  OPEN = 'OPEN',
  HALF_OPEN = 'HALF_OPEN',
}

export type BreakerSnapshot = {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: Date | null;
  /** When an open breaker lets a trial call through. */
  retryAt: Date | null;
  lastError: string | null;
  lastLatencyMs: number | null;
};

export type BreakerOptions = {
  failureThreshold: number;
  cooldownMs: number;
  /** Milliseconds since the epoch; tests pass a clock they move themselves. */
  now?: () => number;
};

export class CircuitBreaker {
  private state = BreakerState.CLOSED;
  private failures = 0;
  private openedAt: number | null = null;
  /** Half-open admits one trial at a time: true while it is out. */
  private trialInFlight = false;
  private lastError: string | null = null;
  private lastLatencyMs: number | null = null;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** May a call go out now? A true answer in half-open claims the one trial. */
  tryAcquire(): boolean {
    this.advance();
    switch (this.state) {
      case BreakerState.CLOSED:
        return true;
      case BreakerState.OPEN:
        return false;
      case BreakerState.HALF_OPEN:
        if (this.trialInFlight) return false;
        this.trialInFlight = true;
        return true;
    }
  }

  onSuccess(latencyMs: number): void {
    this.lastLatencyMs = latencyMs;
    this.failures = 0;
    this.trialInFlight = false;
    this.state = BreakerState.CLOSED;
    this.openedAt = null;
  }

  onFailure(error: string, latencyMs: number): void {
    this.lastLatencyMs = latencyMs;
    this.lastError = error;
    this.failures += 1;
    const trialFailed = this.state === BreakerState.HALF_OPEN;
    this.trialInFlight = false;
    if (trialFailed || this.failures >= this.options.failureThreshold) {
      this.state = BreakerState.OPEN;
      this.openedAt = this.now();
    }
  }

  snapshot(): BreakerSnapshot {
    this.advance();
    const retryAt =
      this.openedAt !== null && this.state === BreakerState.OPEN
        ? new Date(this.openedAt + this.options.cooldownMs)
        : null;
    return {
      state: this.state,
      consecutiveFailures: this.failures,
      openedAt: this.openedAt === null ? null : new Date(this.openedAt),
      retryAt,
      lastError: this.lastError,
      lastLatencyMs: this.lastLatencyMs,
    };
  }

  /** Open turns half-open once the cool-down has passed; nothing else moves on time alone. */
  private advance(): void {
    if (
      this.state === BreakerState.OPEN &&
      this.openedAt !== null &&
      this.now() - this.openedAt >= this.options.cooldownMs
    ) {
      this.state = BreakerState.HALF_OPEN;
      this.trialInFlight = false;
    }
  }
}
