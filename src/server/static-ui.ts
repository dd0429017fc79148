import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built web UI: a file under the root when one matches (never a path outside it),
 * else index.html, so that the UI's own routes (/dags/x/grid) load the app.
 */
export function serveUi(root: string | undefined) {
  const base = root ? resolve(root) : undefined;
  return async (c: Context): Promise<Response> => {
    if (!base) return missing(c);
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.text('bad path', 400);
    }
    const file = resolve(join(base, path));
    if (file.startsWith(base + sep) && extname(file) !== '') {
      try {
        if ((await stat(file)).isFile()) {
          const immutable = path.startsWith('/assets/');
          return c.body(await readFile(file), 200, {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          });
        }
      } catch {
        // no such file: a UI route, or a missing asset below
      }
      if (path.startsWith('/assets/')) return c.text('not found', 404);
    }
    try {
      return c.html(await readFile(join(base, 'index.html'), 'utf8'), 200, { 'cache-control': 'no-cache' });
    } catch {
      return missing(c);
    }
  };
}

function missing(c: Context): Response {
  return c.text('The web UI is not built: run `npm run build:web` (npm start builds it when needed).', 503);
}
