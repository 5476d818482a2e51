import type { RequestHandler } from 'express';
import { MethodNotAllowedError } from '../errors.js';
import type { ApiRoutes } from '../openapi/routes.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Express path syntax to a matcher the way Express matches it: case-insensitive, optional trailing slash. */
function matcherOf(path: string): RegExp {
  const pattern = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : escapeRegExp(segment)))
    .join('/');
  return new RegExp(`^${pattern}/?$`, 'i');
}

/**
 * After every route: a request for a path the API serves, with a method it does not declare
 * there (TRACE, or OPTIONS outside CORS preflights), is a 405 naming the methods in `Allow`.
 * Derived from the route registry, so it cannot disagree with /openapi.json.
 */
export function methodNotAllowed(routes: ApiRoutes): RequestHandler {
  let paths: { matcher: RegExp; methods: Set<string> }[] | undefined;
  const known = () => {
    if (paths) return paths;
    const byPath = new Map<string, Set<string>>();
    for (const route of routes.routes) {
      const methods = byPath.get(route.path) ?? new Set<string>();
      methods.add(route.method.toUpperCase());
      if (route.method === 'get') methods.add('HEAD');
      if (routes.preflightPaths.has(route.path)) methods.add('OPTIONS');
      byPath.set(route.path, methods);
    }
    paths = [...byPath].map(([path, methods]) => ({ matcher: matcherOf(path), methods }));
    return paths;
  };
  return (req, res, next) => {
    const allowed = new Set<string>();
    for (const { matcher, methods } of known()) if (matcher.test(req.path)) for (const method of methods) allowed.add(method);
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    const allow = [...allowed].sort().join(', ');
    res.set('Allow', allow);
    next(new MethodNotAllowedError({ message: `${req.method} is not allowed on ${req.path}; allowed: ${allow}` }));
  };
}
