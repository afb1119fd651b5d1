/**
 * A BI pull (docs/bi-exports.md): download the rows created or changed since
 * the last run, then remember where this run ended.
 *
 *   CRM_API_KEY=crm_... node -r @swc-node/register examples/bi-export.ts
 *
 * The first run exports everything the key may see; the cursor it ends with
 * goes into STATE_FILE, and the next run asks only for what changed after it.
 * ENTITY (default `orders`) and FORMAT (`ndjson` or `csv`) pick the export;
 * the rows are written to OUT_FILE. Both files default to a `crm-examples`
 * folder in the system's temporary directory, not the current one.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const API_URL = process.env.API_URL ?? 'http://localhost:4000';
const API_KEY = process.env.CRM_API_KEY ?? '';
const ENTITY = process.env.ENTITY ?? 'orders';
const FORMAT = process.env.FORMAT === 'csv' ? 'csv' : 'ndjson';
const STATE_DIR = path.join(tmpdir(), 'crm-examples');
const STATE_FILE = process.env.STATE_FILE ?? path.join(STATE_DIR, `bi-export-${ENTITY}.cursor`);
const OUT_FILE = process.env.OUT_FILE ?? path.join(STATE_DIR, `${ENTITY}.${FORMAT}`);

/** Writes a file, making its folder first. */
function save(file: string, data: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
}

async function main(): Promise<void> {
  if (!API_KEY) throw new Error('set CRM_API_KEY to a key made with scopes: [EXPORT]');
  const cursor = existsSync(STATE_FILE) ? readFileSync(STATE_FILE, 'utf8').trim() : '';
  const url = new URL(`/exports/${ENTITY}`, API_URL);
  url.searchParams.set('format', FORMAT);
  if (cursor) url.searchParams.set('cursor', cursor);
  console.log(`GET ${url.pathname}${url.search}`);

  const response = await fetch(url, { headers: { 'x-api-key': API_KEY } });
  if (!response.ok) {
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    throw new Error(`HTTP ${response.status} ${error.code}: ${error.message}`);
  }
  // Sent before the body, so CSV consumers that cannot read a trailer still get it.
  const nextCursor = response.headers.get('x-next-cursor');
  // A failure mid-stream breaks the connection, and reading the body then throws:
  // a body read to its end is the whole export. Bytes, not text(): text()
  // would drop the CSV's BOM, which Excel needs to read Vietnamese right.
  const bytes = Buffer.from(await response.arrayBuffer());
  const body = bytes.toString('utf8');

  let rows: string[];
  if (FORMAT === 'ndjson') {
    const lines = body.split('\n').filter((line) => line !== '');
    const trailer = JSON.parse(lines.pop() ?? '{}') as {
      nextCursor?: string | null;
      rows?: number;
    };
    if (trailer.rows !== lines.length)
      throw new Error('the export has no trailer line: incomplete');
    rows = lines;
    for (const line of rows) {
      const row = JSON.parse(line) as { id: string; externalId?: string; status?: string };
      console.log(`  ${row.id} ${row.externalId ?? ''} ${row.status ?? ''}`);
    }
  } else {
    // Header line first (after a UTF-8 BOM), CRLF line ends.
    rows = body
      .split('\r\n')
      .slice(1)
      .filter((line) => line !== '');
  }
  save(OUT_FILE, bytes);
  console.log(`rows: ${rows.length}, written to ${OUT_FILE}`);

  if (nextCursor) {
    // Only after the rows are safely stored: a run that fails here repeats its rows next time.
    save(STATE_FILE, nextCursor);
    console.log(`next cursor ${nextCursor} saved to ${STATE_FILE}`);
  } else {
    console.log('nothing exported yet: no cursor to save');
  }
}

main().catch((error: unknown) => {
  console.error(`bi-export failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
