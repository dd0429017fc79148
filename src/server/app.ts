import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { alive } from '../store/admin/index.ts';
import { getOpenApiDocument } from './api/routes/auth.ts';
import type { Health } from './api/types.ts';
import { authentication, sessionRoutes } from './auth/auth.ts';
import { auditChanges } from './audit/audit-middleware.ts';
import { requireRole } from './auth/route-roles.ts';
import type { AppEnv, ServerContext } from './context.ts';
import { ApiError, errorHandler } from './errors.ts';
import { HistoryMetrics, prometheusMetrics } from './metrics.ts';
import { openApiDocument } from './openapi.ts';
import { backfillRoutes } from './routes/backfills.ts';
import { connectionRoutes } from './routes/connections.ts';
import { dagRoutes } from './routes/dags.ts';
import { eventLogRoutes } from './routes/event-logs.ts';
import { gridRoutes } from './routes/grid.ts';
import { markRoutes } from './routes/marks.ts';
import { poolRoutes } from './routes/pools.ts';
import { runLedgerRoutes } from './routes/run-ledger.ts';
import { runRoutes } from './routes/runs.ts';
import { taskInstanceRoutes } from './routes/task-instances.ts';
import { userRoutes } from './routes/users.ts';
import { warehouseRoutes } from './routes/warehouse.ts';
import { serveUi } from './static-ui.ts';
import { jsonBodies, validationHook } from './validate.ts';

/** Request bodies larger than this are refused with 413 before they are read whole. */
const MAX_BODY = 1024 * 1024;

/**
 * The HTTP app: /health (open), /login, then behind authentication the REST API (/api/v1),
 * /metrics and the web UI.
 */
export function createApp(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler(ctx.log));
  app.notFound((c) =>
    c.json(new ApiError(404, 'not_found', `no route ${c.req.method} ${c.req.path}`).body(), 404),
  );
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
    }),
  );
  app.use(
    bodyLimit({
      maxSize: MAX_BODY,
      onError: () => {
        // The rest of the body is not read: the connection cannot carry another request.
        throw new ApiError(413, 'too_large', `the request body is over ${MAX_BODY / 1024} KiB`, {
          headers: { connection: 'close' },
        });
      },
    }),
  );

  app.get('/health', async (c) => {
    const now = ctx.now();
    const scheduler = await alive(ctx.db, 'scheduler', now, 15_000).catch(() => false);
    const health: Health = { status: 'ok', scheduler: { alive: scheduler, last_heartbeat: null } };
    return c.json(health);
  });

  const auth = authentication(ctx);
  app.route('/', auth.routes);
  app.use('*', auth.require);

  // Each route validates its input by its schemas (validationHook: a 400 naming the field).
  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  api.use('*', requireRole('/api/v1'));
  api.use('*', auditChanges(ctx, { prefix: '/api/v1' }));
  api.use('*', jsonBodies('/api/v1'));
  api.openapi(getOpenApiDocument, (c) => c.json(openApiDocument(), 200));
  for (const routes of [
    dagRoutes,
    runRoutes,
    markRoutes,
    taskInstanceRoutes,
    gridRoutes,
    backfillRoutes,
    poolRoutes,
    connectionRoutes,
    warehouseRoutes,
    runLedgerRoutes,
    userRoutes,
    eventLogRoutes,
    sessionRoutes,
  ]) {
    api.route('/', routes(ctx));
  }
  api.all('*', (c) => {
    throw new ApiError(404, 'not_found', `no route ${c.req.method} ${c.req.path}`);
  });
  app.route('/api/v1', api);
  const history = new HistoryMetrics(ctx, ctx.metricsCacheMs ?? 30_000);
  app.get('/metrics', async (c) =>
    c.text(await prometheusMetrics(ctx, history), 200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    }),
  );
  app.get('*', serveUi(ctx.webRoot));
  return app;
}
