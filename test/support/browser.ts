/**
 * Real Chromium for page tests: Debian's /usr/bin/chromium (installed by
 * scripts/ensure-chromium.sh) driven by playwright-core, plus axe-core checks.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  /** A fresh context (no cookies, no cache); closed with the browser. */
  newContext(options?: { bypassCSP?: boolean; viewport?: { width: number; height: number } }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Starts Chromium (playwright gives each launch a new, empty temporary profile,
 * removed on close). Fails, never skips, when Chromium is not installed.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} not found: run 'bash scripts/ensure-chromium.sh' (installs Debian's chromium) before the browser tests`);
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  return {
    newContext: (options = {}) =>
      browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, bypassCSP: options.bypassCSP ?? false }),
    close: () => browser.close(),
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; failureSummary?: string }[];
}

const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core on the page for WCAG 2.0/2.1 A and AA rules and returns the
 * violations. The page's CSP forbids scripts, so open it in a context made
 * with `bypassCSP: true` (CSP itself is tested separately, in a normal context).
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: await axeSource });
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const { axe, document } = globalThis as any;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return results.violations.map((violation: any) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      nodes: violation.nodes.map((node: any) => ({ target: node.target, failureSummary: node.failureSummary })),
    }));
  }, axeTags);
}

/** Violations as readable lines, for assertion messages. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`).join('\n');
}
