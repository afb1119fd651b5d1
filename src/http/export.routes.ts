import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type Request, type Response } from 'express';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { authenticate } from '../auth/authenticate';
import type { TokenService } from '../auth/tokens';
import type { Viewer } from '../auth/viewer';
import type { ExportLimits } from '../config';
import { DomainError, type ErrorCode } from '../kernel/errors';
import {
  assertMayExport,
  EXPORT_APPLICATION_NAME,
  exportColumns,
  isExportEntity,
  parseExportRequest,
  prepareExport,
  type ExportFormat,
  type ExportLines,
  type ExportRequest,
} from '../services/exports/export.service';

/**
 * GET /exports/:entity — streams CSV or NDJSON; the protocol (cursor, headers,
 * trailer line) is in docs/reports-and-exports.md, "Exports".
 */

const NDJSON = 'application/x-ndjson';
const CSV = 'text/csv';

const BOM = '\uFEFF';

/** How often PostgreSQL checks that an export's client connection is still there. */
const CONNECTION_CHECK_MS = 1_000;

const STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

type AnswerCode = ErrorCode | 'NOT_ACCEPTABLE' | 'INTERNAL_SERVER_ERROR';

function sendError(res: Response, status: number, code: AnswerCode, message: string) {
  res.status(status).json({ error: { code, message } });
}

function formatOf(req: Request): ExportFormat | null {
  const asked = req.query.format;
  if (asked === 'ndjson' || asked === 'csv') return asked;
  if (asked !== undefined) return null;
  const accepted = req.accepts([NDJSON, CSV]);
  return accepted === CSV ? 'csv' : accepted === NDJSON ? 'ndjson' : null;
}

/** Headers this route sets for a stream: taken back when an error is answered before the body. */
const STREAM_HEADERS = [
  'Content-Type',
  'Cache-Control',
  'X-Next-Cursor',
  'Trailer',
  'Content-Disposition',
];

/**
 * Answers an error as JSON while nothing of the body has gone out; once the
 * body started, breaks the response, so that no client takes a cut file for
 * a whole one (and no JSON is written after an announced trailer).
 */
function answerError(res: Response, status: number, code: AnswerCode, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of STREAM_HEADERS) res.removeHeader(name);
  sendError(res, status, code, message);
}

type Waited = 'drained' | 'gone' | 'idle';

/**
 * Resolves when the response can take more, is gone (the client hung up), or
 * took nothing for `idleMs`; rejects on its error. Plain listeners and a
 * timer: an export waits here for every buffer it writes, and an
 * AbortController per wait made an error object each time it was aborted.
 */
function drained(res: Response, idleMs: number): Promise<Waited> {
  // Already gone: its 'close' came and went, and waiting for it would hang the export.
  if (res.destroyed) return Promise.resolve('gone');
  return new Promise<Waited>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      res.off('error', onError);
    };
    const onDrain = () => {
      done();
      resolve('drained');
    };
    const onClose = () => {
      done();
      resolve('gone');
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const timer = setTimeout(() => {
      done();
      resolve('idle');
    }, idleMs);
    res.once('drain', onDrain);
    res.once('close', onClose);
    res.once('error', onError);
  });
}

/** Writes the lines as fast as the client takes them; says why it stopped, if early. */
async function writeLines(
  res: Response,
  lines: ExportLines,
  idleMs: number,
): Promise<'done' | 'gone' | 'idle'> {
  for await (const chunk of lines) {
    // Backpressure: stop reading from the database until the client catches up.
    // The chunk's buffer is reused once the socket has taken it.
    if (!res.write(chunk, () => lines.release(chunk))) {
      const waited = await drained(res, idleMs);
      if (waited !== 'drained') return waited;
    }
    if (res.destroyed) return 'gone';
  }
  return 'done';
}

/**
 * Export slots: a few at a time per process (each holds a connection and a
 * transaction for its whole length), and fewer per user or API key, so that
 * one caller's slow downloads cannot take every slot.
 */
class ExportSlots {
  private running = 0;
  private readonly byViewer = new Map<string, number>();

  constructor(private readonly limits: ExportLimits) {}

  /** Takes a slot for `viewer`, or says which limit is reached. */
  take(viewer: string): 'taken' | 'server' | 'viewer' {
    const own = this.byViewer.get(viewer) ?? 0;
    if (own >= this.limits.perViewer) return 'viewer';
    if (this.running >= this.limits.maxConcurrent) return 'server';
    this.running += 1;
    this.byViewer.set(viewer, own + 1);
    return 'taken';
  }

  release(viewer: string): void {
    this.running -= 1;
    const own = (this.byViewer.get(viewer) ?? 1) - 1;
    if (own > 0) this.byViewer.set(viewer, own);
    else this.byViewer.delete(viewer);
  }
}

const slotKey = (viewer: Viewer): string =>
  viewer.kind === 'user' ? `user:${viewer.id}` : `key:${viewer.apiKeyId}`;

export function createExportRouter(deps: {
  orm: MikroORM;
  /** The database the ORM uses (DATABASE_URL or the embedded one). */
  databaseUrl: string;
  tokens: TokenService;
  logger: Logger;
  limits: ExportLimits;
}): Router {
  const router = Router();
  const slots = new ExportSlots(deps.limits);

  /** Who asks and for what, every check answered before a slot or connection is taken. */
  async function admit(
    req: Request,
    res: Response,
  ): Promise<{ viewer: Viewer; request: ExportRequest } | null> {
    const entity = req.params.entity;
    if (typeof entity !== 'string' || !isExportEntity(entity)) {
      sendError(res, 404, 'NOT_FOUND', `No export named "${String(entity)}"`);
      return null;
    }
    const format = formatOf(req);
    if (!format) {
      sendError(
        res,
        406,
        'NOT_ACCEPTABLE',
        `Ask for ${NDJSON} or ${CSV} (Accept or ?format=ndjson|csv)`,
      );
      return null;
    }
    try {
      const request = parseExportRequest(entity, format, req.query);
      const viewer = assertMayExport(
        await authenticate(deps.orm.em.fork(), deps.tokens, {
          authorization: req.get('authorization'),
          apiKey: req.get('x-api-key'),
        }),
      );
      return { viewer, request };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      sendError(res, STATUS[error.code], error.code, error.message);
      return null;
    }
  }

  async function stream(res: Response, viewer: Viewer, request: ExportRequest): Promise<void> {
    const { entity, format } = request;
    const em = deps.orm.em.fork();
    // A connection of its own, not one of the ORM pool's: an export holds it for
    // as long as its client takes to download, and a cut export closes it.
    const client = new Client({
      connectionString: deps.databaseUrl,
      application_name: EXPORT_APPLICATION_NAME,
    });
    // A connection lost between two statements is reported here; the next one fails too.
    client.on('error', (error) =>
      deps.logger.warn({ err: error, entity }, 'export connection lost'),
    );
    // A client that hangs up closes the connection at once, not at the next row: the
    // statement may still be sorting or waiting for a lock and send nothing for a while.
    const hangUp = () => {
      if (!res.writableFinished) void client.end().catch(() => undefined);
    };
    res.once('close', hangUp);
    try {
      await client.connect();
      await client.query('begin isolation level repeatable read read only');
      // A long export is one big plan: JIT would only add its compile time. PostgreSQL
      // otherwise notices a closed connection only when it next sends: the check
      // interval ends a statement that is still sorting or waiting for a lock.
      await client.query(
        `set local jit = off; set local client_connection_check_interval = ${CONNECTION_CHECK_MS}`,
      );
      const prepared = await prepareExport(em, client, viewer, request);
      res.status(200);
      res.setHeader('Content-Type', `${format === 'csv' ? CSV : NDJSON}; charset=utf-8`);
      res.setHeader('Cache-Control', 'no-store');
      if (prepared.nextCursor) res.setHeader('X-Next-Cursor', prepared.nextCursor);
      res.setHeader('Trailer', 'X-Row-Count');
      if (format === 'csv') {
        res.setHeader('Content-Disposition', `attachment; filename="${entity}.csv"`);
      }
      const lines = prepared.lines;
      if (format === 'csv') {
        // Column names are plain identifiers: the header needs no quoting.
        res.write(`${BOM}${exportColumns(entity).join(',')}\r\n`);
      }
      const stopped = await writeLines(res, lines, deps.limits.idleTimeoutMs);
      if (stopped === 'idle') {
        deps.logger.info(
          { entity },
          'export cut off: the client took nothing for the idle timeout',
        );
        res.destroy();
      }
      if (!lines.complete) return;
      if (format === 'ndjson') {
        res.write(`${JSON.stringify({ nextCursor: prepared.nextCursor, rows: lines.count })}\n`);
      }
      if (!res.destroyed) {
        res.addTrailers({ 'X-Row-Count': String(lines.count) });
        res.end();
      }
    } catch (error) {
      if (error instanceof DomainError) {
        answerError(res, STATUS[error.code], error.code, error.message);
      } else if (res.destroyed && !res.writableFinished) {
        deps.logger.info({ entity }, 'export cut off: the client hung up');
      } else {
        deps.logger.error(
          { err: error, entity },
          res.headersSent ? 'export failed while streaming' : 'export failed',
        );
        answerError(res, 500, 'INTERNAL_SERVER_ERROR', 'The export failed; see the logs');
      }
    } finally {
      res.off('close', hangUp);
      // Closing the connection ends its read-only transaction, whole or cut short;
      // inside the COPY, end() drops the socket rather than wait for the rows.
      await client.end().catch(() => undefined);
    }
  }

  router.get('/:entity', (req, res) => {
    // Nothing may reach Express's final handler: it cannot answer a response whose
    // body started (or whose trailer was announced), and its throw would end the process.
    const served = (async () => {
      const admitted = await admit(req, res);
      if (!admitted) return;
      const key = slotKey(admitted.viewer);
      const slot = slots.take(key);
      if (slot !== 'taken') {
        res.setHeader('Retry-After', '5');
        sendError(
          res,
          429,
          'RATE_LIMITED',
          slot === 'viewer'
            ? `You have ${deps.limits.perViewer} exports running; let one finish first`
            : 'Too many exports running; try again shortly',
        );
        return;
      }
      try {
        await stream(res, admitted.viewer, admitted.request);
      } finally {
        slots.release(key);
      }
    })();
    served.catch((error: unknown) => {
      deps.logger.error({ err: error }, 'export request failed');
      try {
        answerError(res, 500, 'INTERNAL_SERVER_ERROR', 'The export failed; see the logs');
      } catch {
        res.destroy();
      }
    });
  });

  return router;
}
