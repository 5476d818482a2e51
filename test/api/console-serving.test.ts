import { afterAll, describe, expect, it } from 'vitest';
import { startConnectorWorld } from '../support/connectors.js';

const world = await startConnectorWorld({ worker: false });
afterAll(() => world.stop());
const url = (path: string) => `${world.system.url}${path}`;

async function assetPaths(): Promise<string[]> {
  const html = await (await fetch(url('/console/'))).text();
  return [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((match) => match[1]!);
}

describe('the console is served by the API at /console', () => {
  it('redirects /console to /console/', async () => {
    const response = await fetch(url('/console'), { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('answers the page with a strict CSP: own scripts and styles only, nothing inline, never framed', async () => {
    const response = await fetch(url('/console/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle="/);
  });

  it('answers the same page for any console path, so links into it survive a reload', async () => {
    const response = await fetch(url('/console/conversations/some-id'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<div id="app"></div>');
  });

  it('serves its hashed assets with long caching and the same CSP', async () => {
    const assets = await assetPaths();
    expect(assets.some((path) => path.endsWith('.js'))).toBe(true);
    expect(assets.some((path) => path.endsWith('.css'))).toBe(true);
    for (const path of assets) {
      const response = await fetch(url(path));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
    }
  });

  it('answers a missing asset with a JSON 404, not the page', async () => {
    const response = await fetch(url('/console/assets/missing-0000.js'));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
  });
});
