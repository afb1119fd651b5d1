import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux Node runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds used so far by every process with this command name
 * (all PostgreSQL backends and workers, say), from /proc; null where there
 * is no /proc. Processes that exited in between are not counted.
 */
export function cpuOfProcesses(command: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command is in parentheses and may hold spaces; the fields after it are fixed.
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== command) continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // Gone since the listing.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
