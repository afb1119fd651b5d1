import { randomUUID } from 'node:crypto';
import {
  buildSchema,
  getNamedType,
  graphql,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
} from 'graphql';
import pino from 'pino';
import { ACCESS, type Access } from '../src/auth/permissions';
import type { UserViewer } from '../src/auth/viewer';
import { seedDemo } from '../src/db/seed-demo';
import { Role } from '../src/entities/enums';
import { applyInputPolicy, ID_MAX_LENGTH } from '../src/schema/input-policy';
import { DomainError } from '../src/kernel/errors';
import { ticketLifecycle } from '../src/services/tickets/ticket-lifecycle.service';
import { startTestApp, type Auth, type GraphQLResponse, type TestApp } from './support/test-app';
import { subscriber, waitFor } from './support/ws';

/**
 * The input policy, table-driven from the served schema: every mutation's
 * text, id and instant inputs, however deeply nested, are sent hostile values
 * over HTTP; each must be BAD_USER_INPUT naming the field, and the database
 * must be exactly as it was. Nothing here lists the mutations: a new one is
 * walked as soon as it is in the schema.
 */

let t: TestApp;
const tokens = new Map<Role, string>();
/** Real rows for ids, so that a missing policy would reach (and write) them. */
const rows: Record<string, string[]> = {};

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.orm, { scale: 0.05, env: 'test', logger: pino({ level: 'silent' }) });
  const em = t.orm.em.fork();
  const ids = async (sql: string): Promise<string[]> =>
    (await em.execute<{ id: string }[]>(sql)).map((row) => row.id);
  rows.ticket = await ids(`select id from ticket where status in ('NEW', 'ASSIGNED') limit 2`);
  rows.customer = await ids(`select id from customer where merged_into_id is null limit 3`);
  rows.branch = await ids(`select id from branch limit 1`);
  rows.user = await ids(`select id from app_user where role = 'TELESALES' limit 1`);
  rows.conversation = await ids(`select id from conversation limit 1`);
  rows.channel = await ids(`select id from channel limit 1`);
  rows.label = await ids(`select id from customer_label limit 1`);
  rows.apiKey = await ids(`select id from api_key limit 1`);
  rows.inboundEvent = await ids(`select id from inbound_event limit 1`);
  for (const role of Object.values(Role)) {
    if (role === Role.PARTNER) continue;
    const email = `${role.toLowerCase().replaceAll('_', '-')}@demo.local`;
    const [user] = await ids(`select id from app_user where email = '${email}'`);
    if (user) tokens.set(role, t.tokenFor({ id: user }));
  }
});
afterAll(() => t.close());

/** A mutation is probed as the admin, or as a role its access allows when the admin's does not. */
function authFor(access: Access | undefined): Auth {
  if (!access || access.kind !== 'roles' || access.roles.includes(Role.ADMIN)) {
    return { token: t.adminToken };
  }
  const role = access.roles.find((r) => tokens.has(r));
  if (!role) throw new Error(`no demo user for ${access.roles.join(', ')}`);
  return { token: tokens.get(role)! };
}

/** An id the mutation would accept, where its name says what it names. */
function idFor(name: string, mutation: string): string {
  const pick = (kind: string, index = 0) => rows[kind]?.[index] ?? randomUUID();
  const byName: Record<string, () => string> = {
    ticketId: () => pick('ticket'),
    rootTicketId: () => pick('ticket', 1),
    customerId: () => pick('customer'),
    customerIds: () => pick('customer'),
    survivorId: () => pick('customer'),
    mergedIds: () => pick('customer', 1),
    branchId: () => pick('branch'),
    assigneeId: () => pick('user'),
    inChargeId: () => pick('user'),
    userId: () => pick('user'),
    conversationId: () => pick('conversation'),
    channelId: () => pick('channel'),
    channelIds: () => pick('channel'),
    labelIds: () => pick('label'),
  };
  if (byName[name]) return byName[name]();
  if (name === 'id') {
    if (/Ticket$/.test(mutation)) return pick('ticket');
    if (/Customer$/.test(mutation)) return pick('customer');
    if (/Channel$/.test(mutation)) return pick('channel');
    if (/Conversation(Read)?$/.test(mutation)) return pick('conversation');
    if (/ApiKey$/.test(mutation)) return pick('apiKey');
    if (/InboundEvent$/.test(mutation)) return pick('inboundEvent');
  }
  // Merge field choices name the customer whose value wins.
  if (mutation === 'mergeCustomers') return pick('customer', 1);
  return randomUUID();
}

type Step = { field: string } | 'index';
type Leaf = {
  steps: Step[];
  /** Where the value sits, as the error's extensions.inputPath gives it. */
  inputPath: string;
  /** The argument's or input field's own name, as extensions.field gives it. */
  field: string;
  kind: 'text' | 'instant';
  /** The limit the schema states for it. */
  maxLength?: number;
  description: string;
};

const NUMERIC = new Set(['Int', 'Float', 'SafeInt', 'Boolean']);
const INSTANTS = new Set(['DateTimeISO']);

function documentedLimit(
  description: string | null | undefined,
  scalar: string,
): number | undefined {
  if (scalar === 'ID') return ID_MAX_LENGTH;
  const match = /At most (\d+) characters\./.exec(description ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Every text, id and instant leaf under an argument, through input objects and lists. */
function leavesOf(
  type: GraphQLInputType,
  at: { steps: Step[]; inputPath: string; field: string; description: string },
  seen: ReadonlySet<string>,
): Leaf[] {
  if (isNonNullType(type)) return leavesOf(type.ofType, at, seen);
  if (isListType(type)) {
    return leavesOf(
      type.ofType,
      { ...at, steps: [...at.steps, 'index'], inputPath: `${at.inputPath}[0]` },
      seen,
    );
  }
  if (isEnumType(type)) return [];
  if (isScalarType(type)) {
    if (NUMERIC.has(type.name)) return [];
    const kind = INSTANTS.has(type.name) ? 'instant' : 'text';
    return [{ ...at, kind, maxLength: documentedLimit(at.description, type.name) }];
  }
  if (!isInputObjectType(type) || seen.has(type.name)) return [];
  const inner = new Set(seen).add(type.name);
  return Object.values(type.getFields()).flatMap((f: GraphQLInputField) =>
    leavesOf(
      f.type,
      {
        steps: [...at.steps, { field: f.name }],
        inputPath: `${at.inputPath}.${f.name}`,
        field: f.name,
        description: f.description ?? '',
      },
      inner,
    ),
  );
}

/** A value that passes the policy; the probed leaf gets `probe` instead. */
function build(
  type: GraphQLInputType,
  name: string,
  mutation: string,
  path: Step[] | null,
  probe: unknown,
): unknown {
  if (isNonNullType(type)) return build(type.ofType, name, mutation, path, probe);
  if (isListType(type)) {
    const rest = path && path[0] === 'index' ? path.slice(1) : null;
    return [build(type.ofType, name, mutation, rest, probe)];
  }
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      const step = path?.[0];
      const onPath = step !== undefined && step !== 'index' && step.field === f.name;
      if (onPath) out[f.name] = build(f.type, f.name, mutation, path!.slice(1), probe);
      else if (isNonNullType(f.type) && f.defaultValue === undefined) {
        out[f.name] = build(f.type, f.name, mutation, null, probe);
      }
    }
    return out;
  }
  if (path !== null) return probe;
  if (isEnumType(type)) return type.getValues()[0]!.value;
  switch (type.name) {
    case 'ID':
      return idFor(name, mutation);
    case 'String':
      return 'probe';
    case 'DateTimeISO':
      return '2026-01-01T00:00:00.000Z';
    case 'Int':
    case 'SafeInt':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    default:
      return {};
  }
}

/** The mutation with the arguments `variables` gives, the others left to their defaults. */
function operationFor(
  field: GraphQLField<unknown, unknown>,
  variables: Record<string, unknown>,
): string {
  const given = field.args.filter((a) => a.name in variables);
  const vars = given.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = given.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `mutation Probe${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

function variablesFor(
  field: GraphQLField<unknown, unknown>,
  leaf: Leaf,
  probe: unknown,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const arg of field.args) {
    const step = leaf.steps[0];
    const onPath = step !== undefined && step !== 'index' && step.field === arg.name;
    if (onPath) {
      variables[arg.name] = build(arg.type, arg.name, field.name, leaf.steps.slice(1), probe);
    } else if (isNonNullType(arg.type) && arg.defaultValue === undefined) {
      variables[arg.name] = build(arg.type, arg.name, field.name, null, probe);
    }
  }
  return variables;
}

/** Row count and content hash of every table: any write shows. */
async function snapshot(): Promise<Record<string, string>> {
  const em = t.orm.em.fork();
  const tables = await em.execute<{ name: string }[]>(
    `select tablename as name from pg_tables where schemaname = current_schema() order by 1`,
  );
  const sql = tables
    .map(
      ({ name }) =>
        `select '${name}' as name, count(*) || ':' || md5(coalesce(string_agg(md5(x::text), '' order by md5(x::text)), '')) as state from "${name}" x`,
    )
    .join(' union all ');
  const result = await em.execute<{ name: string; state: string }[]>(sql);
  return Object.fromEntries(result.map((row) => [row.name, row.state]));
}

const MEGABYTE = 'x'.repeat(1_000_000);
const TEXT_PROBES: [string, (leaf: Leaf) => string][] = [
  ['NUL', () => 'a\u0000b'],
  ['1 MB', () => MEGABYTE],
  ['RTL override', () => 'invoice\u202Efdp.exe'],
  ['one past the documented limit', (leaf) => 'x'.repeat((leaf.maxLength ?? 0) + 1)],
];
const INSTANT_PROBES: [string, () => string][] = [
  ['year 0', () => '0000-01-01T00:00:00Z'],
  ['year 9999', () => '9999-12-31T00:00:00Z'],
];

const mutations = async () => Object.values(t.app.schema.getMutationType()!.getFields());

test('every String input states its limit, every instant input its range', async () => {
  const undocumented: string[] = [];
  for (const type of Object.values(t.app.schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const inputs: { coordinate: string; type: GraphQLInputType; description?: string | null }[] =
      [];
    if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields()))
        inputs.push({ coordinate: `${type.name}.${f.name}`, ...f });
    } else if (isObjectType(type)) {
      for (const f of Object.values(type.getFields()))
        for (const a of f.args)
          inputs.push({ coordinate: `${type.name}.${f.name}(${a.name}:)`, ...a });
    }
    for (const input of inputs) {
      const named = getNamedType(input.type).name;
      const wanted =
        named === 'String'
          ? /At most \d+ characters\./
          : INSTANTS.has(named)
            ? /From 1900-01-01 to 2100-12-31 \(UTC\)\./
            : null;
      if (wanted && !wanted.test(input.description ?? '')) undocumented.push(input.coordinate);
    }
  }
  expect(undocumented).toEqual([]);
});

test('every mutation refuses NUL, 1 MB, RTL override, over-limit text and year 0 by field, and writes nothing', async () => {
  const wrong: unknown[] = [];
  let probed = 0;
  for (const field of await mutations()) {
    const leaves = field.args.flatMap((arg) =>
      leavesOf(
        arg.type,
        {
          steps: [{ field: arg.name }],
          inputPath: arg.name,
          field: arg.name,
          description: arg.description ?? '',
        },
        new Set(),
      ),
    );
    if (leaves.length === 0) continue;
    const auth = authFor(ACCESS.Mutation[field.name]);
    const before = await snapshot();
    for (const leaf of leaves) {
      const probes: [string, unknown][] =
        leaf.kind === 'instant'
          ? INSTANT_PROBES.map(([name, make]) => [name, make()])
          : TEXT_PROBES.map(([name, make]) => [name, make(leaf)]);
      for (const [probe, value] of probes) {
        probed += 1;
        const variables = variablesFor(field, leaf, value);
        const res: GraphQLResponse = await t.gql(operationFor(field, variables), variables, auth);
        const error = res.errors?.[0];
        const got = {
          code: error?.extensions?.code,
          field: error?.extensions?.field,
          inputPath: error?.extensions?.inputPath,
          named: error?.message.startsWith(`${leaf.inputPath}: `) ?? false,
          data: res.data?.[field.name] ?? null,
        };
        const expected = {
          code: 'BAD_USER_INPUT',
          field: leaf.field,
          inputPath: leaf.inputPath,
          named: true,
          data: null,
        };
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          wrong.push({
            mutation: field.name,
            input: leaf.inputPath,
            probe,
            got,
            message: error?.message.slice(0, 200),
          });
        }
      }
    }
    const after = await snapshot();
    const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
    if (changed.length > 0) wrong.push({ mutation: field.name, changedTables: changed });
  }
  expect(wrong).toEqual([]);
  // The walk reached the inputs this test was written against (and any added since).
  expect(probed).toBeGreaterThan(300);
  // The walk grows with every mutation in the schema (hundreds of requests, some of 1 MB).
}, 180_000);

test('what the policy allows passes: line breaks, tabs, Vietnamese, emoji, a title at its limit', async () => {
  const body = 'Dòng một\nDòng hai\r\n\tThụt lề 😀 — “ngoặc”';
  const note = await t.gql<{ addTicketNote: { body: string } }>(
    'mutation($id: ID!, $body: String!) { addTicketNote(ticketId: $id, body: $body) { body } }',
    { id: rows.ticket![0], body },
  );
  expect(note.errors).toBeUndefined();
  expect(note.data?.addTicketNote.body).toBe(body.trim());

  const title = 'Ư'.repeat(300);
  const updated = await t.gql<{ updateTicket: { title: string } }>(
    'mutation($id: ID!, $v: Int!, $title: String!) { updateTicket(id: $id, version: $v, input: { title: $title }) { title } }',
    { id: rows.ticket![0], v: await t.ticketVersion(rows.ticket![0]!), title },
  );
  expect(updated.errors).toBeUndefined();
  expect(updated.data?.updateTicket.title).toBe(title);
});

test('updateTicket holds titles to the limit createTicket always had, and stores nothing', async () => {
  const before = await snapshot();
  const res = await t.gql(
    'mutation($id: ID!, $v: Int!, $title: String!) { updateTicket(id: $id, version: $v, input: { title: $title }) { title } }',
    { id: rows.ticket![1], v: await t.ticketVersion(rows.ticket![1]!), title: 'x'.repeat(301) },
  );
  expect(res.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'title',
    inputPath: 'input.title',
  });
  expect(await snapshot()).toEqual(before);
});

test('the ticket service holds its own title and description limits for callers without GraphQL', async () => {
  const viewer: UserViewer = {
    kind: 'user',
    id: t.admin.id,
    role: Role.ADMIN,
    branchIds: [],
    sessionVersion: t.admin.sessionVersion,
  };
  const scope = { em: t.orm.em.fork(), viewer };
  const before = await snapshot();
  const version = await t.ticketVersion(rows.ticket![1]!);
  const update = (input: { title?: string; description?: string }) =>
    ticketLifecycle.update(scope, t.bus, rows.ticket![1]!, version, input).then(
      () => 'stored',
      (error: unknown) => (error instanceof DomainError ? error.details.field : error),
    );
  expect(await update({ title: 'x'.repeat(8_000_000) })).toBe('title');
  expect(await update({ description: 'x'.repeat(5_001) })).toBe('description');
  expect(await snapshot()).toEqual(before);
});

test('in production a refusal keeps its code and message', async () => {
  const prod = await startTestApp({ env: 'production' });
  try {
    const res = await prod.gql(
      'mutation($input: CustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { fullName: 'Trần\u0000Bình', phone: '0912345678' } },
    );
    expect(res.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^input\.fullName: U\+0000 /),
      extensions: { code: 'BAD_USER_INPUT', field: 'fullName', inputPath: 'input.fullName' },
    });
  } finally {
    await prod.close();
  }
});

test("a nested field's argument is checked too", async () => {
  const res = await t.gql(
    'query($after: String) { tickets(first: 1) { edges { node { notes(after: $after) { __typename } } } } }',
    { after: 'cursor\u0000' },
  );
  // The policy answers, before the cursor decoder would.
  expect(res.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'after',
    inputPath: 'after',
  });
  expect(res.errors?.[0]?.message).toMatch(/^after: U\+0000 /);
});

describe('over graphql-ws, the same refusals', () => {
  const connect = () => subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });

  test('a mutation with a NUL in its title is BAD_USER_INPUT and writes nothing', async () => {
    const ws = connect();
    const before = await snapshot();
    const op = ws.subscribe(
      'mutation($id: ID!, $v: Int!, $title: String!) { updateTicket(id: $id, version: $v, input: { title: $title }) { title } }',
      { id: rows.ticket![1], v: await t.ticketVersion(rows.ticket![1]!), title: 'Gọi lại\u0000' },
    );
    await waitFor(() => op.completed || op.error !== undefined);
    expect(op.events[0]?.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'title',
      inputPath: 'input.title',
    });
    expect(await snapshot()).toEqual(before);
    await ws.client.dispose();
  });

  test("a subscription's filter with an RTL override is refused at subscribe time", async () => {
    const ws = connect();
    const listening = t.bus.activeSubscriptions;
    const op = ws.subscribe(
      'subscription($filter: TicketFilter) { ticketChanged(filter: $filter) { action } }',
      { filter: { keywords: 'abc\u202Edef' } },
    );
    await waitFor(() => op.completed || op.error !== undefined || op.events.length > 0);
    expect(op.events[0]?.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'keywords',
      inputPath: 'filter.keywords',
    });
    // Refused before `subscribe` ran: no listener was created.
    expect(t.bus.activeSubscriptions).toBe(listening);
    await ws.client.dispose();
  });
});

describe('on any schema', () => {
  // A schema none of the CRM's code knows: the policy needs no list of fields.
  const schema = applyInputPolicy(
    buildSchema(`
      scalar JSON
      input Node { label: String, children: [Node!] }
      type Query { echo(tree: Node, data: JSON): Boolean }
    `),
  );
  const refusal = async (variables: Record<string, unknown>) => {
    const result = await graphql({
      schema,
      source: 'query($tree: Node, $data: JSON) { echo(tree: $tree, data: $data) }',
      rootValue: { echo: () => true },
      variableValues: variables,
    });
    const error = result.errors?.[0]?.originalError;
    return error instanceof DomainError ? { message: error.message, ...error.details } : result;
  };

  test('a recursive input type is checked at any depth', async () => {
    const tree = { children: [{ children: [{ label: 'ok' }, { label: 'a\u0000' }] }] };
    expect(await refusal({ tree })).toEqual({
      message: expect.stringMatching(/^tree\.children\[0\]\.children\[1\]\.label: U\+0000 /),
      field: 'label',
      inputPath: 'tree.children[0].children[1].label',
    });
  });

  test("a custom scalar's strings are checked wherever they sit in its value", async () => {
    expect(await refusal({ data: { notes: ['fine', 'x\u2066y'] } })).toMatchObject({
      inputPath: 'data.notes[1]',
      field: 'data',
    });
  });

  test('what passes reaches the resolver', async () => {
    expect(await refusal({ tree: { label: 'Gọi lại\n' }, data: { a: 1 } })).toEqual({
      data: { echo: true },
    });
  });
});
