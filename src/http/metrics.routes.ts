import http from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import { bearsToken, metricsExposure } from './security';

/**
 * /metrics where the configuration puts it (security.ts, metricsExposure):
 * a route on the API's app, a server of its own for METRICS_PORT, or nothing.
 */
export function createMetricsRoutes(
  metrics: Metrics,
  config: Pick<Config, 'env' | 'metrics'>,
): { apiRouter: Router | null; server: http.Server | null } {
  const token = config.metrics.token;
  const serve = async (req: Request, res: Response) => {
    if (token && !bearsToken(req.get('authorization'), token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Unauthorized\n');
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
  const router = express.Router();
  router.get('/metrics', serve);
  switch (metricsExposure(config)) {
    case 'api-port':
      return { apiRouter: router, server: null };
    case 'metrics-port': {
      const app = express();
      app.disable('x-powered-by');
      app.use(router);
      return { apiRouter: null, server: http.createServer(app) };
    }
    case 'none':
      return { apiRouter: null, server: null };
  }
}
