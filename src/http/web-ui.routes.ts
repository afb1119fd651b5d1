import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';

/** Where `npm run build:web` (scripts/web-build.ts) writes the dashboard and GraphiQL. */
export const WEB_DIST_DIR = join(__dirname, '..', '..', 'web', 'dist');

type WebUiOptions = {
  /** GraphiQL at /graphiql and for browsers at /graphql. */
  graphiql: boolean;
  distDir?: string;
};

/**
 * Everything a page loads comes from this origin: a page that fetched from a
 * CDN would be blank on a network cut off from the internet. The policy
 * makes any such fetch fail loudly in development too.
 */
function contentSecurityPolicy(req: Request): string {
  const socketOrigin = `${req.protocol === 'https' ? 'wss' : 'ws'}://${req.get('host') ?? ''}`;
  return [
    "default-src 'self'",
    `connect-src 'self' ${socketOrigin}`,
    // GraphiQL and its editor set inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A browser navigating to a URL asks for HTML first; a GraphQL client over GET does not. */
export function wantsHtmlPage(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.query.query === undefined &&
    req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) ===
      'text/html'
  );
}

export function createWebUiRouter({ graphiql, distDir = WEB_DIST_DIR }: WebUiOptions): Router {
  const router = express.Router();
  const page = (name: 'dashboard' | 'graphiql') => (req: Request, res: Response) => {
    const file = join(distDir, name, 'index.html');
    if (!existsSync(file)) {
      res
        .status(503)
        .type('text/plain')
        .send('The web UI is not built: run `npm run build:web` (npm start and npm test do it).');
      return;
    }
    res.set('Content-Security-Policy', contentSecurityPolicy(req));
    res.set('Cache-Control', 'no-cache');
    res.sendFile(file);
  };

  // Hashed file names: a new build gets new URLs, so the old ones can be cached for ever.
  // A script's own CSP would govern the workers it starts: the API's (nothing allowed) is dropped.
  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      setHeaders: (res) => res.removeHeader('Content-Security-Policy'),
    }),
  );
  router.get('/dashboard', (req, res, next) => {
    if (req.originalUrl.endsWith('/')) return next();
    res.redirect(301, '/dashboard/');
  });
  router.get(['/dashboard/', '/dashboard/*rest'], page('dashboard'));
  if (graphiql) {
    router.get(['/graphiql', '/graphiql/'], page('graphiql'));
    router.get('/graphql', (req, res, next) => {
      if (!wantsHtmlPage(req)) return next();
      page('graphiql')(req, res);
    });
  }
  return router;
}
