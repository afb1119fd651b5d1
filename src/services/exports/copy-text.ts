/*
 * PostgreSQL's COPY text format, for a COPY of one text column, undone.
 * COPY writes every byte of a value as it is except a backslash (written
 * `\\`), the delimiter (`\` before it) and six control characters (`\b`
 * `\f` `\n` `\r` `\t` `\v`); each row ends with a bare LF, which therefore
 * appears nowhere else. See "COPY", "Text Format", in PostgreSQL's manual.
 */

const BACKSLASH = 0x5c;
const LF = 0x0a;
const TAB = 0x09;

/** The byte a backslash sequence stands for, by the letter after the backslash. */
const CONTROL: Readonly<Record<number, number>> = {
  0x62: 0x08, // b
  0x66: 0x0c, // f
  0x6e: 0x0a, // n
  0x72: 0x0d, // r
  0x74: 0x09, // t
  0x76: 0x0b, // v
};

/**
 * What a row of several columns becomes: `open[i]` before column i's text and
 * `close` in place of the row's LF. A tab, like an LF, is never in a value
 * (it is written `\t`), so each tab of COPY's output is between two columns.
 */
export type RowFrame = { open: readonly Buffer[]; close: Buffer };

export class CopyTextUnescaper {
  /** The previous chunk ended inside a backslash sequence. */
  private pending = false;
  /** Bytes of the frame still to write (from `literalAt`), when the target was full. */
  private literal: Buffer | null = null;
  private literalAt = 0;
  /** The column being written, and whether its row's `open[0]` is written. */
  private column = 0;
  private inRow = false;
  /** Where the last `copy` stopped writing in its target. */
  written = 0;

  constructor(private readonly frame: RowFrame | null = null) {}

  /**
   * Copies `source` from `from` into `target` from `at` with COPY's escapes
   * undone (and each row framed), as far as `target` has room; returns where
   * it stopped reading `source` (its length once all of it is written), and
   * `written` says where it stopped writing. A sequence cut by the end of a
   * chunk is finished with the first byte of the next one. Unframed, the
   * output is never longer than the input, so `target` may be `source` itself
   * with `at <= from`.
   */
  copy(source: Buffer, from: number, target: Buffer, at: number): number {
    const frame = this.frame;
    const length = source.length;
    let read = from;
    let write = at;
    // The next backslash, tab and LF from `read` on (`length` if none).
    let slash = -1;
    let tab = frame ? -1 : length;
    let lf = frame ? -1 : length;
    for (;;) {
      if (this.literal) {
        const literal = this.literal;
        const count = Math.min(literal.length - this.literalAt, target.length - write);
        literal.copy(target, write, this.literalAt, this.literalAt + count);
        write += count;
        this.literalAt += count;
        if (this.literalAt < literal.length) break;
        this.literal = null;
      }
      if (read === length || write === target.length) break;
      if (frame && !this.inRow) {
        this.inRow = true;
        this.column = 0;
        this.write(frame.open[0]!);
        continue;
      }
      if (this.pending) {
        target[write++] = unescaped(source[read++]!);
        this.pending = false;
        continue;
      }
      if (slash < read) slash = indexOf(source, BACKSLASH, read);
      if (tab < read) tab = indexOf(source, TAB, read);
      if (lf < read) lf = indexOf(source, LF, read);
      const end = Math.min(slash, tab, lf);
      const count = Math.min(end - read, target.length - write);
      if (count > 0) source.copy(target, write, read, read + count);
      read += count;
      write += count;
      if (read !== end || write === target.length || end === length) continue;
      read += 1;
      if (end === tab) {
        this.column += 1;
        this.write(frame!.open[this.column]!);
      } else if (end === lf) {
        this.inRow = false;
        this.write(frame!.close);
      } else if (read === length) {
        this.pending = true;
      } else {
        target[write++] = unescaped(source[read++]!);
      }
    }
    this.written = write;
    return read;
  }

  private write(literal: Buffer): void {
    this.literal = literal;
    this.literalAt = 0;
  }
}

const indexOf = (source: Buffer, byte: number, from: number): number => {
  const at = source.indexOf(byte, from);
  return at === -1 ? source.length : at;
};

const unescaped = (letter: number): number => CONTROL[letter] ?? letter;

/** The rows that end in `chunk` of COPY's text output (before it is unescaped). */
export function countRows(chunk: Buffer): number {
  let rows = 0;
  for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) rows += 1;
  return rows;
}
