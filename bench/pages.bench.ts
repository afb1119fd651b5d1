import 'reflect-metadata';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Client, Pool } from 'pg';
import { createTokenService } from '../src/auth/tokens';
import {
  PAGE_NAMES,
  PAGE_QUERIES,
  PAGE_SIZE,
  type PageName,
  type PageVariables,
} from './baseline/queries';
import type { LoadFigures, LoadRound } from './pages.load';
import { openSeededDatabase, percentile, runBench, startDistServer, stopChild } from './support';

/**
 * bench:pages: the list pages of web and mobile clients, side by side on the
 * compiled API (`npm run build`, `node dist/index.js`, NODE_ENV=production,
 * jobs off) and on the hand-written pg + node:http baseline of
 * bench/baseline/, both on the demo data at --scale in a scratch database of
 * their own. Each page is asked as the demo admin and as a staff member;
 * both servers must answer the same bytes before anything is measured. Load
 * comes from a separate autocannon process, in rounds alternating between
 * the two servers; the table shows the median of the rounds.
 */
const SHARED_DATABASES = ['postgres', 'test', 'root', 'template0', 'template1'];

type Viewer = { label: string; email: string };

const ADMIN: Viewer = { label: 'admin', email: 'admin@demo.local' };
const TELESALES: Viewer = { label: 'telesales staff', email: 'telesales@demo.local' };
// Telesales has no conversations in scope; the inbox's staff are customer service.
const CUSTOMER_SERVICE: Viewer = {
  label: 'customer-service staff',
  email: 'customer-service@demo.local',
};

const STAFF_OF: Record<PageName, Viewer> = {
  tickets: TELESALES,
  orders: TELESALES,
  customers: TELESALES,
  conversations: CUSTOMER_SERVICE,
  ticket: TELESALES,
};

const IT: Viewer = { label: 'IT (contacts masked)', email: 'it@demo.local' };
const TELESALES_LEADER: Viewer = {
  label: 'telesales leader',
  email: 'telesales-leader@demo.local',
};
const CS_LEADER: Viewer = {
  label: 'customer-service leader',
  email: 'customer-service-leader@demo.local',
};

/**
 * Viewers whose answers are compared but not measured: masked contacts,
 * empty scopes and team scopes must come out the same too. IT and the
 * customer-service leader may not read the telesales ticket of the detail.
 */
const ALSO_COMPARED = (page: PageName): Viewer[] =>
  page === 'ticket' ? [TELESALES_LEADER] : [IT, TELESALES_LEADER, CS_LEADER];

type Target = { name: 'API' | 'baseline'; url: string };

type Figures = { requestsPerSecond: number; answered: number; p50: number; p99: number };

/** Fewer answers than this in a round, and its latencies are marked as little to go by. */
const FEW_ANSWERS = 30;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      'warm-up': { type: 'string', default: '2' },
      connections: { type: 'string', default: '10' },
      only: { type: 'string' },
      database: { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      // Only the byte-for-byte comparison, no load: quick, and needs no bench lock.
      check: { type: 'boolean', default: false },
    },
  });
  const scale = Number(values.scale);
  const pages = (values.only?.split(',') ?? [...PAGE_NAMES]).map((name) => {
    if (!(PAGE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`--only: one or more of ${PAGE_NAMES.join(', ')}; got ${name}`);
    }
    return name as PageName;
  });
  const databaseName = values.database ?? `bench_pages_s${String(scale).replace('.', '_')}`;
  if (SHARED_DATABASES.includes(databaseName)) {
    throw new Error(`--database: ${databaseName} is shared; name a scratch database`);
  }
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = await ensureDatabase(serverUrl, databaseName);
  log(`seeding ${databaseName} at scale ${scale} unless it holds the demo data already`);
  const seeded = await openSeededDatabase(scale, { DATABASE_URL: databaseUrl });
  await seeded.db.close();
  if (!values['skip-build']) {
    log('npm run build');
    await run('npm', ['run', 'build']);
  }

  const startLoad = loadavg()[0]!.toFixed(1);
  const jwtSecret = randomBytes(32).toString('hex');
  const tokens = createTokenService(jwtSecret, 3600);
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const children: { stop: () => Promise<void> }[] = [];
  try {
    const api = await startDistServer(databaseUrl, jwtSecret, {
      JOBS_ENABLED: 'false',
      REDIS_URL: '',
    });
    children.push(api);
    const baseline = await startBaseline(databaseUrl, jwtSecret);
    children.push(baseline);
    const load = fork(require.resolve('./pages.load.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
    });
    children.push({ stop: async () => void load.disconnect() });
    const targets: Target[] = [
      { name: 'API', url: `http://127.0.0.1:${api.port}/graphql` },
      { name: 'baseline', url: `http://127.0.0.1:${baseline.port}/graphql` },
    ];

    const authorizations = new Map<string, string>();
    for (const viewer of [ADMIN, TELESALES, CUSTOMER_SERVICE, IT, TELESALES_LEADER, CS_LEADER]) {
      const { rows } = await pool.query<{ id: string; session_version: number }>(
        'select id, session_version from app_user where email = $1',
        [viewer.email],
      );
      const user = rows[0];
      if (!user) throw new Error(`no demo user ${viewer.email} in ${databaseName}`);
      authorizations.set(
        viewer.email,
        `Bearer ${tokens.sign(user.id, user.session_version).token}`,
      );
    }
    const authorizationOf = (viewer: Viewer) => authorizations.get(viewer.email) ?? '';
    const detailId = pages.includes('ticket')
      ? await detailTicket(targets[0]!.url, authorizationOf(TELESALES))
      : '';

    const lines = values.check
      ? []
      : [
          `bench:pages --scale ${scale}: ${databaseName}, ${values.connections} connections, ` +
            `${values.rounds} rounds of ${values.duration} s per server (median), ${values['warm-up']} s warm-up, ` +
            `API ${api.command} (NODE_ENV=production, JOBS_ENABLED=false), baseline bench/baseline/server.ts, node ${process.version}`,
          '',
          '| page | viewer | bytes | API req/s | API p50 ms | API p99 ms | baseline req/s | baseline p50 ms | baseline p99 ms | ratio |',
          '|---|---|---|---|---|---|---|---|---|---|',
        ];
    for (const page of pages) {
      const variables: PageVariables = page === 'ticket' ? { id: detailId } : { first: PAGE_SIZE };
      const body = JSON.stringify({ query: PAGE_QUERIES[page], variables });
      const compare = async (viewer: Viewer) => {
        const bytes = await sameAnswer(
          targets,
          body,
          authorizationOf(viewer),
          `${page} as ${viewer.label}`,
        );
        if (values.check)
          lines.push(`${page} as ${viewer.label}: the same ${bytes} bytes from both`);
        return bytes;
      };
      for (const viewer of ALSO_COMPARED(page)) await compare(viewer);
      for (const viewer of [ADMIN, STAFF_OF[page]]) {
        const bytes = await compare(viewer);
        if (values.check) continue;
        const authorization = authorizationOf(viewer);
        const round = (target: Target, seconds: number) =>
          loadRound(load, {
            url: target.url,
            authorization,
            body,
            connections: Number(values.connections),
            seconds,
          });
        for (const target of targets) await round(target, Number(values['warm-up']));
        const measured: Record<Target['name'], Figures[]> = { API: [], baseline: [] };
        for (let r = 0; r < Number(values.rounds); r += 1) {
          for (const target of targets) {
            measured[target.name].push(await round(target, Number(values.duration)));
          }
        }
        const a = medians(measured.API);
        const b = medians(measured.baseline);
        const line = `| ${page} | ${viewer.label} | ${bytes} | ${cells(a)} | ${cells(b)} | ${(a.requestsPerSecond / b.requestsPerSecond).toFixed(2)} |`;
        log(line);
        lines.push(line);
      }
    }
    if (!values.check) {
      lines.push(
        '',
        `*: a round had fewer than ${FEW_ANSWERS} answers, so its latencies say little. Load average of the machine at the start ${startLoad}, at the end ${loadavg()[0]!.toFixed(1)}.`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    // autocannon drops its sockets with requests still running server-side; let them finish.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const child of children.reverse()) await child.stop();
    await pool.end();
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The scratch database's URL on the server of `serverUrl`, created if missing. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startBaseline(
  databaseUrl: string,
  jwtSecret: string,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = fork(require.resolve('./baseline/server.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the baseline exited with ${code}`)));
  });
  return { port, stop: () => stopChild(child) };
}

async function post(url: string, body: string, authorization: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** Both servers answer 200 with the same bytes and no errors, or the bench stops with a diff. */
async function sameAnswer(
  targets: Target[],
  body: string,
  authorization: string,
  what: string,
): Promise<number> {
  const [api, baseline] = await Promise.all(targets.map((t) => post(t.url, body, authorization)));
  for (const [target, answer] of [
    [targets[0]!, api!],
    [targets[1]!, baseline!],
  ] as const) {
    if (answer.status !== 200 || (JSON.parse(answer.text) as { errors?: unknown }).errors) {
      throw new Error(
        `${what}: ${target.name} answered ${answer.status}: ${answer.text.slice(0, 2000)}`,
      );
    }
  }
  if (api!.text !== baseline!.text)
    throw new Error(`${what}: the answers differ\n${diff(api!.text, baseline!.text)}`);
  return Buffer.byteLength(api!.text);
}

/** Where two JSON answers part: the first differing line of both, pretty-printed, with context. */
function diff(apiText: string, baselineText: string): string {
  const pretty = (text: string) => JSON.stringify(JSON.parse(text), null, 2).split('\n');
  const a = pretty(apiText);
  const b = pretty(baselineText);
  let at = 0;
  while (at < a.length && a[at] === b[at]) at += 1;
  let offset = 0;
  while (apiText[offset] === baselineText[offset]) offset += 1;
  const around = (lines: string[], sign: string) =>
    lines
      .slice(Math.max(0, at - 4), at + 4)
      .map((line, i) => `${Math.max(0, at - 4) + i === at ? sign : ' '} ${line}`)
      .join('\n');
  return [
    `first differing character at ${offset} (API ${apiText.length} characters, baseline ${baselineText.length})`,
    `--- API, pretty-printed, line ${at + 1}`,
    around(a, '-'),
    `+++ baseline, pretty-printed, line ${at + 1}`,
    around(b, '+'),
  ].join('\n');
}

/**
 * The detail page's ticket: the staff member's newest open one, so both viewers may
 * read it. The demo seed writes no ticket history; changes and notes made
 * through the API give it some the first time (the scratch database keeps them).
 */
async function detailTicket(apiUrl: string, authorization: string): Promise<string> {
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const { text } = await post(apiUrl, JSON.stringify({ query, variables }), authorization);
    const answer = JSON.parse(text) as { data?: T; errors?: unknown };
    if (answer.errors || !answer.data) throw new Error(`detail ticket set-up: ${text}`);
    return answer.data;
  };
  const { tickets } = await graphql<{
    tickets: {
      edges: { node: { id: string; version: number; history: { totalCount: number } } }[];
    };
  }>(
    '{ tickets(first: 1, filter: { statuses: [NEW, ASSIGNED] }) { edges { node { id version history(first: 0) { totalCount } } } } }',
  );
  const ticket = tickets.edges[0]?.node;
  if (!ticket) throw new Error('the staff member has no ticket for the detail page');
  if (ticket.history.totalCount === 0) {
    let version = ticket.version;
    for (let n = 1; n <= 3; n += 1) {
      const { updateTicket } = await graphql<{ updateTicket: { version: number } }>(
        'mutation($id: ID!, $n: String!, $version: Int!) { updateTicket(id: $id, version: $version, input: { title: $n, description: $n }) { version } }',
        {
          id: ticket.id,
          version,
          n: `Gọi lại khách, lần ${n}`,
        },
      );
      version = updateTicket.version;
      await graphql(
        'mutation($id: ID!, $body: String!) { addTicketNote(ticketId: $id, body: $body) { id } }',
        {
          id: ticket.id,
          body: `Khách hẹn gọi lại sau (lần ${n}).`,
        },
      );
    }
  }
  return ticket.id;
}

function loadRound(load: ChildProcess, round: LoadRound): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the load process exited (${code})`));
    load.once('exit', onExit);
    load.once('message', (figures: LoadFigures) => {
      load.off('exit', onExit);
      if (figures.non2xx > 0 || figures.errors > 0) {
        reject(
          new Error(
            `${round.url}: ${figures.non2xx} non-2xx answers, ${figures.errors} errors in a round`,
          ),
        );
      } else resolve(figures);
    });
    load.send(round);
  });
}

/** req/s, p50 and p99 cells; `*` where a round had few answers. */
function cells(figures: Figures & { few: boolean }): string {
  const rate = figures.requestsPerSecond;
  const mark = figures.few ? '*' : '';
  return `${rate < 10 ? rate.toFixed(1) : rate.toFixed(0)}${mark} | ${figures.p50}${mark} | ${figures.p99}${mark}`;
}

function medians(rounds: Figures[]): Figures & { few: boolean } {
  const median = (key: keyof Figures) =>
    percentile(
      rounds.map((round) => round[key]),
      50,
    );
  return {
    few: rounds.some((round) => round.answered < FEW_ANSWERS),
    answered: median('answered'),
    requestsPerSecond: median('requestsPerSecond'),
    p50: median('p50'),
    p99: median('p99'),
  };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its output goes to stderr: stdout is the table.
    const child = spawn(command, args, { stdio: ['ignore', process.stderr, 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

runBench(main);
