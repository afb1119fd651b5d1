/**
 * Progress of a long command (seed, import, sync) on stderr. On a terminal:
 * one line redrawn in place with a bar, done/total, rate and ETA. Elsewhere
 * (CI, a log file, a pipe): plain lines now and then with the same numbers,
 * so a log stays readable. Both end with one summary line.
 */

/** What the reporter writes to: process.stderr, or a fake in tests. */
export type ProgressStream = {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
};

/** Extra counters shown after the numbers ("created 12, failed 1"). */
export type ProgressDetails = Record<string, number | string>;

export type ProgressOptions = {
  label: string;
  /** Absent: an unknown total (no bar, no percentage, no ETA). */
  total?: number;
  /** What is counted, for the lines ("rows", "orders"). */
  unit?: string;
  stream?: ProgressStream;
  /** Milliseconds; injected for tests. */
  now?: () => number;
  /** Terminal: at most one redraw per this many ms. */
  redrawMs?: number;
  /** Plain: no two lines closer than this... */
  lineEveryMs?: number;
  /** ...nor further apart than this, whatever the progress. */
  lineAtMostMs?: number;
};

export type Progress = {
  update(done: number, details?: ProgressDetails): void;
  /** Once the total is learned (or turns out larger than announced). */
  setTotal(total: number): void;
  /** The summary line; `outcome` replaces "done" (e.g. "failed"). */
  finish(outcome?: string, details?: ProgressDetails): void;
};

/** Rates are measured over this much recent history, so the ETA follows a changing pace. */
const RATE_WINDOW_MS = 10_000;
const BAR_WIDTH = 24;
/** With a known total, a plain line waits for this much progress (unless lineAtMostMs passed). */
const LINE_STEP = 0.1;

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
/** A slow rate keeps two significant digits: "0.25 orders/s" says more than "0". */
const rateText = (n: number): string => (n >= 10 ? count(n) : String(Number(n.toPrecision(2))));

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return ms < 10_000 ? `${(Math.max(0, ms) / 1000).toFixed(1)}s` : `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

const detailText = (details: ProgressDetails | undefined): string =>
  details && Object.keys(details).length > 0
    ? ` (${Object.entries(details)
        .map(([key, value]) => `${key} ${typeof value === 'number' ? count(value) : value}`)
        .join(', ')})`
    : '';

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const unit = options.unit ? ` ${options.unit}` : '';
  const redrawMs = options.redrawMs ?? 100;
  const lineEveryMs = options.lineEveryMs ?? 2_000;
  const lineAtMostMs = options.lineAtMostMs ?? 60_000;
  const started = now();
  let total = options.total;
  let done = 0;
  let details: ProgressDetails | undefined;
  const samples: { at: number; done: number }[] = [{ at: started, done: 0 }];
  let lastDraw = -Infinity;
  let lastLine = { at: started, done: 0 };
  let drawn = false;
  let finished = false;
  // A log says when a task began and how big it is, even if it ends before the first line is due.
  if (!tty) {
    const size = total === undefined ? '' : `, ${count(total)}${unit}`;
    stream.write(`${options.label}: started${size}\n`);
  }

  const rate = (at: number): number => {
    const first = samples[0]!;
    const seconds = (at - first.at) / 1000;
    return seconds > 0 ? (done - first.done) / seconds : 0;
  };

  const numbers = (at: number): string => {
    const perSecond = rate(at);
    const parts = [
      total === undefined ? `${count(done)}${unit}` : `${count(done)}/${count(total)}${unit}`,
    ];
    if (total !== undefined && total > 0)
      parts.push(`${Math.min(100, Math.floor((done / total) * 100))}%`);
    parts.push(`${rateText(perSecond)}${unit}/s`);
    if (total !== undefined && perSecond > 0 && done < total)
      parts.push(`ETA ${formatDuration(((total - done) / perSecond) * 1000)}`);
    else parts.push(`elapsed ${formatDuration(at - started)}`);
    return parts.join(' ') + detailText(details);
  };

  const draw = (at: number): void => {
    let bar = '';
    if (total !== undefined && total > 0) {
      const filled = Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH));
      bar = ` [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
    }
    let line = `${options.label}${bar} ${numbers(at)}`;
    // A line wider than the terminal wraps, and \r would then redraw only its last row.
    if (stream.columns && line.length >= stream.columns) line = line.slice(0, stream.columns - 1);
    stream.write(`\r${line}\x1b[K`);
    drawn = true;
    lastDraw = at;
  };

  const plainLineDue = (at: number): boolean => {
    const since = at - lastLine.at;
    if (since < lineEveryMs) return false;
    if (total === undefined || total <= 0 || since >= lineAtMostMs) return true;
    return (done - lastLine.done) / total >= LINE_STEP;
  };

  return {
    update(value, newDetails) {
      if (finished) return;
      const at = now();
      done = value;
      if (newDetails) details = newDetails;
      if (total !== undefined && done > total) total = done;
      samples.push({ at, done });
      // The oldest sample kept is the last one at or before the window's start, so a
      // slow stretch (one update per minute) still has a span to measure.
      while (samples.length > 2 && samples[1]!.at <= at - RATE_WINDOW_MS) samples.shift();
      if (tty) {
        if (at - lastDraw >= redrawMs) draw(at);
      } else if (plainLineDue(at)) {
        stream.write(`${options.label}: ${numbers(at)}\n`);
        lastLine = { at, done };
      }
    },
    setTotal(value) {
      total = Math.max(value, done);
    },
    finish(outcome = 'done', finalDetails) {
      if (finished) return;
      finished = true;
      if (finalDetails) details = finalDetails;
      const at = now();
      const elapsed = at - started;
      const average = elapsed > 0 ? (done / elapsed) * 1000 : 0;
      if (tty && drawn) stream.write('\r\x1b[K');
      stream.write(
        `${options.label}: ${outcome}, ${count(done)}${unit} in ${formatDuration(elapsed)} (${rateText(average)}${unit}/s)${detailText(details)}\n`,
      );
    },
  };
}

/** `--progress-every <seconds>`, shared by the commands: the plain lines' spacing in a log. */
export const PROGRESS_EVERY_OPTION = { 'progress-every': { type: 'string' } } as const;

export function lineEveryMsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new Error(`--progress-every must be a number of seconds (0 or more), got "${value}"`);
  }
  return seconds * 1000;
}
