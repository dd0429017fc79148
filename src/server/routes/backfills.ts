import { OpenAPIHono, type z } from '@hono/zod-openapi';
import { backfillProgress, findBackfill, listBackfills, type BackfillRow } from '../../store/read/index.ts';
import {
  cancelBackfill,
  createBackfill,
  planBackfill,
  type BackfillRequest,
} from '../../store/runs/index.ts';
import { groupRanges } from '../../lifecycle/index.ts';
import * as routes from '../api/routes/backfills.ts';
import type { BackfillBodySchema } from '../api/schemas/backfills.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { presentBackfill } from '../present.ts';
import { dagRow, loadedDag } from './dags.ts';

const MAX_RUNS = 100_000;

/** Backfills: a dry-run preview, create, list with progress, cancel. */
export function backfillRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  const request = async (
    body: z.output<typeof BackfillBodySchema>,
  ): Promise<{ dagId: string; request: BackfillRequest }> => {
    const row = await dagRow(ctx, body.dag_id);
    const dag = loadedDag(ctx, row.dag_id);
    if (!dag.schedule)
      throw badRequest(`DAG "${dag.id}" has no schedule: a backfill needs its intervals`, 'dag_id');
    const start = body.from_date;
    const end = body.to_date;
    if (end <= start) throw badRequest('"to_date" must be after "from_date" (it is exclusive)', 'to_date');
    return {
      dagId: dag.id,
      request: {
        start,
        end,
        reprocess: body.reprocess_behavior ?? 'none',
        maxActiveRuns: body.max_active_runs ?? dag.maxActiveRuns,
        maxIntervalsPerRun: body.max_intervals_per_run ?? dag.backfillPolicy.maxIntervalsPerRun,
      },
    };
  };

  const plan = async (dagId: string, r: BackfillRequest) => {
    const runs = await planBackfill(ctx.db, loadedDag(ctx, dagId), r);
    if (runs.length > MAX_RUNS)
      throw badRequest(
        `that range has ${runs.length} intervals; at most ${MAX_RUNS} in one backfill`,
        'to_date',
      );
    return runs;
  };

  app.openapi(routes.previewBackfill, async (c) => {
    const { dagId, request: r } = await request(c.req.valid('json'));
    const runs = await plan(dagId, r);
    const dag = loadedDag(ctx, dagId);
    const preview: Api.BackfillPreview = {
      runs: runs.map((p) => ({
        logical_date: p.logicalDate.toISOString(),
        action: p.action,
        existing: p.existing,
      })),
      range_runs: groupRanges(runs, r.maxIntervalsPerRun ?? 1)
        .filter((range) => range.intervals.length > 1)
        .map((range) => ({
          from_date: new Date(range.intervals[0] as number).toISOString(),
          to_date: dag
            .intervalFor(new Date(range.intervals[range.intervals.length - 1] as number))
            .end.toISOString(),
          intervals: range.intervals.length,
        })),
    };
    return c.json(preview, 200);
  });

  app.openapi(routes.createBackfill, async (c) => {
    const { dagId, request: r } = await request(c.req.valid('json'));
    const planned = await plan(dagId, r);
    if (!planned.some((p) => p.action !== 'skip'))
      throw conflict(
        r.reprocess === 'stale'
          ? 'nothing to backfill: no run in that range is stale'
          : 'nothing to backfill: every interval in that range already has a run (see reprocess_behavior)',
      );
    const { id } = await createBackfill(ctx.db, loadedDag(ctx, dagId), r, ctx.now());
    return c.json(await present(ctx, (await findBackfill(ctx.db, id)) as BackfillRow), 201);
  });

  app.openapi(routes.listBackfills, async (c) => {
    const { dag_id: dagId, limit } = c.req.valid('query');
    const rows = await listBackfills(ctx.db, dagId, limit);
    const items = await Promise.all(rows.map((row) => present(ctx, row)));
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.Backfill>, 200);
  });

  app.openapi(routes.getBackfill, async (c) =>
    c.json(await present(ctx, await backfillOf(ctx, c.req.valid('param').id)), 200),
  );

  app.openapi(routes.cancelBackfill, async (c) => {
    const row = await backfillOf(ctx, c.req.valid('param').id);
    if (!(await cancelBackfill(ctx.db, Number(row.id), ctx.now())))
      throw conflict(`backfill ${row.id} is ${row.state}: only a running backfill can be cancelled`);
    return c.json(await present(ctx, await backfillOf(ctx, Number(row.id))), 200);
  });

  return app;
}

async function backfillOf(ctx: ServerContext, id: number): Promise<BackfillRow> {
  const row = await findBackfill(ctx.db, id);
  if (!row) throw notFound(`backfill ${id}`);
  return row;
}

async function present(ctx: ServerContext, row: BackfillRow): Promise<Api.Backfill> {
  const p = await backfillProgress(ctx.db, Number(row.id));
  return presentBackfill(row, {
    total: p?.total ?? 0,
    success: p?.success ?? 0,
    failed: p?.failed ?? 0,
    running: p?.running ?? 0,
    queued: p?.queued ?? 0,
  });
}
