import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashPassword } from '../src/auth/password';
import { Message, Order, OrderStatusEvent, TicketNote } from '../src/entities';
import { MessageDirection, OrderStatus, Platform, Role, TicketTarget } from '../src/entities/enums';
import { SETTLE_MS } from '../src/services/exports/export.service';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, TEST_PLATFORM_ENV, type SignedPush, postPush } from './support/webhooks';
import { waitFor } from './support/ws';

/**
 * Every script under examples/ runs here as a reader would run it: its own
 * node process, configured only by environment, against a real server. The
 * docs quote these scripts, so a change in the API that breaks a guide
 * breaks this file. The last test fails when an example has no test.
 */
const ROOT = path.resolve(__dirname, '..');
const ran = new Set<string>();
const children = new Set<ChildProcess>();

let t: TestApp;
let make: ReturnType<typeof factories>;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
  dir = mkdtempSync(path.join(tmpdir(), 'crm-examples-'));
});
afterAll(async () => {
  for (const child of children) child.kill();
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

type Finished = { code: number | null; stdout: string; stderr: string };

/** Starts examples/<name>.ts; `stdout` grows as the script prints. */
function start(name: string, env: Record<string, string>, args: string[] = []) {
  ran.add(name);
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', `examples/${name}.ts`, ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', API_URL: t.httpUrl, ...env } },
  );
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return {
    done,
    get stdout() {
      return stdout;
    },
    get exited() {
      return child.exitCode !== null;
    },
  };
}

const run = (name: string, env: Record<string, string>, args: string[] = []) =>
  start(name, env, args).done;

/** Exit 0, and on failure the script's own words in the assertion message. */
function expectSuccess(result: Finished): void {
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
}

const post = (push: SignedPush) => postPush(t.app.httpServer, push);

let counter = 0;
const unique = () => `${Date.now()}${(counter += 1)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createApiKey(channelId: string, scopes?: string[]): Promise<string> {
  const created = await t.gql<{ createApiKey: { secret: string } }>(
    'mutation($ids: [ID!]!, $scopes: [ApiKeyScope!]) { createApiKey(name: "example", channelIds: $ids, scopes: $scopes) { secret } }',
    { ids: [channelId], scopes },
  );
  expect(created.errors).toBeUndefined();
  return created.data!.createApiKey.secret;
}

test('web-client: signs in, lists tickets, and prints the ticketChanged its note raises', async () => {
  const password = 'correct horse battery';
  const leader = await make.user({
    email: `leader-${unique()}@test.local`,
    passwordHash: await hashPassword(password),
    role: Role.TELESALES_LEADER,
  });
  const ticket = await make.ticket(
    { customer: await make.customer(), branch: await make.branch() },
    { target: TicketTarget.TELESALES, belongTo: TicketTarget.TELESALES },
  );

  const result = await run('web-client', { CRM_EMAIL: leader.email, CRM_PASSWORD: password });
  expectSuccess(result);
  expect(result.stdout).toContain(`signed in as ${leader.email}`);
  expect(result.stdout).toContain(`me: ${leader.fullName} (TELESALES_LEADER)`);
  expect(result.stdout).toContain(`received ticketChanged: NOTE_ADDED on ${ticket.id}`);
  const notes = await t.orm.em.fork().find(TicketNote, { ticket: ticket.id });
  expect(notes.length).toBeGreaterThanOrEqual(1);
  expect(notes[0]!.body).toContain('web-client example');
});

describe('partner-orders', () => {
  const LINE =
    /^event \d+: LAZADA order (\S+) (\S+) -> \S+ \((missed while away|live)\) id=(\S+)/gm;
  const events = (stdout: string) =>
    [...stdout.matchAll(LINE)].map(([, order, rawStatus, when, id]) => ({
      order,
      rawStatus,
      when,
      id,
    }));

  test('resumes from its saved cursor: the missed events, in order, then live ones', async () => {
    const shop = `7000${unique()}`;
    const channel = await make.channel({ platform: Platform.LAZADA, externalShopId: shop });
    const env = {
      CRM_API_KEY: await createApiKey(channel.id),
      CURSOR_FILE: path.join(dir, 'partner.cursor'),
    };

    const applied = (filter: { externalId?: string } = {}) =>
      t.orm.em
        .fork()
        .find(
          OrderStatusEvent,
          { order: { channel: channel.id, ...filter }, applied: true },
          { orderBy: { sequence: 'asc' } },
        );
    const pushAndWait = async (order: string, statuses: string[], time: number) => {
      for (const [i, status] of statuses.entries()) {
        expect((await post(pushes.lazada(shop, order, status, time + i))).status).toBe(200);
      }
      for (
        let i = 0;
        i < 200 && (await applied({ externalId: order })).length < statuses.length;
        i += 1
      ) {
        await sleep(20);
      }
    };

    // Run 1, a first start: it begins after the newest event (Z's), so A,
    // pushed while it may still be setting up its subscription, is not missed.
    await pushAndWait(`Z${unique()}`, ['pending'], 1_717_000_000);
    const first = start('partner-orders', { ...env, STOP_AFTER: '1' });
    await waitFor(() => first.stdout.includes('listening'), 10_000);
    const a = `A${unique()}`;
    expect((await post(pushes.lazada(shop, a, 'pending', 1_718_000_000))).status).toBe(200);
    const one = await first.done;
    expectSuccess(one);
    const [z] = await applied();
    expect(one.stdout).toContain(`starting after the newest event (`);
    const [taken] = events(one.stdout);
    expect(taken).toMatchObject({ order: a, rawStatus: 'pending' });
    expect(taken!.id).not.toBe(z!.id);
    expect(one.stdout).toContain(`events handled: 1; the next run resumes after`);

    // While no partner app runs: three changes of another order.
    const b = `B${unique()}`;
    await pushAndWait(b, ['pending', 'packed', 'ready_to_ship'], 1_718_100_000);
    // Everything committed after the event run 1 saw is what run 2 must replay.
    const log = await applied();
    const seen = log.findIndex((event) => event.id === taken!.id);
    expect(seen).toBeGreaterThanOrEqual(0);
    const missed = log.slice(seen + 1).map((event) => event.id);
    expect(missed).toHaveLength(3);

    const second = start('partner-orders', { ...env, STOP_AFTER: String(missed.length + 1) });
    await waitFor(() => events(second.stdout).length === missed.length, 10_000);
    const c = `C${unique()}`;
    expect((await post(pushes.lazada(shop, c, 'pending', 1_718_200_000))).status).toBe(200);
    const two = await second.done;
    expectSuccess(two);
    expect(two.stdout).toContain(`resuming after cursor `);
    const replayed = events(two.stdout);
    expect(replayed.map((event) => event.id)).toEqual([...missed, (await applied()).at(-1)!.id]);
    expect(replayed.filter((event) => event.order === b).map((event) => event.rawStatus)).toEqual([
      'pending',
      'packed',
      'ready_to_ship',
    ]);
    expect(replayed.slice(0, -1).every((event) => event.when === 'missed while away')).toBe(true);
    expect(replayed.at(-1)).toMatchObject({ order: c, when: 'live' });
  });

  test.each([
    ['on the first start', 'none.cursor', 'the server refused the request'],
    ['when resuming', 'saved.cursor', 'the server refused the subscription'],
  ])('a bad key is refused %s, not retried forever', async (_when, file, refusal) => {
    const cursorFile = path.join(dir, file);
    if (file === 'saved.cursor') writeFileSync(cursorFile, 'b2U6MQ');
    const result = await run('partner-orders', {
      CRM_API_KEY: 'crm_not-a-key',
      CURSOR_FILE: cursorFile,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`partner-orders failed: ${refusal}`);
  });
});

test('bi-export: the second pull returns only the order that changed; an empty pull keeps the cursor', async () => {
  const shop = `8000${unique()}`;
  const channel = await make.channel({ platform: Platform.LAZADA, externalShopId: shop });
  const orders = await Promise.all([1, 2, 3].map(() => make.order({ channel })));
  const env = {
    CRM_API_KEY: await createApiKey(channel.id, ['EXPORT']),
    STATE_FILE: path.join(dir, 'orders.cursor'),
    OUT_FILE: path.join(dir, 'orders.ndjson'),
  };
  // Rows younger than SETTLE_MS wait for the next pull (docs/bi-exports.md).
  await sleep(SETTLE_MS + 200);

  const first = await run('bi-export', env);
  expectSuccess(first);
  expect(first.stdout).toContain('rows: 3, written to');
  for (const order of orders) expect(first.stdout).toContain(order.externalId);
  const cursor = readFileSync(env.STATE_FILE, 'utf8');

  const changed = orders[1]!;
  expect(
    (await post(pushes.lazada(shop, changed.externalId, 'shipped', 1_718_300_000))).status,
  ).toBe(200);
  for (let i = 0; i < 200; i += 1) {
    const order = await t.orm.em.fork().findOneOrFail(Order, changed.id);
    if (order.status === OrderStatus.SHIPPED) break;
    await sleep(20);
  }
  await sleep(SETTLE_MS + 200);

  const second = await run('bi-export', env);
  expectSuccess(second);
  expect(second.stdout).toContain('rows: 1, written to');
  expect(second.stdout).toContain(`${changed.id} ${changed.externalId} SHIPPED`);
  for (const other of [orders[0]!, orders[2]!]) expect(second.stdout).not.toContain(other.id);
  const next = readFileSync(env.STATE_FILE, 'utf8');
  expect(next).not.toBe(cursor);

  const csv = path.join(dir, 'orders.csv');
  const third = await run('bi-export', { ...env, FORMAT: 'csv', OUT_FILE: csv });
  expectSuccess(third);
  expect(third.stdout).toContain('rows: 0, written to');
  expect(readFileSync(env.STATE_FILE, 'utf8')).toBe(next);
  expect(readFileSync(csv, 'utf8')).toMatch(/^\uFEFFid,platform,channelId,/);
});

describe('send-test-push', () => {
  test('signs a push per platform that the receivers accept and apply', async () => {
    const channels = await Promise.all(
      [Platform.LAZADA, Platform.SHOPEE, Platform.TIKTOK, Platform.FACEBOOK, Platform.ZALO].map(
        (platform) =>
          // The script's default SHOP_ID, as in the demo data.
          make.channel({ platform, externalShopId: `${platform.toLowerCase()}-shop-1` }),
      ),
    );
    const orderId = `T${unique()}`;
    const result = await run('send-test-push', { ...TEST_PLATFORM_ENV, ORDER_ID: orderId }, [
      'lazada',
      'shopee',
      'tiktok',
      'facebook',
      'zalo',
    ]);
    expectSuccess(result);
    for (const platform of ['lazada', 'shopee', 'tiktok', 'facebook', 'zalo']) {
      expect(result.stdout).toContain(
        `${platform}: POST /webhooks/${platform} for ${platform}-shop-1 -> 200`,
      );
    }

    const em = () => t.orm.em.fork();
    const [lazada, shopee, tiktok, facebook, zalo] = channels.map((channel) => channel.id);
    const arrived = async () =>
      (await em().count(Order, { externalId: orderId, channel: [lazada!, shopee!, tiktok!] })) ===
        3 &&
      (await em().count(Message, {
        channel: [facebook!, zalo!],
        direction: MessageDirection.INBOUND,
      })) === 2;
    for (let i = 0; i < 200 && !(await arrived()); i += 1) await sleep(20);
    expect(await arrived()).toBe(true);

    // What the guide tells an operator to look at.
    const health = await t.gql<{
      channels: { channel: { id: string }; pushesLastHour: number; failuresLastHour: number }[];
    }>('{ channels { channel { id } pushesLastHour failuresLastHour } }');
    for (const channel of channels) {
      expect(health.data!.channels.find((row) => row.channel.id === channel.id)).toMatchObject({
        pushesLastHour: 1,
        failuresLastHour: 0,
      });
    }
  });

  test('a wrong secret is a 401 and a non-zero exit', async () => {
    const result = await run(
      'send-test-push',
      { ...TEST_PLATFORM_ENV, LAZADA_APP_SECRET: 'not-the-secret' },
      ['lazada'],
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('-> 401 {"error":"push rejected: signature mismatch"}');
    expect(result.stderr).toContain('send-test-push failed: a push was not accepted');
  });
});

test('webhook-receiver: verifies the signed deliveries, handles each id once and refuses a forged one', async () => {
  // Deliveries are sent by the jobs: a second instance of the API that runs them,
  // configured to accept the receiver's local address.
  const jobs = await startTestApp({
    database: t.database,
    jobs: true,
    config: {
      partnerWebhooks: {
        timeoutMs: 2_000,
        allowPrivateUrls: true,
        requireHttps: false,
        retentionDays: 30,
      },
    },
  });
  try {
    const shop = `7000${unique()}`;
    const channel = await make.channel({ platform: Platform.LAZADA, externalShopId: shop });
    const key = await t.gql<{ createApiKey: { apiKey: { id: string } } }>(
      'mutation($ids: [ID!]!) { createApiKey(name: "receiver", channelIds: $ids) { apiKey { id } } }',
      { ids: [channel.id] },
    );
    // Created first for its secret; pointed at the receiver once that listens.
    const created = await jobs.gql<{
      createWebhookEndpoint: { endpoint: { id: string }; secret: string };
    }>(
      'mutation($key: ID!) { createWebhookEndpoint(apiKeyId: $key, url: "http://127.0.0.1:9/none", events: [CONFIRMED, SHIPPED]) { endpoint { id } secret } }',
      { key: key.data!.createApiKey.apiKey.id },
    );
    expect(created.errors).toBeUndefined();
    const { endpoint, secret } = created.data!.createWebhookEndpoint;
    const receiver = start('webhook-receiver', { WEBHOOK_SECRET: secret, STOP_AFTER: '2' });
    // A TypeScript child compiles on start: give a loaded CI machine its time.
    for (let i = 0; i < 1_500 && !receiver.stdout.includes('listening on '); i += 1)
      await sleep(20);
    const url = /listening on (\S+)/.exec(receiver.stdout)![1]!;
    const moved = await jobs.gql(
      'mutation($id: ID!, $url: String!) { updateWebhookEndpoint(id: $id, input: { url: $url }) { id } }',
      { id: endpoint.id, url },
    );
    expect(moved.errors).toBeUndefined();

    const forged = await fetch(url, {
      method: 'POST',
      headers: {
        'x-webhook-id': 'forged',
        'x-webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-webhook-signature': 'v1=00',
      },
      body: '{}',
    });
    expect(forged.status).toBe(401);

    const order = `L${unique()}`;
    await post(pushes.lazada(shop, order, 'pending', 1_719_000_000));
    await post(pushes.lazada(shop, order, 'shipped', 1_719_000_010));
    const result = await receiver.done;
    expectSuccess(result);
    expect(result.stdout).toContain('refused forged: bad signature');
    expect(result.stdout).toMatch(
      new RegExp(`event 1: LAZADA order ${order} -> CONFIRMED id=\\S+`),
    );
    expect(result.stdout).toMatch(new RegExp(`event 2: LAZADA order ${order} -> SHIPPED id=\\S+`));
  } finally {
    await jobs.close();
  }
}, 120_000);

test('the examples keep their files in the temporary directory, never in the repository', async () => {
  const before = readdirSync(ROOT).sort();
  const shop = `9000${unique()}`;
  const channel = await make.channel({ platform: Platform.LAZADA, externalShopId: shop });
  await make.order({ channel });
  // An event to start after, so the partner run cannot miss the one pushed while it subscribes.
  expect((await post(pushes.lazada(shop, `Z${unique()}`, 'pending', 1_718_400_000))).status).toBe(
    200,
  );
  const events = () => t.orm.em.fork().count(OrderStatusEvent, { order: { channel: channel.id } });
  for (let i = 0; i < 200 && (await events()) === 0; i += 1) await sleep(20);
  await sleep(SETTLE_MS + 200);
  // Defaults only: no STATE_FILE, OUT_FILE or CURSOR_FILE.
  const tmp = { TMPDIR: dir };
  expectSuccess(
    await run('bi-export', { ...tmp, CRM_API_KEY: await createApiKey(channel.id, ['EXPORT']) }),
  );
  const partner = start('partner-orders', {
    ...tmp,
    CRM_API_KEY: await createApiKey(channel.id),
    STOP_AFTER: '1',
  });
  await waitFor(() => partner.stdout.includes('listening'), 10_000);
  expect((await post(pushes.lazada(shop, `P${unique()}`, 'pending', 1_718_400_000))).status).toBe(
    200,
  );
  expectSuccess(await partner.done);

  expect(readdirSync(path.join(dir, 'crm-examples')).sort()).toEqual([
    'bi-export-orders.cursor',
    'orders.ndjson',
    'partner-orders.cursor',
  ]);
  expect(readdirSync(ROOT).sort()).toEqual(before);
}, 60_000);

test('every example under examples/ is run by a test above and shown in a guide', () => {
  const examples = readdirSync(path.join(ROOT, 'examples'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replace(/\.ts$/, ''));
  expect(examples.length).toBeGreaterThan(0);
  expect([...ran].sort()).toEqual(examples.sort());
  const docs = path.join(ROOT, 'docs');
  const guides = readdirSync(docs)
    .filter((file) => file.endsWith('.md'))
    .map((file) => readFileSync(path.join(docs, file), 'utf8'))
    .join('\n');
  expect(examples.filter((example) => !guides.includes(`examples/${example}.ts`))).toEqual([]);
});
