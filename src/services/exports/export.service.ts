import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from 'pg';
import { z } from 'zod';
import {
  conversationScope,
  customerScope,
  masksContactDetails,
  orderScope,
  ticketScope,
  type Scope,
} from '../../auth/scopes';
import type { Viewer } from '../../auth/viewer';
import { ApiKeyScope } from '../../entities/api-key.entity';
import { Conversation, Customer, Order, Ticket } from '../../entities';
import { badInput, DomainError, isId } from '../../kernel/errors';
import { INSTANT_RANGE, isInstantInRange } from '../../kernel/instants';
import { scopedSelect, type SqlPart } from '../shared/scoped-sql';
import { ticketTitleSql } from '../tickets/ticket-title';
import { CopyTextOut } from './copy-out';
import type { RowFrame } from './copy-text';

/*
 * Incremental exports for BI tools. One export is one read-only REPEATABLE
 * READ transaction on a connection of its own: a first statement finds the
 * last row the export will hold (so its cursor can be sent in a header before
 * the body), then the rows stream in (updated_at, id) order up to that row as
 * `COPY (select <line>) TO STDOUT` in COPY's text format. PostgreSQL builds
 * each output line (lineSql; NDJSON's keys are written by the process around
 * the values), and the process only undoes COPY's backslash escapes as it
 * copies the bytes into a few buffers of its own, reused (copy-out.ts), and
 * passes them on: no row becomes a JavaScript object or string, which with a
 * cursor (pg-query-stream) was most of the process's time and garbage. The
 * socket is read only as fast as the client takes the output, and there is no
 * row limit.
 *
 * The cursor is the (updated_at, id) of the last row sent, opaque to clients.
 * `updated_at` is written by the application's clock before its transaction
 * commits, so a row can become visible with a time older than rows already
 * exported. An export therefore stops short of the oldest write still in
 * flight (pg_stat_activity) and of the last SETTLE_MS: such rows come with the
 * next pull instead of being skipped forever. Order events carry their
 * commit-ordered log position (`sequence`), which needs no such margin.
 */

export const EXPORT_ENTITIES = [
  'orders',
  'tickets',
  'customers',
  'conversations',
  'order-events',
] as const;
export type ExportEntity = (typeof EXPORT_ENTITIES)[number];

export const isExportEntity = (value: string): value is ExportEntity =>
  (EXPORT_ENTITIES as readonly string[]).includes(value);

/** Rows written in the last 2 seconds wait for the next pull (see above). */
export const SETTLE_MS = 2_000;

/**
 * An exported column. `text` columns are free text (quoted in CSV when they
 * need it and neutralized there against formula injection, escaped in JSON);
 * `value` columns (ids, enums, dates, times) never hold a comma, quote,
 * backslash or control character nor start with a formula's sign, so they are
 * JSON strings and CSV fields as they are; `number` columns (numbers, booleans) are the same text
 * in CSV and JSON; `json` columns nest in NDJSON and are quoted JSON text in
 * CSV. `contact` columns are masked for viewers who see contact details
 * masked in the API.
 */
type Column = {
  name: string;
  sql: string;
  kind: 'text' | 'value' | 'number' | 'json';
  contact?: boolean;
};

/** ISO 8601 in UTC with microseconds: what PostgreSQL stores, so a cursor is exact. */
const time = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const text = (name: string, column: string, contact = false): Column => ({
  name,
  sql: `b."${column}"`,
  kind: 'text',
  contact,
});
const value = (name: string, sql: string): Column => ({ name, sql, kind: 'value' });
const plain = (name: string, column: string): Column => value(name, `b."${column}"`);
const number = (name: string, column: string): Column => ({
  name,
  sql: `b."${column}"`,
  kind: 'number',
});
const at = (name: string, column: string): Column => value(name, time(`b."${column}"`));

type Spec = {
  /** The viewer's rows of the scoped table, or null if they may see none. */
  base: (em: EntityManager, viewer: Viewer) => SqlPart | null;
  /** FROM clause over the base (`b` is the exported row). */
  from: (base: string) => string;
  columns: Column[];
  /** updated_at + id, or the order event log position. */
  key: 'updated' | 'sequence';
};

function scopedBase<T extends object>(
  entity: new () => T,
  scope: (viewer: Viewer) => Scope<T>,
): Spec['base'] {
  return (em, viewer) => {
    const filter = scope(viewer);
    return filter === null ? null : scopedSelect(em, entity, 'x', filter);
  };
}

const SPECS: Record<ExportEntity, Spec> = {
  orders: {
    base: scopedBase(Order, orderScope),
    from: (base) => `(${base}) b`,
    key: 'updated',
    columns: [
      plain('id', 'id'),
      plain('platform', 'platform'),
      plain('channelId', 'channel_id'),
      text('shopId', 'shop_id'),
      text('externalId', 'external_id'),
      plain('status', 'status'),
      text('rawStatus', 'raw_status'),
      plain('customerId', 'customer_id'),
      text('buyerName', 'buyer_name'),
      text('buyerPhone', 'buyer_phone', true),
      plain('currency', 'currency'),
      number('subtotal', 'subtotal'),
      number('shippingFee', 'shipping_fee'),
      number('discount', 'discount'),
      number('total', 'total'),
      { name: 'flags', sql: 'b."flags"', kind: 'json' },
      at('placedAt', 'placed_at'),
      at('statusSourceTime', 'status_source_time'),
      at('platformUpdatedAt', 'platform_updated_at'),
      at('enrichedAt', 'enriched_at'),
      at('createdAt', 'created_at'),
      at('updatedAt', 'updated_at'),
    ],
  },
  tickets: {
    base: scopedBase(Ticket, ticketScope),
    from: (base) => `(${base}) b`,
    key: 'updated',
    columns: [
      plain('id', 'id'),
      { name: 'title', sql: ticketTitleSql('b'), kind: 'text' },
      text('description', 'description'),
      plain('status', 'status'),
      plain('source', 'source'),
      plain('result', 'result'),
      plain('target', 'target'),
      plain('belongTo', 'belong_to'),
      plain('branchId', 'branch_id'),
      plain('customerId', 'customer_id'),
      plain('assigneeId', 'assignee_id'),
      plain('inChargeId', 'in_charge_id'),
      plain('rootTicketId', 'root_ticket_id'),
      at('dueAt', 'due_at'),
      number('isMissed', 'is_missed'),
      at('completedAt', 'completed_at'),
      at('createdAt', 'created_at'),
      at('updatedAt', 'updated_at'),
    ],
  },
  customers: {
    base: scopedBase(Customer, customerScope),
    from: (base) => `(${base}) b`,
    key: 'updated',
    columns: [
      plain('id', 'id'),
      text('fullName', 'full_name'),
      text('phone', 'phone', true),
      text('email', 'email', true),
      value('birthday', `to_char(b."birthday", 'YYYY-MM-DD')`),
      plain('gender', 'gender'),
      plain('branchId', 'branch_id'),
      {
        name: 'labels',
        kind: 'json',
        sql: `(select coalesce(json_agg(l."code" order by l."code"), '[]') from "customer_label_link" k
          join "customer_label" l on l."id" = k."customer_label_id" where k."customer_id" = b."id")`,
      },
      text('notes', 'notes'),
      at('createdAt', 'created_at'),
      at('updatedAt', 'updated_at'),
    ],
  },
  conversations: {
    base: scopedBase(Conversation, conversationScope),
    from: (base) => `(${base}) b`,
    key: 'updated',
    columns: [
      plain('id', 'id'),
      plain('channelId', 'channel_id'),
      text('externalThreadId', 'external_thread_id'),
      plain('customerId', 'customer_id'),
      plain('assigneeId', 'assignee_id'),
      plain('status', 'status'),
      number('unreadCount', 'unread_count'),
      at('lastMessageAt', 'last_message_at'),
      at('lastInboundAt', 'last_inbound_at'),
      at('firstResponseAt', 'first_response_at'),
      at('handedOffAt', 'handed_off_at'),
      at('resolvedAt', 'resolved_at'),
      at('createdAt', 'created_at'),
      at('updatedAt', 'updated_at'),
    ],
  },
  // Events of the orders the viewer may see: the order scope, joined once.
  'order-events': {
    base: scopedBase(Order, orderScope),
    from: (base) =>
      `"order_status_event" b join (${base}) o on o."id" = b."order_id" and b."sequence" is not null`,
    key: 'sequence',
    columns: [
      number('sequence', 'sequence'),
      plain('id', 'id'),
      plain('orderId', 'order_id'),
      value('platform', 'o."platform"'),
      { name: 'shopId', sql: 'o."shop_id"', kind: 'text' },
      plain('status', 'status'),
      text('rawStatus', 'raw_status'),
      number('applied', 'applied'),
      text('eventKey', 'event_key'),
      at('eventTime', 'event_time'),
      at('receivedAt', 'received_at'),
    ],
  },
};

export const exportColumns = (entity: ExportEntity): string[] =>
  SPECS[entity].columns.map((column) => column.name);

type CursorPayload = { e: ExportEntity; k: string; id: string };

export function encodeExportCursor(entity: ExportEntity, key: string, id: string): string {
  return Buffer.from(JSON.stringify({ e: entity, k: key, id } satisfies CursorPayload)).toString(
    'base64url',
  );
}

const inTimeRange = (text: string): boolean => isInstantInRange(Date.parse(text));
/** The cursor's own time format (see `time`): exact to the microsecond. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function decodeExportCursor(entity: ExportEntity, cursor: string): { k: string; id: string } {
  const malformed = badInput(
    'cursor: malformed; pass the X-Next-Cursor of a previous export',
    'cursor',
  );
  let payload: Partial<CursorPayload> | null;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    throw malformed;
  }
  if (!payload || typeof payload.k !== 'string' || typeof payload.id !== 'string') throw malformed;
  if (payload.e !== entity) {
    throw badInput(`cursor: it belongs to the ${payload.e} export, not ${entity}`, 'cursor');
  }
  const valid =
    SPECS[entity].key === 'sequence'
      ? /^\d{1,18}$/.test(payload.k)
      : CURSOR_TIME.test(payload.k) && inTimeRange(payload.k) && isId(payload.id);
  if (!valid) throw malformed;
  return { k: payload.k, id: payload.id };
}

const exportQuery = z.object({
  cursor: z.string().max(1_000).optional(),
  updatedSince: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .refine(inTimeRange, `must be an instant from ${INSTANT_RANGE}`)
    .optional(),
});

/**
 * The export a request's query string asks for, every parameter checked
 * (BAD_USER_INPUT naming it) before a connection is taken or a header is
 * set: what reaches the SQL is then a value PostgreSQL takes.
 */
export function parseExportRequest(
  entity: ExportEntity,
  format: ExportFormat,
  query: Record<string, unknown>,
): ExportRequest {
  const parsed = exportQuery.safeParse({ cursor: query.cursor, updatedSince: query.updatedSince });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0]);
    throw badInput(
      field === 'updatedSince'
        ? `updatedSince: ${issue.code === 'custom' ? issue.message : 'one ISO 8601 date-time (2026-01-01T00:00:00Z)'}`
        : 'cursor: malformed; pass the X-Next-Cursor of a previous export',
      field,
    );
  }
  const { cursor, updatedSince } = parsed.data;
  return {
    entity,
    format,
    cursor: cursor ? { text: cursor, ...decodeExportCursor(entity, cursor) } : null,
    updatedSince: updatedSince ?? null,
  };
}

export type ExportRequest = {
  entity: ExportEntity;
  format: ExportFormat;
  /** As sent (`text`) and decoded. */
  cursor: { text: string; k: string; id: string } | null;
  /** A checked ISO 8601 time. */
  updatedSince: string | null;
};

export type ExportFormat = 'ndjson' | 'csv';

/** Who may export what: the same scopes as the API; a key needs the EXPORT scope. */
export function assertMayExport(viewer: Viewer | null): Viewer {
  if (!viewer) throw new DomainError('UNAUTHENTICATED', 'Sign in or send an API key first');
  if (viewer.kind === 'partner' && !viewer.scopes.includes(ApiKeyScope.EXPORT)) {
    throw new DomainError('FORBIDDEN', 'This API key has no EXPORT scope');
  }
  return viewer;
}

export type PreparedExport = {
  /** The cursor that resumes after the last row of this export (the given one if it is empty). */
  nextCursor: string | null;
  /** The output lines; iterate once, inside the same transaction. */
  lines: ExportLines;
};

/**
 * What ends a line besides the LF that COPY writes after every row: RFC
 * 4180's CRLF for CSV, LF alone for NDJSON.
 */
const BEFORE_LF: Record<ExportFormat, string> = { csv: ` || E'\\r'`, ndjson: '' };

/** The export's connection as pg_stat_activity names it (operators and tests find it by this). */
export const EXPORT_APPLICATION_NAME = 'crm-export';

/**
 * An export's output lines, line ends included, in chunks of a few buffers
 * that are reused once the consumer releases them: COPY's text output of one
 * column, unescaped (copy-out.ts). Counts the rows on the way. `complete`
 * stays false if the consumer stopped early: the connection is then still
 * inside the COPY and must be closed (client.end()), not reused.
 */
export class ExportLines implements AsyncIterable<Buffer> {
  complete = false;
  private copy: CopyTextOut | null = null;

  constructor(
    private readonly client: Client,
    private readonly frame: RowFrame | null,
    private readonly copySql: string | null,
  ) {}

  get count(): number {
    return this.copy?.rows ?? 0;
  }

  /** The consumer has written `chunk` (one these lines gave it) and holds it no more. */
  release(chunk: Buffer): void {
    this.copy?.release(chunk);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (!this.copySql) {
      this.complete = true;
      return;
    }
    this.copy = this.client.query(new CopyTextOut(this.copySql, this.frame));
    yield* this.copy;
    this.complete = true;
  }
}

/**
 * Plans an export on `client`, which must be inside a REPEATABLE READ
 * transaction: finds the last row it will hold and returns a row stream that
 * ends there. Throws FORBIDDEN when the viewer sees no row of the entity at
 * all. The request's parameters are checked already (parseExportRequest).
 */
export async function prepareExport(
  em: EntityManager,
  client: Client,
  viewer: Viewer,
  request: ExportRequest,
): Promise<PreparedExport> {
  const spec = SPECS[request.entity];
  const base = spec.base(em, viewer);
  if (!base) {
    throw new DomainError('FORBIDDEN', `Your access does not include ${request.entity}`);
  }
  const params: unknown[] = [...base.params];
  const where: string[] = [];
  const cursor = request.cursor;
  const keyColumn = spec.key === 'sequence' ? 'b."sequence"' : 'b."updated_at"';
  if (request.updatedSince) {
    where.push(`${spec.key === 'sequence' ? 'b."received_at"' : keyColumn} >= ?::timestamptz`);
    params.push(request.updatedSince);
  }
  if (cursor && spec.key === 'sequence') {
    where.push(`b."sequence" > ?`);
    params.push(cursor.k);
  } else if (cursor) {
    where.push(`(b."updated_at", b."id") > (?::timestamptz, ?::uuid)`);
    params.push(cursor.k, cursor.id);
  }
  if (spec.key === 'updated') {
    // Stop short of writes that may still commit with an older updated_at (see the top).
    where.push(`b."updated_at" < least(now(), coalesce((
      select min(a."xact_start") from pg_stat_activity a
      where a."datname" = current_database() and a."backend_xid" is not null
        and a."pid" <> pg_backend_pid()), now()))
      - ?::int * interval '1 millisecond'`);
    params.push(SETTLE_MS);
  }
  const [ascending, descending] =
    spec.key === 'sequence'
      ? ['b."sequence"', 'b."sequence" desc']
      : ['b."updated_at", b."id"', 'b."updated_at" desc, b."id" desc'];
  const from = spec.from(base.sql);
  const filter = where.length ? `where ${where.join(' and ')}` : '';
  const lastSql = `select ${spec.key === 'sequence' ? 'b."sequence"::text' : time('b."updated_at"')} as k, b."id"::text as id
    from ${from} ${filter}
    order by ${descending} limit 1`;
  const last = await client.query<{ k: string; id: string }>(toNative(em, lastSql, params));
  const end = last.rows[0];
  const nextCursor = end
    ? encodeExportCursor(request.entity, end.k, end.id)
    : (request.cursor?.text ?? null);
  const line = lineSql(spec.columns, request.format, masksContactDetails(viewer));
  const upTo =
    spec.key === 'sequence'
      ? `b."sequence" <= ?`
      : `(b."updated_at", b."id") <= (?::timestamptz, ?::uuid)`;
  const streamSql = `copy (select ${line}${BEFORE_LF[request.format]} from ${from}
    where ${[...where, upTo].join(' and ')} order by ${ascending}) to stdout`;
  const streamParams = [
    ...params,
    ...(end ? (spec.key === 'sequence' ? [end.k] : [end.k, end.id]) : []),
  ];
  return {
    nextCursor,
    // COPY takes no parameters: the values are written into the statement as
    // literals, escaped by knex (quotes doubled, backslashes as E'' strings).
    lines: new ExportLines(
      client,
      request.format === 'ndjson' ? jsonFrame(spec.columns) : null,
      end
        ? em
            .getConnection()
            .getKnex()
            .raw(streamSql, streamParams as never[])
            .toQuery()
        : null,
    ),
  };
}

/** An NDJSON line around its columns' JSON values (lineSql). */
function jsonFrame(columns: Column[]): RowFrame {
  return {
    // Names are plain identifiers: JSON keys as they are.
    open: columns.map((column, index) =>
      Buffer.from(`${index === 0 ? '{' : ','}"${column.name}":`),
    ),
    close: Buffer.from('}\n'),
  };
}

/**
 * The SQL of one output line. PostgreSQL writes the JSON values and the CSV
 * fields, so the process only passes lines on: parsing 20-odd columns per row
 * in JavaScript was most of the time of an export. For NDJSON each value is a
 * column of the COPY, and the process writes the keys around them (jsonFrame):
 * the keys are much of a line, and every byte PostgreSQL sends is in a
 * socket read buffer that only a garbage collection frees. The values are
 * written by hand rather than by json_build_object, which looks up how to
 * write each argument's type on every row: over twice the database's time for
 * the orders export. Only free text needs escaping (to_json); see Column.
 */
function lineSql(columns: Column[], format: ExportFormat, masked: boolean): string {
  const expression = (column: Column) =>
    masked && column.contact ? maskSql(column.sql) : column.sql;
  if (format === 'ndjson') {
    const members = columns.map((column) => {
      const field = `(${expression(column)})`;
      const json =
        column.kind === 'text'
          ? `to_json(${field}::text)::text`
          : column.kind === 'value'
            ? `'"' || ${field}::text || '"'`
            : `${field}::text`;
      return `coalesce(${json}, 'null')`;
    });
    return members.join(', ');
  }
  return columns
    .map((column) => {
      const field = `(${expression(column)})::text`;
      if (column.kind === 'value' || column.kind === 'number') return `coalesce(${field}, '')`;
      const quoted = `replace(${field}, '"', '""') || '"'`;
      // OWASP's advice against formula injection: a spreadsheet runs a cell that starts with
      // = + - @ tab or CR, so such a cell is quoted behind a leading ' (docs/bi-exports.md).
      // Otherwise RFC 4180: quote a field holding a comma, quote, CR or LF; double its quotes.
      return `coalesce(case when ${field} ~ '^[-=+@\\t\\r]' then '"''' || ${quoted}
        when ${field} ~ '[",\\r\\n]' then '"' || ${quoted} else ${field} end, '')`;
    })
    .join(` || ',' || `);
}

/** The same masking as the API (scopes.ts maskContact), in SQL so rows stream untouched. */
function maskSql(sql: string): string {
  return `case when ${sql} is null or ${sql} = '' then null
    when position('@' in ${sql}) > 0 then left(${sql}, 1) || '***@' || split_part(${sql}, '@', 2)
    else left(${sql}, 4) || '*****' || right(${sql}, 2) end`;
}

/** knex's `?` placeholders to PostgreSQL's `$n`, the form pg takes. */
function toNative(
  em: EntityManager,
  sql: string,
  params: unknown[],
): { text: string; values: unknown[] } {
  const native = em
    .getConnection()
    .getKnex()
    .raw(sql, params as never[])
    .toSQL()
    .toNative();
  return { text: native.sql, values: [...native.bindings] };
}
