import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import pino from 'pino';
import { seedDemo } from '../src/db/seed-demo';
import { Channel, Order } from '../src/entities';
import { Platform } from '../src/entities/enums';
import {
  STATUS_SECTION_END,
  STATUS_SECTION_START,
  statusReferenceMarkdown,
} from '../src/integrations/status-reference';
import { SETTLE_MS } from '../src/services/exports/export.service';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';

/**
 * The client guides, walked as a reader would: every ```sh block marked
 * `test` (```sh test) of a guide runs, in the guide's order, as one bash
 * script against a real server with the demo data, and must succeed. The
 * guide defines its own variables ($API defaults to localhost:4000; the
 * test sets it to its server). Every ```graphql block must be valid against
 * the schema. A guide that drifts from the API fails here.
 */
const ROOT = path.resolve(__dirname, '..');
const GUIDES = ['webhooks.md', 'partner-apps.md', 'web-and-mobile.md', 'bi-exports.md'] as const;

type Block = { lang: string; info: string; body: string };

/** Fenced code blocks, list-indented ones included, with their indentation removed. */
function codeBlocks(markdown: string): Block[] {
  const fence = /^( *)```(\w*)([^\n]*)\n([\s\S]*?)^\1```[ \t]*$/gm;
  return [...markdown.matchAll(fence)].map(([, indent, lang, info, body]) => ({
    lang: lang!,
    info: info!.trim(),
    body: body!
      .split('\n')
      .map((line) => (line.startsWith(indent!) ? line.slice(indent!.length) : line))
      .join('\n'),
  }));
}

const guide = (name: string) => readFileSync(path.join(ROOT, 'docs', name), 'utf8');

let t: TestApp;
let rootBefore: string[];
let dir: string;
beforeAll(async () => {
  rootBefore = readdirSync(ROOT).sort();
  t = await startTestApp({ platformEnv: TEST_PLATFORM_ENV });
  const seeded = await seedDemo(t.orm, {
    scale: 0.01,
    env: 'test',
    logger: pino({ level: 'silent' }),
  });
  expect(seeded.seeded).toBe(true);
  // The reader's temporary folder (mktemp, the examples' state): the repository must gain nothing.
  dir = mkdtempSync(path.join(tmpdir(), 'crm-guides-'));
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

type Ran = { code: number | null; stdout: string; stderr: string };

/** The guide's ```sh test blocks as one `bash -euo pipefail` script. */
function walk(name: string): Promise<Ran> {
  const script = codeBlocks(guide(name))
    .filter((block) => block.lang === 'sh' && block.info === 'test')
    .map((block) => block.body)
    .join('\n');
  expect(script).not.toBe('');
  return new Promise((resolve) => {
    // stdin not a socket: bash would take itself for a remote shell and read bashrc.
    const child = spawn('bash', ['--norc', '-euo', 'pipefail', '-c', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TMPDIR: dir,
        API: t.httpUrl,
        // What the reader exported from the server's .env (webhooks.md, "Send a test push").
        ...TEST_PLATFORM_ENV,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectSuccess(ran: Ran): void {
  expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: '' });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.each(GUIDES)('%s: every GraphQL document is valid against the schema', (name) => {
  const schema = buildSchema(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));
  for (const block of codeBlocks(guide(name)).filter((b) => b.lang === 'graphql')) {
    expect({ block: block.body, errors: validate(schema, parse(block.body)).map(String) }).toEqual({
      block: block.body,
      errors: [],
    });
  }
});

test('webhooks.md: sign in, find a branch, connect a shop, send a test push, see it arrive', async () => {
  const ran = await walk('webhooks.md');
  expectSuccess(ran);
  const channel = await t.orm.em
    .fork()
    .findOneOrFail(Channel, { platform: Platform.LAZADA, externalShopId: '200012345' });
  expect(channel.branch).toBeDefined();
  expect(channel.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());
  expect(ran.stdout).toContain('lazada: POST /webhooks/lazada for 200012345 -> 200');
  // The verification handshake answers the bare challenge.
  expect(ran.stdout).toMatch(/^42$/m);
  // Applied just after the answer.
  const order = () => t.orm.em.fork().findOne(Order, { channel: channel.id, externalId: '880001' });
  for (let i = 0; i < 200 && !(await order()); i += 1) await sleep(20);
  expect(await order()).not.toBeNull();
}, 120_000);

test('partner-apps.md: a key for a shop, a cursor to resume from, the pushes since arrive in order', async () => {
  const ran = await walk('partner-apps.md');
  expectSuccess(ran);
  expect(ran.stdout).toContain('resuming after cursor');
  expect(ran.stdout).toMatch(/event 1: LAZADA order 880001 packed -> PACKED/);
  expect(ran.stdout).toMatch(/event 2: LAZADA order 880001 ready_to_ship -> READY_TO_SHIP/);
}, 120_000);

test('web-and-mobile.md: sign in, query tickets, and the example sees its own change live', async () => {
  const ran = await walk('web-and-mobile.md');
  expectSuccess(ran);
  expect(ran.stdout).toContain('received ticketChanged: NOTE_ADDED');
}, 120_000);

test('bi-exports.md: a key with EXPORT, a first pull, and a pull from its cursor', async () => {
  // Rows younger than SETTLE_MS wait for the next pull (the guide says so).
  await sleep(SETTLE_MS + 200);
  const ran = await walk('bi-exports.md');
  expectSuccess(ran);
  expect(ran.stdout).toMatch(/"nextCursor":"[^"]+","rows":\d+/);
}, 120_000);

test('the status table of webhooks.md lists exactly what the integrations accept', () => {
  const text = guide('webhooks.md');
  const section = text.slice(
    text.indexOf(STATUS_SECTION_START) + STATUS_SECTION_START.length,
    text.indexOf(STATUS_SECTION_END),
  );
  // Cells, not spacing: prettier may pad the table.
  const rows = (markdown: string) =>
    markdown
      .split('\n')
      .filter((line) => line.startsWith('|') && !/^\|[\s-|]+\|$/.test(line))
      .map((line) =>
        line
          .slice(1, -1)
          .split('|')
          .map((cell) => cell.trim()),
      );
  expect(rows(section)).toEqual(rows(statusReferenceMarkdown()));
});

test('walking the guides leaves no file in the repository', () => {
  expect(readdirSync(ROOT).sort()).toEqual(rootBefore);
});
