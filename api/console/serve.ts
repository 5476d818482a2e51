import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { NotFoundError, ServiceUnavailableError } from '../errors.js';

/**
 * The console's CSP: its own scripts and styles only (nothing inline, nothing from elsewhere),
 * calls to this origin only, never framed.
 */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/console, next to the compiled API (dist/api) or under the repository root when run from sources. */
export function defaultConsoleDir(): string {
  const here = fileURLToPath(new URL('..', import.meta.url));
  const root = path.basename(path.resolve(here, '..')) === 'dist' ? path.resolve(here, '..', '..') : path.resolve(here, '..');
  return path.join(root, 'dist', 'console');
}

/**
 * GET /console/…: the compiled console (`npm run build:console`). Hashed assets are cached for
 * good; every other path is the single page, which routes in the browser.
 */
export function mountConsole(app: Express, consoleDir: string = defaultConsoleDir()): void {
  const index = path.join(consoleDir, 'index.html');
  const headers = (res: express.Response) => {
    res.setHeader('Content-Security-Policy', consoleCsp);
    res.setHeader('Referrer-Policy', 'no-referrer');
  };
  // A router of its own: the console's pages are not API operations (/openapi.json lists those).
  const router = express.Router();
  router.use(
    '/assets',
    express.static(path.join(consoleDir, 'assets'), {
      immutable: true, maxAge: '365d', index: false,
      setHeaders: (res) => headers(res as express.Response),
    }),
  );
  router.use('/assets', (req, _res, next) => next(new NotFoundError({ code: 'route_not_found', message: `No console asset ${req.path}` })));
  router.get('/{*rest}', (req, res, next) => {
    if (req.originalUrl.split('?')[0] === '/console') return res.redirect(301, '/console/');
    if (!existsSync(index)) {
      return next(new ServiceUnavailableError({ code: 'console_not_built', message: 'The console is not built: run "npm run build:console"' }));
    }
    headers(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  app.use('/console', router);
}
