import { readdirSync, readFileSync } from 'node:fs';

/** Every pid in /proc (none where /proc is absent). */
function processIds(): string[] {
  try {
    return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
}

/** `read(pid)`, or undefined for a process that ended while we looked. */
function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The pid of `parent`'s (first) child: what a guard started. */
export function childPid(parent: number): number | undefined {
  const found = processIds().find((pid) => {
    const stat = readProc(pid, 'stat');
    // Fields after "pid (comm)": state, ppid, ...
    return stat !== undefined && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
  });
  return found === undefined ? undefined : Number(found);
}

/** The pid of a process (not a guard) whose arguments include every one of `parts`: a server we started with them. */
export function pidByArguments(parts: string[]): number | undefined {
  const found = processIds().find((pid) => {
    const argv = readProc(pid, 'cmdline')?.split('\0');
    return argv !== undefined && !argv[0]?.endsWith('switchboard-guard') && parts.every((part) => argv.includes(part));
  });
  return found === undefined ? undefined : Number(found);
}
