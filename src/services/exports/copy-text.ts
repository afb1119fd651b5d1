/*
 * PostgreSQL's COPY text format, for a COPY of one text column, undone.
 * COPY writes every byte of a value as it is except a backslash (written
 * `\\`), the delimiter (`\` before it) and six control characters (`\b`
 * `\f` `\n` `\r` `\t` `\v`); each row ends with a bare LF, which therefore
 * appears nowhere else. See "COPY", "Text Format", in PostgreSQL's manual.
 */

const BACKSLASH = 0x5c;
const LF = 0x0a;

/** The byte a backslash sequence stands for, by the letter after the backslash. */
const CONTROL: Readonly<Record<number, number>> = {
  0x62: 0x08, // b
  0x66: 0x0c, // f
  0x6e: 0x0a, // n
  0x72: 0x0d, // r
  0x74: 0x09, // t
  0x76: 0x0b, // v
};

export class CopyTextUnescaper {
  /** The previous chunk ended inside a backslash sequence. */
  private pending = false;
  /** Where the last `copy` stopped writing in its target. */
  written = 0;

  /**
   * Copies `source` from `from` into `target` from `at` with COPY's escapes
   * undone, as far as `target` has room; returns where it stopped reading
   * `source` (its length once all of it is written), and `written` says where
   * it stopped writing. A sequence cut by the end of a chunk is finished with
   * the first byte of the next one. The output is never longer than the input,
   * so `target` may be `source` itself with `at <= from`.
   */
  copy(source: Buffer, from: number, target: Buffer, at: number): number {
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
}

const unescaped = (letter: number): number => CONTROL[letter] ?? letter;

/** The rows that end in `chunk` of COPY's text output (before it is unescaped). */
export function countRows(chunk: Buffer): number {
  let rows = 0;
  for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) rows += 1;
  return rows;
}
