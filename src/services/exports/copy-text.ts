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

  /**
   * `chunk`'s bytes with COPY's escapes undone, rewritten in place (the result
   * is never longer) and returned as a view of it. A sequence cut by the end of
   * a chunk is finished with the first byte of the next one.
   */
  push(chunk: Buffer): Buffer {
    let read = 0;
    let write = 0;
    if (this.pending && chunk.length > 0) {
      chunk[0] = unescaped(chunk[0]!);
      this.pending = false;
      read = write = 1;
    }
    for (;;) {
      const slash = chunk.indexOf(BACKSLASH, read);
      const end = slash === -1 ? chunk.length : slash;
      if (write !== read) chunk.copyWithin(write, read, end);
      write += end - read;
      if (slash === -1) break;
      if (slash + 1 === chunk.length) {
        this.pending = true;
        break;
      }
      chunk[write++] = unescaped(chunk[slash + 1]!);
      read = slash + 2;
    }
    return chunk.subarray(0, write);
  }
}

const unescaped = (letter: number): number => CONTROL[letter] ?? letter;

/** The rows that end in `chunk` of COPY's text output (before it is unescaped). */
export function countRows(chunk: Buffer): number {
  let rows = 0;
  for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) rows += 1;
  return rows;
}
