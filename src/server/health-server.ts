import { createServer, type Server } from 'node:http';

export interface HealthServerOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 8080 */
  readonly port?: number;
  /** What /health reports besides `status: ok`. */
  readonly status: () => Record<string, unknown>;
}

/**
 * The HTTP server's first route: /health, answered at once, without touching the metadata DB.
 * The REST API and web UI are not built yet; every other path is 404.
 */
export async function startHealthServer(
  options: HealthServerOptions,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ok', ...options.status() }));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'not_found', message: 'only /health is served so far' } }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${host}:${port}`, server };
}
