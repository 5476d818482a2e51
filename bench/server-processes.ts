import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
const TICK_MS = 10;

/**
 * The server processes (FerretDB, Temporal) whose command line names `root` — the bench's own
 * temporary directory — found in /proc, without their switchboard-guard. Empty where /proc is absent.
 */
export function findServerProcesses(root: string, guardBinary: string): Record<'database' | 'temporal', number | undefined> {
  const found: Record<'database' | 'temporal', number | undefined> = { database: undefined, temporal: undefined };
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const pid of entries) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv[0] === guardBinary || !argv.some((arg) => arg.includes(root))) continue;
    if (argv.includes('start-dev')) found.temporal = Number(pid);
    else if (argv.includes('-data')) found.database = Number(pid);
  }
  return found;
}

/** User + system CPU a process has used so far, in ms (undefined once it is gone). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}
