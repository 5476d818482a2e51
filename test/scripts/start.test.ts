import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readJson } from '../support/http.js';
import { processesMentioning, spawnStart, waitForOutput, type StartedProcess } from '../support/npm-start.js';

const dirs: string[] = [];
async function tempDataDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-start-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function listSystemChecks(started: StartedProcess) {
  const response = await fetch(
    `http://127.0.0.1:${started.ports.ui}/api/v1/namespaces/default/workflows?query=${encodeURIComponent("WorkflowType='systemCheckWorkflow'")}`,
  );
  return ((await readJson(response)).executions ?? []) as { status: string }[];
}

describe('npm start on embedded defaults', () => {
  let dataDir: string;
  let started: StartedProcess;
  beforeAll(async () => {
    dataDir = await tempDataDir();
    started = await spawnStart({ dataDir });
    await waitForOutput(started, /Ready\. Press Ctrl\+C to stop\./);
  }, 180_000);
  afterAll(() => {
    if (started.child.exitCode === null) started.child.kill('SIGKILL');
  });

  it('prints the API and Temporal UI URLs', () => {
    expect(started.output()).toContain(`API:          http://127.0.0.1:${started.ports.api}`);
    expect(started.output()).toContain(`Temporal UI:  http://localhost:${started.ports.ui}`);
  });

  it('prints the console URL and serves the console there', async () => {
    expect(started.output()).toContain(`Console:      http://127.0.0.1:${started.ports.api}/console/`);
    const page = await fetch(`http://127.0.0.1:${started.ports.api}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"></div>');
  });

  it('answers /readyz 200', async () => {
    const response = await fetch(`http://127.0.0.1:${started.ports.api}/readyz`);
    expect(response.status).toBe(200);
  });

  it('serves Temporal UI, which lists the start-up self-check workflow as completed', async () => {
    expect((await fetch(`http://127.0.0.1:${started.ports.ui}/`)).status).toBe(200);
    await expect.poll(async () => (await listSystemChecks(started)).map((run) => run.status), { timeout: 15_000 }).toEqual([
      'WORKFLOW_EXECUTION_STATUS_COMPLETED',
    ]);
  });

  it('points Temporal UI at the codec server so operators see decoded payloads', async () => {
    const settings = await readJson(await fetch(`http://127.0.0.1:${started.ports.ui}/api/v1/settings`));
    expect(settings.Codec.Endpoint).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${started.ports.api}/codec/[A-Za-z0-9_-]{24,}$`));
  });

  it('stops cleanly on SIGTERM and leaves no process behind', async () => {
    expect(processesMentioning(dataDir).length).toBeGreaterThanOrEqual(2);
    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    expect(started.output()).toContain('Stopped.');
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it('keeps its data across restarts', async () => {
    const again = await spawnStart({ dataDir });
    try {
      await waitForOutput(again, /Ready\./);
      expect((await listSystemChecks(again)).length).toBe(2);
    } finally {
      again.child.kill('SIGINT');
      expect((await again.exited).code).toBe(0);
    }
    expect(processesMentioning(dataDir)).toEqual([]);
  });
});

describe('npm start when things go wrong', () => {
  it('leaves no server behind even when it is killed with SIGKILL', async () => {
    const dataDir = await tempDataDir();
    const started = await spawnStart({ dataDir });
    await waitForOutput(started, /Ready\./);
    expect(processesMentioning(dataDir).length).toBeGreaterThanOrEqual(2);

    started.child.kill('SIGKILL');
    await started.exited;
    await expect.poll(() => processesMentioning(dataDir), { timeout: 20_000, interval: 250 }).toEqual([]);
  }, 180_000);

  it('refuses to start with a bad setting and names the variable', async () => {
    const started = await spawnStart({ dataDir: await tempDataDir(), env: { PORT: 'eighty', LOG_LEVEL: 'loud' } });
    const { code } = await started.exited;
    expect(code).toBe(1);
    expect(started.output()).toMatch(/PORT: .*"eighty"/);
    expect(started.output()).toMatch(/LOG_LEVEL: /);
  });

  it('starts no local server when TEMPORAL_ADDRESS and MONGODB_URI are given', async () => {
    const dataDir = await tempDataDir();
    const started = await spawnStart({
      dataDir,
      env: { TEMPORAL_ADDRESS: inject('temporalAddress'), MONGODB_URI: inject('mongoUri'), MONGODB_DB: 'start_external', TEMPORAL_TASK_QUEUE: 'start-external' },
    });
    try {
      await waitForOutput(started, /Ready\./);
      expect(started.output()).not.toContain('Starting Temporal dev server');
      expect(started.output()).not.toContain('Starting FerretDB');
      expect(processesMentioning(dataDir)).toEqual([]);
      expect((await fetch(`http://127.0.0.1:${started.ports.api}/readyz`)).status).toBe(200);
    } finally {
      started.child.kill('SIGTERM');
      expect((await started.exited).code).toBe(0);
    }
  }, 120_000);
});
