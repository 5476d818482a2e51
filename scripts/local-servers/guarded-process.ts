import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface GuardedProcess {
  readonly pid: number;
  /** Resolves with the exit code once the process (and its guard) ended. */
  readonly exited: Promise<number | null>;
  /** Lines of output so far (stdout and stderr), for error messages. */
  recentOutput(): string;
  onLine(listener: (line: string) => void): void;
  stop(): Promise<void>;
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
}): GuardedProcess {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(options.guardBinary, ['--', options.command, ...options.args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env,
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
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
