import { once } from 'node:events';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type Request, type Response } from 'express';
import type { Client } from 'pg';
import type { Logger } from 'pino';
import { authenticate } from '../auth/authenticate';
import type { TokenService } from '../auth/tokens';
import { DomainError, type ErrorCode } from '../services/errors';
import {
  assertMayExport,
  exportColumns,
  isExportEntity,
  prepareExport,
  type ExportFormat,
  type ExportLines,
} from '../services/export.service';
import { YoungGenerationPacer } from './young-generation';

/**
 * GET /exports/:entity — streams CSV or NDJSON; the protocol (cursor, headers,
 * trailer line) is in docs/reports-and-exports.md, "Exports".
 */

const NDJSON = 'application/x-ndjson';
const CSV = 'text/csv';

/** Each export holds a database connection for its whole length: a few at a time per process. */
const MAX_CONCURRENT_EXPORTS = 4;
const BOM = '\uFEFF';

type ClientPool = {
  acquireConnection: () => Promise<Client>;
  releaseConnection: (client: Client) => Promise<unknown>;
};

const STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

function sendError(
  res: Response,
  status: number,
  code: ErrorCode | 'NOT_ACCEPTABLE' | 'INTERNAL_SERVER_ERROR',
  message: string,
) {
  res.status(status).json({ error: { code, message } });
}

function formatOf(req: Request): ExportFormat | null {
  const asked = req.query.format;
  if (asked === 'ndjson' || asked === 'csv') return asked;
  if (asked !== undefined) return null;
  const accepted = req.accepts([NDJSON, CSV]);
  return accepted === CSV ? 'csv' : accepted === NDJSON ? 'ndjson' : null;
}

/** Resolves when the response can take more, or is gone (the client hung up). */
async function drained(res: Response): Promise<void> {
  // Already gone: its 'close' came and went, and waiting for it would hang the export.
  if (res.destroyed) return;
  const controller = new AbortController();
  await Promise.race([
    once(res, 'drain', { signal: controller.signal }),
    once(res, 'close', { signal: controller.signal }),
  ]).finally(() => controller.abort());
}

/** Bytes of export between two young-generation collections (see young-generation.ts). */
const COLLECT_EVERY_BYTES = 1024 * 1024;

async function writeLines(res: Response, lines: ExportLines): Promise<void> {
  const pacer = new YoungGenerationPacer(COLLECT_EVERY_BYTES);
  for await (const chunk of lines) {
    pacer.passed(chunk.length);
    // Backpressure: stop reading from the database until the client catches up.
    if (!res.write(chunk)) await drained(res);
    if (res.destroyed) break;
  }
}

export function createExportRouter(deps: {
  orm: MikroORM;
  tokens: TokenService;
  logger: Logger;
}): Router {
  const router = Router();
  let running = 0;

  router.get('/:entity', async (req, res) => {
    const entity = req.params.entity;
    if (!isExportEntity(entity)) {
      sendError(res, 404, 'NOT_FOUND', `No export named "${entity}"`);
      return;
    }
    const format = formatOf(req);
    if (!format) {
      sendError(
        res,
        406,
        'NOT_ACCEPTABLE',
        `Ask for ${NDJSON} or ${CSV} (Accept or ?format=ndjson|csv)`,
      );
      return;
    }
    if (running >= MAX_CONCURRENT_EXPORTS) {
      res.setHeader('Retry-After', '5');
      sendError(res, 429, 'RATE_LIMITED', 'Too many exports running; try again shortly');
      return;
    }
    running += 1;
    const em = deps.orm.em.fork();
    // knex's pool hands out its pg clients; knex types them as any.
    const pool = (em.getConnection().getKnex() as unknown as { client: ClientPool }).client;
    let client: Client | undefined;
    let lines: ExportLines | undefined;
    try {
      const viewer = assertMayExport(
        await authenticate(em, deps.tokens, {
          authorization: req.get('authorization'),
          apiKey: req.get('x-api-key'),
        }),
      );
      client = await pool.acquireConnection();
      await client.query('begin isolation level repeatable read read only');
      // A long export is one big plan: JIT would only add its compile time.
      await client.query('set local jit = off');
      const prepared = await prepareExport(em, client, viewer, {
        entity,
        format,
        cursor: typeof req.query.cursor === 'string' ? req.query.cursor : null,
        updatedSince: typeof req.query.updatedSince === 'string' ? req.query.updatedSince : null,
      });
      res.status(200);
      res.setHeader('Content-Type', `${format === 'csv' ? CSV : NDJSON}; charset=utf-8`);
      res.setHeader('Cache-Control', 'no-store');
      if (prepared.nextCursor) res.setHeader('X-Next-Cursor', prepared.nextCursor);
      res.setHeader('Trailer', 'X-Row-Count');
      if (format === 'csv') {
        res.setHeader('Content-Disposition', `attachment; filename="${entity}.csv"`);
      }
      lines = prepared.lines;
      if (format === 'csv') {
        // Column names are plain identifiers: the header needs no quoting.
        res.write(`${BOM}${exportColumns(entity).join(',')}\r\n`);
      }
      await writeLines(res, lines);
      if (!lines.complete) return; // the client hung up; `finally` closes the connection
      if (format === 'ndjson') {
        res.write(`${JSON.stringify({ nextCursor: prepared.nextCursor, rows: lines.count })}\n`);
      }
      await client.query('commit');
      if (!res.destroyed) {
        res.addTrailers({ 'X-Row-Count': String(lines.count) });
        res.end();
      }
    } catch (error) {
      if (lines?.complete !== false) await client?.query('rollback').catch(() => undefined);
      if (res.headersSent) {
        // Mid-stream: break the response so that no client takes a cut file for a whole one.
        deps.logger.error({ err: error, entity }, 'export failed while streaming');
        res.destroy(error instanceof Error ? error : undefined);
      } else if (error instanceof DomainError) {
        sendError(res, STATUS[error.code], error.code, error.message);
      } else {
        deps.logger.error({ err: error, entity }, 'export failed');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'The export failed; see the logs');
      }
    } finally {
      // Stopped inside the COPY, the connection still has rows coming and cannot
      // take another statement: closing it ends the backend's transaction.
      if (lines && !lines.complete) await lines.closeConnection();
      if (client) await pool.releaseConnection(client);
      running -= 1;
    }
  });

  return router;
}
