import { createProgress, formatDuration, type ProgressOptions } from '../src/cli/progress';

/** A stream that records what is written, and a clock the test moves by hand. */
function harness(tty: boolean, options: Partial<ProgressOptions> = {}) {
  const writes: string[] = [];
  let clock = 1_000;
  const progress = createProgress({
    label: 'customers',
    unit: 'rows',
    stream: { write: (text: string) => writes.push(text), isTTY: tty, columns: 200 },
    now: () => clock,
    ...options,
  });
  return {
    progress,
    writes,
    advance: (ms: number) => (clock += ms),
    /** The plain output after the start line, one entry per line. */
    lines: () => writes.join('').split('\n').filter(Boolean).slice(1),
  };
}

describe('on a terminal', () => {
  test('redraws one line with a bar, done/total, percentage, rate and ETA', () => {
    const h = harness(true, { total: 1_000 });
    h.advance(1_000);
    h.progress.update(250);
    expect(h.writes).toEqual([
      '\rcustomers [######------------------] 250/1,000 rows 25% 250 rows/s ETA 3.0s\x1b[K',
    ]);
  });

  test('redraws at most once per 100 ms, and ends the line with a summary', () => {
    const h = harness(true, { total: 1_000 });
    for (let done = 10; done <= 1_000; done += 10) {
      h.advance(10);
      h.progress.update(done);
    }
    // 100 updates over 1 s: one redraw per 100 ms.
    expect(h.writes).toHaveLength(10);
    expect(h.writes.every((w) => w.startsWith('\r') && !w.includes('\n'))).toBe(true);
    h.progress.finish();
    expect(h.writes.slice(-2)).toEqual([
      '\r\x1b[K',
      'customers: done, 1,000 rows in 1.0s (1,000 rows/s)\n',
    ]);
  });

  test('an unknown total shows no bar, no percentage and no ETA, but the count, rate and elapsed time', () => {
    const h = harness(true);
    h.advance(2_000);
    h.progress.update(500, { created: 400, failed: 2 });
    expect(h.writes).toEqual([
      '\rcustomers 500 rows 250 rows/s elapsed 2.0s (created 400, failed 2)\x1b[K',
    ]);
  });

  test('a line wider than the terminal is cut, so it never wraps', () => {
    const writes: string[] = [];
    const progress = createProgress({
      label: 'orders',
      total: 10,
      stream: { write: (text: string) => writes.push(text), isTTY: true, columns: 30 },
      now: () => 0,
    });
    progress.update(1);
    expect(writes[0]).toBe(`\r${'orders [##----------------------'.slice(0, 29)}\x1b[K`);
  });
});

describe('not on a terminal', () => {
  test('starts with a line naming the task and its size', () => {
    expect(harness(false, { total: 1_200 }).writes).toEqual(['customers: started, 1,200 rows\n']);
    expect(harness(false).writes).toEqual(['customers: started\n']);
  });

  test('prints plain lines no closer than 2 s, and with a known total only every 10%', () => {
    const h = harness(false, { total: 10_000 });
    // 100 rows per 100 ms: 1% a tenth of a second.
    for (let done = 100; done <= 10_000; done += 100) {
      h.advance(100);
      h.progress.update(done);
    }
    h.progress.finish();
    const lines = h.lines();
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('customers: 2,000/10,000 rows 20% 1,000 rows/s ETA 8.0s');
    expect(lines[1]).toBe('customers: 4,000/10,000 rows 40% 1,000 rows/s ETA 6.0s');
    expect(lines[4]).toBe('customers: 10,000/10,000 rows 100% 1,000 rows/s elapsed 10s');
    expect(lines[5]).toBe('customers: done, 10,000 rows in 10s (1,000 rows/s)');
    expect(h.writes.join('')).not.toContain('\r');
    expect(h.writes.join('')).not.toContain('\x1b');
  });

  test('a slow job still prints every 10% once 2 s have passed', () => {
    const h = harness(false, { total: 100 });
    for (let done = 1; done <= 30; done += 1) {
      h.advance(1_000);
      h.progress.update(done);
    }
    expect(h.lines().map((line) => line.split(' ')[1])).toEqual(['10/100', '20/100', '30/100']);
  });

  test('with an unknown total, a line every 2 s', () => {
    const h = harness(false);
    for (let done = 1; done <= 10; done += 1) {
      h.advance(500);
      h.progress.update(done * 7, { pages: done });
    }
    expect(h.lines()).toEqual([
      'customers: 28 rows 14 rows/s elapsed 2.0s (pages 4)',
      'customers: 56 rows 14 rows/s elapsed 4.0s (pages 8)',
    ]);
  });

  test('a job that stalls between 10% steps still reports once a minute', () => {
    const h = harness(false, { total: 1_000 });
    h.advance(61_000);
    h.progress.update(1);
    expect(h.lines()).toEqual(['customers: 1/1,000 rows 0% 0.016 rows/s ETA 16h55m']);
  });

  test('lineEveryMs: 0 prints at every 10% however fast', () => {
    const h = harness(false, { total: 50, lineEveryMs: 0 });
    for (let done = 5; done <= 50; done += 5) h.progress.update(done);
    expect(h.lines()).toHaveLength(10);
  });
});

test('the rate follows the recent pace (last 10 s), the summary the average', () => {
  const h = harness(false, { total: 100_000, lineEveryMs: 0, lineAtMostMs: 0 });
  // 20 s at 1,000/s, then 10 s at 100/s.
  for (let s = 1; s <= 20; s += 1) {
    h.advance(1_000);
    h.progress.update(s * 1_000);
  }
  for (let s = 1; s <= 10; s += 1) {
    h.advance(1_000);
    h.progress.update(20_000 + s * 100);
  }
  expect(h.lines().at(-1)).toBe('customers: 21,000/100,000 rows 21% 100 rows/s ETA 13m10s');
  h.progress.finish('failed', { rejected: 3 });
  expect(h.lines().at(-1)).toBe('customers: failed, 21,000 rows in 30s (700 rows/s) (rejected 3)');
});

test('a total passed is raised to the count, and setTotal fixes it later', () => {
  const h = harness(false, { total: 10, lineEveryMs: 0 });
  h.progress.update(12);
  expect(h.lines()).toEqual(['customers: 12/12 rows 100% 0 rows/s elapsed 0.0s']);
  h.progress.setTotal(120);
  h.progress.update(24);
  expect(h.lines().at(-1)).toBe('customers: 24/120 rows 20% 0 rows/s elapsed 0.0s');
});

test('nothing is written after finish', () => {
  const h = harness(false, { lineEveryMs: 0 });
  h.progress.finish();
  h.progress.update(5);
  h.progress.finish();
  expect(h.lines()).toEqual(['customers: done, 0 rows in 0.0s (0 rows/s)']);
});

test('durations read naturally', () => {
  expect(formatDuration(1_234)).toBe('1.2s');
  expect(formatDuration(42_000)).toBe('42s');
  expect(formatDuration(125_000)).toBe('2m05s');
  expect(formatDuration(3 * 3_600_000 + 7 * 60_000)).toBe('3h07m');
});
