import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CopyTextOut } from '../src/services/exports/copy-out';
import { CopyTextUnescaper, countRows } from '../src/services/exports/copy-text';

/** COPY's text output undone, checked against what PostgreSQL itself writes. */
let client: Client;

beforeAll(async () => {
  client = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
  await client.connect();
});

afterAll(() => client.end());

/** Every byte COPY escapes, in a value and at its ends, and text it leaves alone. */
const VALUES = [
  'a,b,c\r',
  '"Nguyễn Văn A","x, ""y""",',
  '',
  '\\',
  '\\\\N',
  '\\N',
  'tab\there, nl\nthere, cr\rthere, crlf\r\n',
  '\b\f\v\t\r\n',
  '\u0001\u001f\u007f',
  '{"name":"Bé \\"Hoa\\"","path":"C:\\\\x"}',
  `${'long '.repeat(40)}\\`,
  'last',
];

/** PostgreSQL's COPY text output of `values` as one column, in one buffer. */
async function copyOutput(values: string[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const literals = values.map((value) => client.escapeLiteral(value)).join(', ');
  const sql = `copy (select v from unnest(array[${literals}]::text[]) with ordinality u(v, n) order by n) to stdout`;
  for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Feeds `output`'s pieces through the unescaper and joins what comes out. */
function unescape(output: Buffer, cuts: number[]): { text: string; rows: number } {
  const text = new CopyTextUnescaper();
  const parts: Buffer[] = [];
  let rows = 0;
  let from = 0;
  for (const cut of [...cuts, output.length]) {
    const chunk = Buffer.from(output.subarray(from, cut));
    rows += countRows(chunk);
    const target = Buffer.alloc(chunk.length);
    expect(text.copy(chunk, 0, target, 0)).toBe(chunk.length);
    parts.push(target.subarray(0, text.written));
    from = cut;
  }
  return { text: Buffer.concat(parts).toString('utf8'), rows };
}

const EXPECTED = VALUES.map((value) => `${value}\n`).join('');

test('PostgreSQL escapes what the values hold (so the cases below are real)', async () => {
  const output = (await copyOutput(VALUES)).toString('utf8');
  expect(output).not.toBe(EXPECTED);
  expect(output).toContain('\\\\\\\\N\n');
  expect(output).toContain('\\b\\f\\v\\t\\r\\n\n');
});

test('one chunk: the values as stored, one a line, and their count', async () => {
  expect(unescape(await copyOutput(VALUES), [])).toEqual({ text: EXPECTED, rows: VALUES.length });
});

test('a chunk boundary anywhere, inside an escape or a UTF-8 character too, changes nothing', async () => {
  const output = await copyOutput(VALUES);
  for (let cut = 0; cut <= output.length; cut += 1) {
    expect({ cut, ...unescape(output, [cut]) }).toEqual({
      cut,
      text: EXPECTED,
      rows: VALUES.length,
    });
  }
});

test('chunks of every small size, and empty chunks between them', async () => {
  const output = await copyOutput(VALUES);
  for (let size = 1; size <= 12; size += 1) {
    const cuts: number[] = [];
    for (let at = size; at < output.length; at += size) cuts.push(at, at);
    expect(unescape(output, cuts)).toEqual({ text: EXPECTED, rows: VALUES.length });
  }
});

test('no rows: nothing comes out', () => {
  expect(unescape(Buffer.alloc(0), [])).toEqual({ text: '', rows: 0 });
});

describe('rows of several columns, framed', () => {
  const FRAME = {
    open: [Buffer.from('{"a":'), Buffer.from(',"b":'), Buffer.from(',"c":')],
    close: Buffer.from('}\n'),
  };
  /** Each value as column a, the next one as b, and the one after as c, one row per value. */
  const rows = VALUES.map((value, index) => [
    value,
    VALUES[(index + 1) % VALUES.length]!,
    VALUES[(index + 2) % VALUES.length]!,
  ]);
  const FRAMED = rows.map(([a, b, c]) => `{"a":${a},"b":${b},"c":${c}}\n`).join('');

  async function framedOutput(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const literals = VALUES.map((value) => client.escapeLiteral(value)).join(', ');
    const sql = `copy (select a[n], a[n % k + 1], a[(n + 1) % k + 1]
      from (select array[${literals}]::text[] a, ${VALUES.length} k) x, generate_series(1, k) n order by n) to stdout`;
    for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>)
      chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** `output` cut at `cuts`, each piece written into targets of at most `room` bytes. */
  function framed(output: Buffer, cuts: number[], room: number): { text: string; rows: number } {
    const text = new CopyTextUnescaper(FRAME);
    const parts: Buffer[] = [];
    let count = 0;
    let from = 0;
    for (const cut of [...cuts, output.length]) {
      const chunk = output.subarray(from, cut);
      count += countRows(chunk);
      let read = 0;
      do {
        const target = Buffer.alloc(room);
        read = text.copy(chunk, read, target, 0);
        parts.push(target.subarray(0, text.written));
      } while (read < chunk.length || text.written === room);
      from = cut;
    }
    return { text: Buffer.concat(parts).toString('utf8'), rows: count };
  }

  test('each row as the frame has it, whatever the cuts and the room in the target', async () => {
    const output = await framedOutput();
    for (let cut = 0; cut <= output.length; cut += 1) {
      for (const room of [1, 2, 7, 64, 4096]) {
        expect({ cut, room, ...framed(output, [cut], room) }).toEqual({
          cut,
          room,
          text: FRAMED,
          rows: VALUES.length,
        });
      }
    }
  });
});

describe('CopyTextOut', () => {
  /** `copies` times VALUES, as one column in order. */
  const repeatedSql = (copies: number, tail = '') => {
    const literals = VALUES.map((value) => client.escapeLiteral(value)).join(', ');
    return `copy (select v${tail} from generate_series(1, ${copies}) g(i),
      unnest(array[${literals}]::text[]) with ordinality u(v, n) order by i, n) to stdout`;
  };

  /** Reads `copy` to its end, releasing each chunk after `hold` ms; the text and the buffers seen. */
  async function drain(copy: CopyTextOut, hold: number) {
    const parts: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of copy) {
      parts.push(Buffer.from(chunk));
      buffers.add(chunk.buffer);
      if (hold > 0) setTimeout(() => copy.release(chunk), hold);
      else copy.release(chunk);
    }
    return { text: Buffer.concat(parts).toString('utf8'), buffers: buffers.size };
  }

  test('the values as stored, across buffers, and their count', async () => {
    const copy = client.query(new CopyTextOut(repeatedSql(5_000)));
    const { text } = await drain(copy, 0);
    expect(text).toBe(EXPECTED.repeat(5_000));
    expect(copy.rows).toBe(VALUES.length * 5_000);
  });

  test('a consumer that holds its chunks a while holds the reading back, not a buffer per chunk', async () => {
    const copy = client.query(new CopyTextOut(repeatedSql(5_000)));
    const { text, buffers } = await drain(copy, 5);
    expect(text).toBe(EXPECTED.repeat(5_000));
    expect(buffers).toBeLessThanOrEqual(8);
  });

  test('a frame cut by the end of a buffer is written whole, at the end of the rows too', async () => {
    // One row of 65,537 bytes framed: the 64 KB buffer is full before its last byte.
    const frame = { open: [Buffer.from('{"a":')], close: Buffer.from('}\n') };
    const copy = client.query(new CopyTextOut(`copy (select repeat('x', 65530)) to stdout`, frame));
    const { text } = await drain(copy, 0);
    expect(text).toBe(`{"a":${'x'.repeat(65530)}}\n`);
  });

  test("PostgreSQL's error ends the iteration with it, and the connection stays usable", async () => {
    const copy = client.query(
      new CopyTextOut(repeatedSql(5_000, ` || case when i = 4000 then (1 / 0)::text else '' end`)),
    );
    await expect(drain(copy, 0)).rejects.toThrow('division by zero');
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});
