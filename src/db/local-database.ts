import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** A PostgreSQL that another process (`npm start`) already runs on a data directory. */
export type RunningCluster = { pid: number; port: number };

/**
 * The cluster running on `dataDir`, read from the `postmaster.pid` file
 * PostgreSQL keeps there while it runs (line 1 its pid, line 4 its port), or
 * null when none runs. A second process may not start a cluster on a data
 * directory in use, but it may connect to the one running there: that is how
 * the CLI scripts work beside a running server.
 */
export async function runningCluster(dataDir: string): Promise<RunningCluster | null> {
  let text: string;
  try {
    text = await readFile(path.join(path.resolve(dataDir), 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !Number.isSafeInteger(port) || port <= 0) {
    return null;
  }
  return isAlive(pid) ? { pid, port } : null;
}

/** A pid file left by a crash names a process that is gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another OS user (the `postgres` user when run as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
