/**
 * Customer CSV import. The body is parsed as a stream (csv-parse), every row
 * normalized with the same rules as the API, and valid rows go to the
 * database in batches: one statement finds the batch's existing customers by
 * phone or e-mail, one multi-row insert (unnest of arrays) adds the new ones,
 * one update fills the blanks of the matched ones. Duplicates within the file
 * and against the database are reported as merged into the existing record;
 * invalid rows (a bad value, a malformed CSV line, a row the database
 * refuses) are rejected with their line, field and reason, and the others are
 * imported. Progress is written to the import_job row and published after
 * every batch. A body larger than the limit (IMPORT_MAX_BYTES) stops the job.
 */
import { randomUUID } from 'node:crypto';
import { finished, Transform, type Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse, type CsvError } from 'csv-parse';
import type { Logger } from 'pino';
import type { Viewer } from '../../auth/viewer';
import {
  ImportJob,
  type ImportMerge,
  type ImportRejection,
} from '../../entities/import-job.entity';
import { Gender, ImportJobStatus, Role } from '../../entities/enums';
import { rawRows } from '../../db/raw-sql';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type ImportJobProgressEvent } from '../../kernel/topics';
import { normalizeCustomerFields, type NormalizedCustomerFields } from './customer-input';
import { assertId, badInput, DomainError, notFound } from '../../kernel/errors';
import { phoneSpellings } from './phone';
import type { RequestScope } from '../../kernel/request-scope';
import { actingUserId } from '../shared/actor';

export const IMPORT_BATCH_SIZE = 2_000;
/** Rows listed by line in the report; the counts cover every row. */
export const REPORT_ROW_CAP = 1_000;

/** Header spellings accepted for each field (lower-cased, spaces and underscores removed). */
const HEADERS: Record<string, keyof RowFields> = {
  fullname: 'fullName',
  name: 'fullName',
  hoten: 'fullName',
  phone: 'phone',
  phonenumber: 'phone',
  sodienthoai: 'phone',
  sdt: 'phone',
  email: 'email',
  birthday: 'birthday',
  dateofbirth: 'birthday',
  ngaysinh: 'birthday',
  gender: 'gender',
  notes: 'notes',
  note: 'notes',
};
type RowFields = {
  fullName?: string;
  phone?: string;
  email?: string;
  birthday?: string;
  gender?: string;
  notes?: string;
};

type ValidRow = { line: number; fields: NormalizedCustomerFields & { fullName: string } };

export type ImportReport = {
  jobId: string;
  processed: number;
  imported: number;
  merged: number;
  rejected: number;
};

/** Longest notes cell taken (the other fields have their own limits in customer-input). */
export const IMPORT_NOTES_MAX = 10_000;

/** The body grew past the import size limit. */
export class ImportTooLargeError extends Error {
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`The file is larger than the import limit of ${maxBytes} bytes (IMPORT_MAX_BYTES)`);
    this.name = 'ImportTooLargeError';
  }
}

/** The client went away before the end of its file. */
export class ImportCutOffError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor() {
    super('The upload ended before the end of the file');
    this.name = 'ImportCutOffError';
  }
}

/** Passes the body on, and fails it as soon as it exceeds `maxBytes`. */
function capped(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new ImportTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): the row's fault, not the database's. */
function isRowRefusal(error: unknown): boolean {
  const state = (error as { code?: unknown; sqlState?: unknown } | null) ?? {};
  const code = typeof state.sqlState === 'string' ? state.sqlState : state.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** C0 control characters but tab, CR and LF, and DEL: PostgreSQL refuses NUL, and none belongs in a customer. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const headerKey = (raw: string): string =>
  raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

function toGender(raw: string | undefined): Gender | null | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toUpperCase();
  if (value in Gender) return Gender[value as keyof typeof Gender];
  throw badInput(`gender: "${raw}" is not one of ${Object.keys(Gender).join(', ')}`, 'gender');
}

/** A parsed CSV record as customer fields, or the reason it cannot be imported. */
function validate(
  record: Record<string, string>,
  now: Date,
): NormalizedCustomerFields & { fullName: string } {
  const row: RowFields = {};
  for (const [header, value] of Object.entries(record)) {
    const field = HEADERS[headerKey(header)];
    if (!field) continue;
    if (CONTROL.test(value)) throw badInput(`${field}: holds a control character`, field);
    row[field] = value;
  }
  if (!row.fullName?.trim()) throw badInput('fullName: required', 'fullName');
  if (row.notes && row.notes.length > IMPORT_NOTES_MAX) {
    throw badInput(`notes: at most ${IMPORT_NOTES_MAX} characters`, 'notes');
  }
  const fields = normalizeCustomerFields(
    {
      fullName: row.fullName,
      phone: row.phone,
      email: row.email,
      birthday: row.birthday,
      notes: row.notes,
      gender: toGender(row.gender),
    },
    now,
  );
  // A record with no phone and no e-mail could never be matched again: every re-import would add it anew.
  if (!fields.phone && !fields.email) {
    throw badInput('phone or email: at least one is required', 'phone');
  }
  return fields as NormalizedCustomerFields & { fullName: string };
}

class ImportRun {
  processed = 0;
  imported = 0;
  merged = 0;
  rejected = 0;
  rejections: ImportRejection[] = [];
  merges: ImportMerge[] = [];
  /** Phones and e-mails already seen in this file, so a repeat is a merge, not a second customer. */
  private seen = new Set<string>();

  constructor(
    private readonly em: EntityManager,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    readonly jobId: string,
  ) {}

  reject(line: number, field: string | null, reason: string): void {
    this.rejected += 1;
    if (this.rejections.length < REPORT_ROW_CAP) this.rejections.push({ line, field, reason });
  }

  private merge(line: number, customerId: string | null, matchedOn: string): void {
    this.merged += 1;
    if (this.merges.length < REPORT_ROW_CAP) this.merges.push({ line, customerId, matchedOn });
  }

  /**
   * Stores a batch. A row the database refuses fails its batch's
   * transaction; the batch is then stored row by row, so that only that row
   * is rejected (its reason says nothing of the SQL).
   */
  async flush(batch: ValidRow[]): Promise<void> {
    try {
      await this.store(batch);
    } catch (error) {
      if (!isRowRefusal(error)) throw error;
      for (const row of batch) {
        try {
          await this.store([row]);
        } catch (rowError) {
          if (!isRowRefusal(rowError)) throw rowError;
          this.logger.warn(
            { jobId: this.jobId, line: row.line },
            'import row refused by the database',
          );
          this.reject(row.line, null, 'row: could not be stored; check it for unusual values');
        }
      }
      await this.save(this.em);
    }
    this.bus.publish(TOPICS.importJobProgress, {
      jobId: this.jobId,
    } satisfies ImportJobProgressEvent);
  }

  /** Counters and reports as they were: restored when a batch's transaction fails. */
  private snapshot() {
    const { imported, merged, merges, seen } = this;
    return { imported, merged, merges: merges.length, seen: new Set(seen) };
  }

  private restore(before: ReturnType<ImportRun['snapshot']>): void {
    this.imported = before.imported;
    this.merged = before.merged;
    this.merges.length = before.merges;
    this.seen = before.seen;
  }

  private async store(batch: ValidRow[]): Promise<void> {
    const before = this.snapshot();
    try {
      await this.storeBatch(batch);
    } catch (error) {
      this.restore(before);
      throw error;
    }
  }

  private async storeBatch(batch: ValidRow[]): Promise<void> {
    const fresh: ValidRow[] = [];
    for (const row of batch) {
      const phoneKey = row.fields.phone ? `p:${row.fields.phone}` : null;
      const emailKey = row.fields.email ? `e:${row.fields.email}` : null;
      const repeat =
        (phoneKey && this.seen.has(phoneKey) && 'phone') ||
        (emailKey && this.seen.has(emailKey) && 'email');
      if (repeat) {
        this.merge(row.line, null, repeat);
        continue;
      }
      if (phoneKey) this.seen.add(phoneKey);
      if (emailKey) this.seen.add(emailKey);
      fresh.push(row);
    }
    await this.em.transactional(async (tx) => {
      const phones = fresh.flatMap((row) =>
        row.fields.phone ? phoneSpellings(row.fields.phone) : [],
      );
      const emails = fresh.flatMap((row) => (row.fields.email ? [row.fields.email] : []));
      // Stored e-mails are lower-cased on every write, so the plain (indexed) column is compared.
      const existing = await rawRows<{ id: string; phone: string | null; email: string | null }>(
        tx,
        // Two index lookups (= any(array)), not one OR, which would scan the whole table per batch.
        `select "id", "phone", "email", "created_at" from "customer"
         where "merged_into_id" is null and "phone" = any(array(select jsonb_array_elements_text(?::jsonb)))
         union
         select "id", "phone", "email", "created_at" from "customer"
         where "merged_into_id" is null and "email" = any(array(select jsonb_array_elements_text(?::jsonb)))
         order by "created_at", "id"`,
        [JSON.stringify(phones), JSON.stringify(emails)],
      );
      const byKey = new Map<string, string>();
      for (const row of existing) {
        if (row.phone)
          for (const spelling of phoneSpellings(row.phone))
            if (!byKey.has(`p:${spelling}`)) byKey.set(`p:${spelling}`, row.id);
        if (row.email && !byKey.has(`e:${row.email}`)) byKey.set(`e:${row.email}`, row.id);
      }
      const inserts: ValidRow[] = [];
      const fills: { id: string; row: ValidRow }[] = [];
      for (const row of fresh) {
        const byPhone = row.fields.phone ? byKey.get(`p:${row.fields.phone}`) : undefined;
        const byEmail = row.fields.email ? byKey.get(`e:${row.fields.email}`) : undefined;
        const match = byPhone ?? byEmail;
        if (match) {
          this.merge(row.line, match, byPhone ? 'phone' : 'email');
          fills.push({ id: match, row });
        } else inserts.push(row);
      }
      const now = new Date();
      // One JSON parameter per statement: a batch of any size is one round trip with no parameter limit.
      if (inserts.length > 0) {
        await rawRows(
          tx,
          `insert into "customer" ("id", "full_name", "phone", "email", "birthday", "gender", "notes", "created_at", "updated_at")
           select u.id, u.full_name, u.phone, u.email, u.birthday, u.gender::gender, u.notes, ?, ?
           from jsonb_to_recordset(?::jsonb)
             as u(id uuid, full_name text, phone text, email text, birthday date, gender text, notes text)`,
          [
            now,
            now,
            JSON.stringify(
              inserts.map((row) => ({
                id: randomUUID(),
                full_name: row.fields.fullName,
                phone: row.fields.phone ?? null,
                email: row.fields.email ?? null,
                birthday: row.fields.birthday ?? null,
                gender: row.fields.gender ?? null,
                notes: row.fields.notes ?? null,
              })),
            ),
          ],
        );
        this.imported += inserts.length;
      }
      if (fills.length > 0) {
        // The existing record wins; the file only fills what it lacks.
        await rawRows(
          tx,
          `update "customer" c set
             "email" = coalesce(c."email", u.email), "birthday" = coalesce(c."birthday", u.birthday),
             "gender" = coalesce(c."gender", u.gender::gender), "updated_at" = ?
           from (select distinct on (id) * from jsonb_to_recordset(?::jsonb)
                   as t(id uuid, email text, birthday date, gender text)) u
           where c."id" = u.id and (c."email" is null or c."birthday" is null or c."gender" is null)`,
          [
            now,
            JSON.stringify(
              fills.map(({ id, row }) => ({
                id,
                email: row.fields.email ?? null,
                birthday: row.fields.birthday ?? null,
                gender: row.fields.gender ?? null,
              })),
            ),
          ],
        );
      }
      await this.save(tx);
    });
  }

  async save(
    em: EntityManager,
    finished?: { status: ImportJobStatus; error?: string },
  ): Promise<void> {
    await rawRows(
      em,
      `update "import_job" set "processed" = ?, "imported" = ?, "merged" = ?, "rejected" = ?,
         "rejections" = ?::jsonb, "merges" = ?::jsonb,
         "status" = coalesce(?::import_job_status, "status"), "error" = ?, "finished_at" = ?
       where "id" = ?`,
      [
        this.processed,
        this.imported,
        this.merged,
        this.rejected,
        JSON.stringify(this.rejections),
        JSON.stringify(this.merges),
        finished?.status ?? null,
        finished?.error ?? null,
        finished ? new Date() : null,
        this.jobId,
      ],
    );
  }
}

export const customerImport = {
  /** Starts a job row at once, so its id can be handed out before the file is read. */
  async start(em: EntityManager, viewer: Viewer | null): Promise<ImportJob> {
    const job = em.create(ImportJob, {
      createdBy: actingUserId(viewer),
    });
    await em.flush();
    return job;
  },

  /**
   * Reads the CSV stream to its end and returns the report. Rows are
   * rejected one by one; only a body that grows past `maxBytes`, an upload
   * cut off, or an internal error fails the job (the batches before it stay
   * imported), and then `error` says which in words a client can act on.
   */
  async run(input: {
    em: EntityManager;
    bus: EventBus;
    logger: Logger;
    jobId: string;
    body: Readable;
    maxBytes: number;
  }): Promise<ImportReport> {
    const { em, bus, logger, jobId, body } = input;
    const run = new ImportRun(em, bus, logger, jobId);
    const now = new Date();
    const limiter = capped(input.maxBytes);
    const parser = parse({
      columns: true,
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      skip_records_with_error: true,
    });
    // A malformed record is one rejected row, not a failed file.
    parser.on('skip', (error: CsvError) => {
      run.processed += 1;
      const line = typeof error.lines === 'number' ? error.lines : 0;
      run.reject(line, null, `row: not valid CSV (${error.message})`);
    });
    // `pipe` forwards no error: the parser is failed by hand, and the rest of the body
    // is read and dropped, so that the client still receives the report.
    const stop = (error: Error) => {
      body.unpipe(limiter);
      body.resume();
      if (!parser.destroyed) parser.destroy(error);
    };
    limiter.on('error', stop);
    finished(body, (error) => {
      if (error) stop(new ImportCutOffError());
    });
    body.pipe(limiter).pipe(parser);
    let batch: ValidRow[] = [];
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: Record<string, string>;
        info: { lines: number };
      }>) {
        run.processed += 1;
        // Per-record info: the line the record ended on (the header is line 1).
        const line = info.lines;
        try {
          batch.push({ line, fields: validate(record, now) });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          const field = typeof error.details.field === 'string' ? error.details.field : null;
          run.reject(line, field, error.message);
        }
        if (batch.length >= IMPORT_BATCH_SIZE) {
          await run.flush(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await run.flush(batch);
      await run.save(em, { status: ImportJobStatus.SUCCEEDED });
    } catch (error) {
      stop(error instanceof Error ? error : new Error(String(error)));
      const known = error instanceof ImportTooLargeError || error instanceof ImportCutOffError;
      if (!known) logger.error({ err: error, jobId }, 'customer import failed');
      // Only this module's own messages reach the job row: a database error's text holds SQL.
      await run.save(em, {
        status: ImportJobStatus.FAILED,
        error: known
          ? error.message
          : 'The import stopped at an internal error; the rows stored before it stay imported',
      });
      bus.publish(TOPICS.importJobProgress, { jobId } satisfies ImportJobProgressEvent);
      throw error;
    }
    bus.publish(TOPICS.importJobProgress, { jobId } satisfies ImportJobProgressEvent);
    return {
      jobId,
      processed: run.processed,
      imported: run.imported,
      merged: run.merged,
      rejected: run.rejected,
    };
  },

  /** A job, for its creator or an admin. */
  async get({ em, viewer }: RequestScope, id: string): Promise<ImportJob> {
    const job = await em.findOne(ImportJob, { id: assertId(id) });
    if (!job || !importJobVisibleTo(viewer, job)) throw notFound('ImportJob', id);
    return job;
  },
};

export function importJobVisibleTo(viewer: Viewer | null, job: ImportJob): boolean {
  return viewer?.kind === 'user' && (viewer.role === Role.ADMIN || job.createdBy?.id === viewer.id);
}
