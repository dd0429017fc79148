import { parse } from '../args.ts';
import { print, reloadOnChange, runtimeFor, type CliIo } from '../context.ts';
import { untilStopped } from '../signals.ts';
import { portOption, serveHttp } from '../web.ts';

export const help = `Usage: downbeat webserver [--port 8080]

Serves the web UI, the REST API (/api/v1, described at /api/v1/openapi.json), /metrics
(Prometheus) and /health on 127.0.0.1 until SIGINT or SIGTERM. It runs no tasks: pair it with
\`scheduler\` and \`worker\` processes on the same metadata DB (DOWNBEAT_DATABASE_URL).

Everything but /health and /login needs a login: a browser session from /login, HTTP Basic, or a
bearer token (POST /api/v1/auth/tokens). The first user is DOWNBEAT_ADMIN_USER with
DOWNBEAT_ADMIN_PASSWORD; when they are unset and there is no user yet, "admin" is created with a
generated password, printed once. The UI is built into web/dist when its build is stale. The
DAGs folder is loaded again when a file in it changes. The warehouse explorer (the Warehouse page,
/api/v1/warehouse) never writes the warehouse: it opens a DuckDB file read-only for each request
only, and cancels a query past DOWNBEAT_WAREHOUSE_QUERY_SECONDS (default 30).
  --port N   HTTP port (default 8080; 0 picks a free one)`;

export async function webserver(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' } });
  const port = portOption(values.port);
  const runtime = await runtimeFor(io);
  try {
    const http = await serveHttp(runtime, io, port, 'read-only');
    const reload = await reloadOnChange(runtime, io);
    print(io.stdout, `Downbeat webserver: ${http.url} (metadata ${runtime.db.location})`);
    await untilStopped();
    reload.close();
    await http.close();
    return 0;
  } finally {
    await runtime.close();
  }
}
