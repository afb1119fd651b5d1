import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');
const STAMP = join(DIST, '.source-hash');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === DIST ? [] : sourceFiles(path);
    return [path];
  });
}

/** The web sources and the lockfile: a change to either needs a new bundle. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(WEB).sort(), join(ROOT, 'package-lock.json')]) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  }
  return hash.digest('hex');
}

/**
 * Builds web/ (the dashboard and GraphiQL) with Vite unless web/dist already
 * holds a build of these very sources, so `npm start` and `npm test` pay for
 * it once after a change, not on every run.
 */
export function ensureWebBuild(log: (line: string) => void = () => undefined): void {
  const hash = sourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return;
  log('Building the web UI (web/ → web/dist) with Vite…');
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(WEB, 'vite.config.mts'),
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`vite build failed (exit ${String(result.status)})`);
  writeFileSync(STAMP, hash);
}

if (require.main === module) {
  // eslint-disable-next-line no-console
  ensureWebBuild((line) => console.log(line));
}
