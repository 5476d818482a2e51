import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface GuardedProcess {
  readonly pid: number;
  /** Resolves with the exit code once the process (and its guard) ended. */
  readonly exited: Promise<number | null>;
  /** Lines of output so far (stdout and stderr), for error messages. */
  recentOutput(): string;
  onLine(listener: (line: string) => void): void;
  stop(): Promise<void>;
  /** SIGKILLs the command itself, not the guard, as a crash would (fault-injection tests); resolves once it exited. */
  kill(): Promise<void>;
}

/**
 * Starts `command` under switchboard-guard: the guard reads our stdin pipe and
 * stops the child when it closes, so even a SIGKILLed parent leaves no server
 * behind. Output goes to `logFile` and is kept in memory for diagnostics.
 */
export function startGuarded(options: {
  guardBinary: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): GuardedProcess {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(options.guardBinary, ['--', options.command, ...options.args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  let pending = '';
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      for (const listener of listeners) listener(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // Never let the parent's event loop be held open by the guard's pipes.
  child.stdin?.on('error', () => {});
  let logClosed: Promise<void> | undefined;
  const closeLog = () => (logClosed ??= new Promise<void>((resolve) => log.end(() => resolve())));

  return {
    pid: child.pid ?? -1,
    exited,
    recentOutput: () => lines.slice(-40).join('\n'),
    onLine: (listener) => listeners.push(listener),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        child.kill('SIGTERM');
      }
      await exited;
      await closeLog();
    },
    async kill() {
      // The guard starts the command in its own process group (Setpgid), so this also reaches its children.
      for (const pid of childPids(child.pid ?? -1)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
      await closeLog();
    },
  };
}

function childPids(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // Fields after "pid (comm)": state, ppid, ...
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false; // ended while we looked
      }
    })
    .map(Number);
}
