import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
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

/** Feeds copies of `output`'s pieces (the unescaper rewrites its chunks) and joins what comes out. */
function unescape(output: Buffer, cuts: number[]): { text: string; rows: number } {
  const text = new CopyTextUnescaper();
  const parts: Buffer[] = [];
  let rows = 0;
  let from = 0;
  for (const cut of [...cuts, output.length]) {
    const chunk = Buffer.from(output.subarray(from, cut));
    rows += countRows(chunk);
    parts.push(Buffer.from(text.push(chunk)));
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
