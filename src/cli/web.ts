import { connectionAdmin, ensureFirstUser, ensureWebBuild, startWebServer } from '../server/index.ts';
import { print, type CliIo } from './context.ts';
import { UsageError } from './args.ts';
import type { Runtime } from './runtime.ts';

/**
 * The HTTP server of `standalone` and `webserver`: makes the first user when there is none,
 * builds the web UI when its build is stale, and serves the API, UI, /metrics and /health.
 */
export async function serveHttp(
  runtime: Runtime,
  io: CliIo,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  await ensureFirstUser(runtime.db, io.env, (line) => print(io.stdout, line), Date.now());
  let webRoot: string | undefined;
  try {
    webRoot = await ensureWebBuild((line) => print(io.stdout, line));
  } catch (error) {
    print(io.stderr, `the web UI could not be built (the API still serves): ${(error as Error).message}`);
  }
  try {
    return await startWebServer(
      {
        db: runtime.db,
        dags: runtime.folder.dags,
        connections: connectionAdmin(runtime.db, runtime.config, Date.now),
        now: Date.now,
        log: (line) => print(io.stderr, line),
        webRoot,
        metricsCacheMs: runtime.config.metricsCacheMs,
      },
      { port },
    );
  } catch (error) {
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
