/**
 * The players' table client at `/`: plain static files (no build step) from `public/`, the Socket.IO
 * browser client from node_modules (socket.io's own `serveClient` is off), and the closed list of
 * error codes as a script, so the page words refusals from the same list the server answers with.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { staticDir } from '../transport/static-files';
import type { Router, RouteResult } from '../transport/router';
import { ERROR_CODES } from '../../../shared/codes';

/** Content types of the client's own files under `public/`. */
const WEB_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'table.js': 'text/javascript; charset=utf-8',
  'verify.js': 'text/javascript; charset=utf-8',
  'result.js': 'text/javascript; charset=utf-8',
  'history.js': 'text/javascript; charset=utf-8',
  'util.js': 'text/javascript; charset=utf-8',
};

/**
 * The page loads only its own scripts and style and talks only to this origin (HTTP and the
 * WebSocket, which CSP Level 3 lets 'self' cover); no inline script, no eval, no frames.
 */
export const WEB_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': WEB_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

/** Registers `/` and the client's files under `/play/`. */
export function registerWebRoutes(router: Router): void {
  const dir = staticDir(__dirname, path.join('server', 'src', 'web', 'public'));
  // Read once: the files are small and only change with a new release (a restart).
  const files = new Map(Object.keys(WEB_FILES).map((f) => [f, readFileSync(path.join(dir, f))]));
  const serve = (file: string): RouteResult => ({ body: files.get(file)!, contentType: WEB_FILES[file]!, headers: SECURITY_HEADERS });
  router.on('GET', '/', () => serve('index.html'));
  for (const file of Object.keys(WEB_FILES)) router.on('GET', `/play/${file}`, () => serve(file));

  // The package exports only its package.json and the unminified bundle; the minified one sits beside it.
  const clientDir = path.join(path.dirname(require.resolve('socket.io-client/package.json')), 'dist');
  const socketClient = readFileSync(path.join(clientDir, 'socket.io.min.js'));
  router.on('GET', '/play/socket.io.min.js', () => ({ body: socketClient, contentType: 'text/javascript; charset=utf-8', headers: SECURITY_HEADERS }));

  const codes = Buffer.from(`'use strict';\nwindow.FELT_ERROR_CODES = Object.freeze(${JSON.stringify(ERROR_CODES)});\n`);
  router.on('GET', '/play/codes.js', () => ({ body: codes, contentType: 'text/javascript; charset=utf-8', headers: SECURITY_HEADERS }));
}
