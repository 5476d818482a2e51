import { readJson } from '../support/http.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { startTestSystem, type TestSystem } from '../support/system.js';

let system: TestSystem;
let document: { openapi: string; paths: Record<string, Record<string, { operationId?: string; responses?: object }>> };
beforeAll(async () => {
  system = await startTestSystem();
  document = await readJson(await fetch(`${system.url}/openapi.json`));
});
afterAll(() => system?.stop());

/** Every (method, path) Express actually serves, in OpenAPI path syntax; CORS preflights aside. */
function servedRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((method) => method !== 'options' && method !== '_all')
        .map((method) => `${method} ${layer.route!.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
    )
    .sort();
}

function documentedRoutes(): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
    .sort();
}

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents exactly the routes the server serves', () => {
    expect(documentedRoutes()).toEqual(servedRoutes(system.api!.app.app));
    expect(documentedRoutes()).toContain('get /readyz');
  });

  it('gives every operation a unique operationId and documented responses', () => {
    const operations = Object.values(document.paths).flatMap((operations) => Object.values(operations));
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations) expect(Object.keys(operation.responses ?? {})).not.toHaveLength(0);
  });

  it('reaches a handler (not route_not_found) for every documented path', async () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        const url = `${system.url}${path.replace(/\{[^}]+\}/g, 'x')}`;
        const response = await fetch(url, { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, body: method === 'get' ? undefined : '{}' });
        // route_not_found is always JSON; HTML pages (secure forms) are handlers by definition.
        const body = response.headers.get('content-type')?.includes('json') ? await readJson(response) : undefined;
        expect(body?.error?.code, `${method} ${path}`).not.toBe('route_not_found');
      }
    }
  });
});
