import { readJson } from '../support/http.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { startTestSystem, type TestSystem } from '../support/system.js';

let system: TestSystem;
let document: {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; responses?: object; requestBody?: object }>>;
  components?: { schemas?: Record<string, object> };
};
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

  it('writes every pattern as an ECMA-262 regular expression without flags', () => {
    const patterns: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'pattern' && typeof value === 'string') patterns.push(value);
          else walk(value);
        }
      }
    };
    walk(document);
    expect(patterns).toContain('^(SM|MM)[0-9a-f]{32}$');
    for (const pattern of patterns) {
      expect(pattern, pattern).not.toMatch(/\/[a-z]+$/);
      expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
    }
  });

  it('describes the events of the event stream, each type with its data', () => {
    const stream = document.paths['/api/v1/events']!.get!.responses!['200' as keyof object] as { content: Record<string, Record<string, unknown>> };
    expect(stream.content['text/event-stream']!['x-itemSchema']).toEqual({ $ref: '#/components/schemas/StreamEvent' });
    const events = (document.components!.schemas!.StreamEvent as { oneOf: { properties: { event: { const?: string; enum?: string[] } } }[] }).oneOf;
    const types = events.map((event) => event.properties.event.const ?? event.properties.event.enum?.[0]);
    expect(types).toEqual(expect.arrayContaining(['conversation.assigned', 'message.created', 'message.status', 'form.submitted', 'session.ended']));
  });

  it('declares 413 and 415 on every operation that reads a body, and 503 on every operation', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses ?? {});
        expect(statuses, `${method} ${path}`).toContain('503');
        if (operation.requestBody) expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['400', '413', '415']));
      }
    }
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
