import type { Connection, Submittable } from 'pg';
import { CopyTextUnescaper, countRows, type RowFrame } from './copy-text';

/** What pg hands a query for each CopyData message: a view of the bytes it read. */
type CopyDataMessage = { chunk: Buffer };

/** The size of one buffer of output. */
const SLAB_BYTES = 64 * 1024;
/** Buffers an export fills before it stops reading from the database. */
const SLABS = 4;

type Slab = {
  bytes: Buffer;
  /** Written up to here. */
  used: number;
  /** Handed out up to here. */
  lent: number;
  /** Chunks handed out and not released yet. */
  out: number;
};

/**
 * `COPY (...) TO STDOUT` in text format (one column, or several framed into a
 * line), read as pg parses its CopyData messages and copied, escapes undone
 * (copy-text.ts), into a few buffers of its own, reused once the consumer has
 * written what it was given (`release`). The views pg hands over point into
 * the socket's read or into the protocol parser's buffer, which it may reuse
 * for the next read: they are read only while pg delivers them. So each byte
 * of an export is in one short-lived buffer only, the socket's: dropped
 * buffers are what a young garbage collection frees, and fewer of them let the
 * JavaScript heap's own collections come first (docs/benchmarks.md). The
 * socket is paused while every buffer is full, which holds the COPY back to
 * the consumer's pace.
 */
export class CopyTextOut implements Submittable, AsyncIterable<Buffer> {
  /** Rows that came in whole. */
  rows = 0;
  private connection: Connection | null = null;
  private readonly text: CopyTextUnescaper;
  private readonly slabs: Slab[] = [];
  private readonly free: Slab[] = [];
  private current: Slab;
  /** Full chunks the consumer has not taken yet. */
  private readonly ready: Buffer[] = [];
  private paused = false;
  private finished = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  /** `frame`: a row of several columns, framed as the unescaper does (copy-text.ts). */
  constructor(
    private readonly sql: string,
    frame: RowFrame | null = null,
  ) {
    this.text = new CopyTextUnescaper(frame);
    this.current = this.newSlab();
  }

  submit(connection: Connection): void {
    this.connection = connection;
    connection.query(this.sql);
  }

  handleCopyData(message: CopyDataMessage): void {
    const source = message.chunk;
    this.rows += countRows(source);
    let read = 0;
    while (read < source.length || this.text.holding) {
      let slab = this.current;
      if (slab.used === slab.bytes.length) slab = this.rotate();
      read = this.text.copy(source, read, slab.bytes, slab.used);
      slab.used = this.text.written;
    }
    this.wakeUp();
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.finished = true;
    this.wakeUp();
  }

  handleError(error: Error): void {
    this.failure = error;
    this.wakeUp();
  }

  /** The consumer is done with `chunk` (one this iterator gave it): its bytes may be rewritten. */
  release(chunk: Buffer): void {
    const slab = this.slabs.find((candidate) => candidate.bytes.buffer === chunk.buffer);
    if (!slab) return;
    slab.out -= 1;
    if (slab.out > 0) return;
    if (slab === this.current) {
      if (slab.lent === slab.used) slab.lent = slab.used = 0;
      return;
    }
    slab.lent = slab.used = 0;
    this.free.push(slab);
    if (this.paused) {
      this.paused = false;
      this.connection?.stream.resume();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const chunk = this.ready.shift() ?? this.lend(this.current);
      if (chunk) {
        yield chunk;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Hands out what `slab` holds that is not handed out yet, if anything. */
  private lend(slab: Slab): Buffer | null {
    if (slab.lent === slab.used) return null;
    const chunk = slab.bytes.subarray(slab.lent, slab.used);
    slab.lent = slab.used;
    slab.out += 1;
    return chunk;
  }

  /** The current buffer is full: queues what it holds and takes a free one (a new one if none is). */
  private rotate(): Slab {
    // A full buffer whose chunks were all released was rewound by `release`: this one is still lent.
    const rest = this.lend(this.current);
    if (rest) this.ready.push(rest);
    this.current = this.free.pop() ?? this.newSlab();
    // The rest of the socket's read still comes in, into new buffers if need be.
    if (this.free.length === 0 && this.slabs.length >= SLABS && !this.paused) {
      this.paused = true;
      this.connection?.stream.pause();
    }
    return this.current;
  }

  private newSlab(): Slab {
    const slab: Slab = { bytes: Buffer.allocUnsafeSlow(SLAB_BYTES), used: 0, lent: 0, out: 0 };
    this.slabs.push(slab);
    return slab;
  }
}
