import type { Level, Logger } from 'pino';

/** How often a summary is written while failures keep coming. */
export const LOG_SUMMARY_INTERVAL_MS = 60_000;

type Tally = { count: number; example: Record<string, unknown> };

/**
 * Counts a failure that can repeat for many items (one order detail after
 * another refused for the same reason) and writes one line per distinct
 * reason per interval, with its count and one example, instead of a line
 * and a stack per item. Nothing is written for an interval without failures.
 */
export class LogSummary {
  private readonly tallies = new Map<string, Tally>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly options: { level?: Level; intervalMs?: number } = {},
  ) {
    this.timer = setInterval(() => this.flush(), options.intervalMs ?? LOG_SUMMARY_INTERVAL_MS);
    // A summary pending never keeps a process alive.
    this.timer.unref();
  }

  /** `reason` names the failure without the item (no order id): items with one reason share a line. */
  add(reason: string, example: Record<string, unknown> = {}): void {
    const tally = this.tallies.get(reason);
    if (tally) tally.count += 1;
    else this.tallies.set(reason, { count: 1, example });
  }

  /** Writes what was counted since the last flush, one line per reason. */
  flush(): void {
    const seconds = Math.round((this.options.intervalMs ?? LOG_SUMMARY_INTERVAL_MS) / 1000);
    for (const [reason, { count, example }] of this.tallies) {
      this.logger[this.options.level ?? 'warn'](
        { reason, count, intervalSeconds: seconds, example },
        `${this.message} (${count}x in ${seconds}s): ${reason}`,
      );
    }
    this.tallies.clear();
  }

  /** Flushes and stops the timer, for a graceful stop. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
