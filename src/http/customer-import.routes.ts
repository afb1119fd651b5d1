/**
 * POST /imports/customers: a CSV body (text/csv), authenticated like GraphQL
 * (Bearer token). The job id goes out in the headers at once (202,
 * X-Import-Job-Id), so a client can follow `importJob(id)` or the
 * `importJobProgress` subscription while the body streams in; the report is
 * the response body once the file is read.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { Logger } from 'pino';
import { authenticate } from '../auth/authenticate';
import { IMPORT_ACCESS, permits } from '../auth/permissions';
import type { TokenService } from '../auth/tokens';
import type { EventBus } from '../realtime/event-bus';
import { customerImport } from '../services/customer-import.service';
import { DomainError } from '../services/errors';

export function createCustomerImportRouter(deps: {
  orm: MikroORM;
  bus: EventBus;
  tokens: TokenService;
  logger: Logger;
}): Router {
  const router = Router();
  router.post('/customers', async (req, res) => {
    const em = deps.orm.em.fork();
    let viewer;
    try {
      viewer = await authenticate(em, deps.tokens, {
        authorization: req.get('authorization'),
        apiKey: req.get('x-api-key'),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      res.status(401).json({ error: error.message, code: error.code });
      return;
    }
    if (!viewer) {
      res.status(401).json({ error: 'Sign in first', code: 'UNAUTHENTICATED' });
      return;
    }
    if (!permits(IMPORT_ACCESS, viewer)) {
      res.status(403).json({ error: 'Your role may not import customers', code: 'FORBIDDEN' });
      return;
    }
    if (!req.is('text/csv')) {
      res.status(415).json({ error: 'Send the file as text/csv', code: 'BAD_USER_INPUT' });
      return;
    }
    const job = await customerImport.start(em, viewer);
    res.status(202).set({ 'content-type': 'application/json', 'x-import-job-id': job.id });
    res.flushHeaders();
    try {
      const report = await customerImport.run(deps.orm.em.fork(), deps.bus, job.id, req);
      res.end(JSON.stringify(report));
    } catch (error) {
      deps.logger.error({ err: error, jobId: job.id }, 'customer import failed');
      // The status is already sent: the body and the job row say what happened.
      res.end(JSON.stringify({ jobId: job.id, error: 'The file could not be read to its end' }));
    }
  });
  return router;
}
