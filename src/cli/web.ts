import { serveRuntime, type Runtime, type WarehouseAccess, type WebServer } from '../app/index.ts';
import { print, type CliIo } from './context.ts';
import { UsageError } from './args.ts';

/**
 * The HTTP server of `standalone` and `webserver`, its login and build lines on stdout; the
 * explorer reads the warehouse as `warehouse` says (DESIGN §8).
 */
export async function serveHttp(
  runtime: Runtime,
  io: CliIo,
  port: number,
  warehouse: WarehouseAccess,
): Promise<WebServer> {
  try {
    return await serveRuntime(runtime, {
      port,
      warehouse,
      print: (line) => print(io.stdout, line),
      warn: (line) => print(io.stderr, line),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    throw new UsageError(
      `cannot listen on port ${port}: ${(error as Error).message} (choose another with --port)`,
    );
  }
}

export function portOption(raw: string | undefined): number {
  const port = raw === undefined ? 8080 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, got "${raw}"`);
  return port;
}
