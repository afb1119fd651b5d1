import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

// Both pages are served by the API itself (src/http/web-ui.routes.ts), so
// everything they load comes from this build: nothing from a CDN.
export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    // GraphiQL with its editor is large by nature; it is served locally, once.
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // GraphiQL's React components carry "use client" directives, meaningless in a browser bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
      input: {
        dashboard: resolve(root, 'dashboard/index.html'),
        graphiql: resolve(root, 'graphiql/index.html'),
      },
    },
  },
});
