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

  /** A piece of the frame is not all written yet: the next `copy` writes it first. */
  get holding(): boolean {
    return this.literal !== null;
  }

  /**
   * Copies `source` from `from` into `target` from `at` with COPY's escapes
   * undone (and each row framed), as far as `target` has room; returns where
   * it stopped reading `source` (its length once all of it is written), and
   * `written` says where it stopped writing. A sequence cut by the end of a
   * chunk is finished with the first byte of the next one.
   */
  copy(source: Buffer, from: number, target: Buffer, at: number): number {
    return this.frame
      ? this.copyFramed(this.frame, source, from, target, at)
      : this.copyPlain(source, from, target, at);
  }

  /** One column: long runs without a backslash, copied as they are. */
  private copyPlain(source: Buffer, from: number, target: Buffer, at: number): number {
    let read = from;
    let write = at;
    if (this.pending && read < source.length && write < target.length) {
      target[write++] = unescaped(source[read++]!);
      this.pending = false;
    }
    while (read < source.length && write < target.length) {
      const slash = source.indexOf(BACKSLASH, read);
      const end = slash === -1 ? source.length : slash;
      const length = Math.min(end - read, target.length - write);
      if (length > 0) source.copy(target, write, read, read + length);
      read += length;
      write += length;
      if (read !== slash || write === target.length) continue;
      if (slash + 1 === source.length) {
        this.pending = true;
        read = source.length;
        break;
      }
      target[write++] = unescaped(source[slash + 1]!);
      read = slash + 2;
    }
    this.written = write;
    return read;
  }

  /**
   * Many short values between the frame's pieces: byte by byte, which costs
   * less than a call into the runtime for each value and each piece.
   */
  private copyFramed(
    frame: RowFrame,
    source: Buffer,
    from: number,
    target: Buffer,
    at: number,
  ): number {
    const length = source.length;
    const room = target.length;
    // The state in locals: this loop runs once a byte.
    let literal = this.literal;
    let literalAt = this.literalAt;
    let pending = this.pending;
    let inRow = this.inRow;
    let column = this.column;
    let read = from;
    let write = at;
    while (write < room) {
      if (literal) {
        while (literalAt < literal.length && write < room) target[write++] = literal[literalAt++]!;
        if (literalAt < literal.length) break;
        literal = null;
        continue;
      }
      if (read === length) break;
      if (!inRow) {
        inRow = true;
        column = 0;
        literal = frame.open[0]!;
        literalAt = 0;
        continue;
      }
      if (!pending) {
        // A value's plain bytes, the most of a row, in a loop of their own.
        let byte = source[read]!;
        while (byte !== BACKSLASH && byte !== TAB && byte !== LF) {
          target[write++] = byte;
          if (++read === length || write === room) break;
          byte = source[read]!;
        }
        if (read === length || write === room) continue;
      }
      const byte = source[read++]!;
      if (pending) {
        target[write++] = unescaped(byte);
        pending = false;
      } else if (byte === BACKSLASH) {
        if (read === length) pending = true;
        else target[write++] = unescaped(source[read++]!);
      } else if (byte === TAB) {
        column += 1;
        literal = frame.open[column]!;
        literalAt = 0;
      } else if (byte === LF) {
        inRow = false;
        literal = frame.close;
        literalAt = 0;
      } else {
        target[write++] = byte;
      }
    }
    this.literal = literal;
    this.literalAt = literalAt;
    this.pending = pending;
    this.inRow = inRow;
    this.column = column;
    this.written = write;
    return read;
  }
}

const unescaped = (letter: number): number => CONTROL[letter] ?? letter;

/** The rows that end in `chunk` of COPY's text output (before it is unescaped). */
export function countRows(chunk: Buffer): number {
  let rows = 0;
  for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) rows += 1;
  return rows;
}
