/**
 * POST /imports/customers: a CSV body (text/csv), authenticated like GraphQL
 * (Bearer token). The job id goes out in the headers at once (202,
 * X-Import-Job-Id), so a client can follow `importJob(id)` or the
 * `importJobProgress` subscription while the body streams in; the report is
 * the response body once the file is read. A body declared larger than
 * IMPORT_MAX_BYTES is refused with 413 before a job starts; one that grows
 * past it fails its job, and the report says so.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { authenticate } from '../auth/authenticate';
import { IMPORT_ACCESS, permits } from '../auth/permissions';
import type { TokenService } from '../auth/tokens';
import type { ImportLimits } from '../config';
import type { EventBus } from '../realtime/event-bus';
import {
  customerImport,
  ImportCutOffError,
  ImportTooLargeError,
} from '../services/customers/customer-import.service';
import { DomainError } from '../kernel/errors';

type Deps = {
  orm: MikroORM;
  bus: EventBus;
  tokens: TokenService;
  logger: Logger;
  limits: ImportLimits;
};

const refuse = (res: Response, status: number, code: string, error: string) =>
  res.status(status).json({ error, code });

async function importCustomers(deps: Deps, req: Request, res: Response): Promise<void> {
  const em = deps.orm.em.fork();
  let viewer;
  try {
    viewer = await authenticate(em, deps.tokens, {
      authorization: req.get('authorization'),
      apiKey: req.get('x-api-key'),
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refuse(res, 401, error.code, error.message);
    return;
  }
  if (!viewer) {
    refuse(res, 401, 'UNAUTHENTICATED', 'Sign in first');
    return;
  }
  if (!permits(IMPORT_ACCESS, viewer)) {
    refuse(res, 403, 'FORBIDDEN', 'Your role may not import customers');
    return;
  }
  if (!req.is('text/csv')) {
    refuse(res, 415, 'BAD_USER_INPUT', 'Send the file as text/csv');
    return;
  }
  const declared = Number(req.get('content-length'));
  if (declared > deps.limits.maxBytes) {
    // The body is not read: the connection closes after this answer.
    res.set('connection', 'close');
    refuse(res, 413, 'PAYLOAD_TOO_LARGE', new ImportTooLargeError(deps.limits.maxBytes).message);
    return;
  }
  const job = await customerImport.start(em, viewer);
  res.status(202).set({ 'content-type': 'application/json', 'x-import-job-id': job.id });
  res.flushHeaders();
  try {
    const report = await customerImport.run({
      em: deps.orm.em.fork(),
      bus: deps.bus,
      logger: deps.logger,
      jobId: job.id,
      body: req,
      maxBytes: deps.limits.maxBytes,
    });
    res.end(JSON.stringify(report));
  } catch (error) {
    // The status is already sent: the body and the job row say what happened.
    const known = error instanceof ImportTooLargeError || error instanceof ImportCutOffError;
    res.end(
      JSON.stringify({
        jobId: job.id,
        error: known ? error.message : 'The file could not be read to its end',
        code: known ? error.code : 'INTERNAL_SERVER_ERROR',
      }),
    );
  }
}

export function createCustomerImportRouter(deps: Deps): Router {
  const router = Router();
  router.post('/customers', (req, res) => {
    // Nothing may reach Express's final handler once the 202 is out: it would try to
    // answer a second time.
    importCustomers(deps, req, res).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'customer import request failed');
      if (res.headersSent) res.destroy();
      else refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'The import failed; see the logs');
    });
  });
  return router;
}
