import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import proxyAddr from 'proxy-addr';
import type { Config } from '../config';

/**
 * Whose X-Forwarded-For is believed: a reverse proxy on this machine. One
 * rule for Express (`req.ip`) and for the WebSocket upgrade, which Express
 * never sees.
 */
export const trustProxy = proxyAddr.compile('loopback');

/** The client's address as `req.ip` computes it, for any request (WebSocket upgrades included). */
export const clientIpOf = (req: IncomingMessage): string => proxyAddr(req, trustProxy);

/**
 * helmet's standard headers on every answer. The API's own CSP allows
 * nothing (JSON and CSV load no resources); the web UI's pages replace it
 * with the policy they need (web-ui.routes.ts).
 */
export const securityHeaders = (): RequestHandler =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });

/** CORS for /graphql: the configured origins only (`'*'`: any; none listed: no CORS answer). */
export const graphqlCors = (origins: Config['corsOrigins']): RequestHandler =>
  cors({ origin: origins === '*' ? '*' : origins.length > 0 ? origins : false });

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. */
export function bearsToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

/**
 * Where /metrics is served and to whom: on METRICS_PORT when set (and then
 * not on the API port), behind METRICS_TOKEN when set, and in production
 * with neither, nowhere (a public /metrics maps the API for anyone).
 */
export function metricsExposure(
  config: Pick<Config, 'env' | 'metrics'>,
): 'api-port' | 'metrics-port' | 'none' {
  if (config.metrics.port !== undefined) return 'metrics-port';
  if (config.metrics.token || config.env !== 'production') return 'api-port';
  return 'none';
}

export function describeMetricsExposure(config: Pick<Config, 'env' | 'metrics'>): string {
  const guard = config.metrics.token ? ' (Bearer METRICS_TOKEN required)' : '';
  switch (metricsExposure(config)) {
    case 'metrics-port':
      return `metrics: /metrics on port ${config.metrics.port}${guard}`;
    case 'api-port':
      return `metrics: /metrics on the API port${guard || ' (public: set METRICS_TOKEN or METRICS_PORT to restrict it)'}`;
    case 'none':
      return 'metrics: /metrics not served (production without METRICS_TOKEN or METRICS_PORT)';
  }
}
