import { CopyLineDecoder } from '../src/services/exports/export.service';

/** Binary COPY output of one text column, as PostgreSQL writes it. */
function copyOutput(lines: string[], headerExtension = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(19);
  header.write('PGCOPY\n\xff\r\n\0', 0, 'latin1');
  header.writeUInt32BE(0, 11);
  header.writeUInt32BE(headerExtension.length, 15);
  const rows = lines.map((line) => {
    const bytes = Buffer.from(line, 'utf8');
    const row = Buffer.alloc(6 + bytes.length);
    row.writeInt16BE(1, 0);
    row.writeInt32BE(bytes.length, 2);
    bytes.copy(row, 6);
    return row;
  });
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  return Buffer.concat([header, headerExtension, ...rows, trailer]);
}

/** Feeds copies of `output`'s pieces (the decoder rewrites its chunks) and joins what comes out. */
function decode(output: Buffer, cuts: number[]): { text: string; decoder: CopyLineDecoder } {
  const decoder = new CopyLineDecoder();
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, output.length]) {
    const chunk = Buffer.from(output.subarray(from, cut));
    for (const piece of decoder.push(chunk)) parts.push(Buffer.from(piece));
    from = cut;
  }
  return { text: Buffer.concat(parts).toString('utf8'), decoder };
}

const LINES = [
  'a,b,c\r\n',
  '"Nguyễn Văn A","x, ""y""",\r\n',
  '\r\n',
  `${'long '.repeat(40)}\r\n`,
  'last\r\n',
];

test('one chunk: the lines, without the COPY framing, and their count', () => {
  const { text, decoder } = decode(copyOutput(LINES), []);
  expect(text).toBe(LINES.join(''));
  expect(decoder.count).toBe(LINES.length);
  expect(decoder.ended).toBe(true);
});

test('a chunk boundary anywhere (header, row header, line, trailer) changes nothing', () => {
  const output = copyOutput(LINES, Buffer.from('ext'));
  for (let cut = 1; cut < output.length; cut += 1) {
    const { text, decoder } = decode(output, [cut]);
    expect({ cut, text }).toEqual({ cut, text: LINES.join('') });
    expect(decoder.count).toBe(LINES.length);
    expect(decoder.ended).toBe(true);
  }
});

test('chunks of every small size, so that one unit spans several chunks', () => {
  const output = copyOutput(LINES);
  for (let size = 1; size <= 40; size += 1) {
    const cuts: number[] = [];
    for (let at = size; at < output.length; at += size) cuts.push(at);
    expect(decode(output, cuts).text).toBe(LINES.join(''));
  }
});

test('no rows: nothing comes out', () => {
  const { text, decoder } = decode(copyOutput([]), [5]);
  expect(text).toBe('');
  expect(decoder.count).toBe(0);
  expect(decoder.ended).toBe(true);
});

test('output that is not binary COPY, or a row that is not one text field, is refused', () => {
  expect(() => new CopyLineDecoder().push(Buffer.from('id,name\r\n1,a\r\n1,a\r\n'))).toThrow(
    'COPY did not answer in binary format',
  );
  const twoFields = copyOutput(['x']);
  twoFields.writeInt16BE(2, 19);
  expect(() => new CopyLineDecoder().push(twoFields)).toThrow(
    'COPY sent a row that is not one line',
  );
  const nullField = copyOutput(['x']);
  nullField.writeInt32BE(-1, 21);
  expect(() => new CopyLineDecoder().push(nullField)).toThrow(
    'COPY sent a row that is not one line',
  );
});
