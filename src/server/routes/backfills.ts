import { Hono } from 'hono';
import { backfillProgress, findBackfill, listBackfills, type BackfillRow } from '../../store/read/index.ts';
import {
  cancelBackfill,
  createBackfill,
  planBackfill,
  type BackfillRequest,
} from '../../store/runs/index.ts';
import { groupRanges, type IntervalsPerRun } from '../../lifecycle/index.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { presentBackfill } from '../present.ts';
import { isoDate, jsonBody, onlyFields, oneOf, requiredString, wholeNumber, type Json } from '../validate.ts';
import { dagRow, loadedDag } from './dags.ts';

const MAX_RUNS = 100_000;

/** Backfills: a dry-run preview, create, list with progress, cancel. */
export function backfillRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const request = async (body: Json): Promise<{ dagId: string; request: BackfillRequest }> => {
    onlyFields(body, [
      'dag_id',
      'from_date',
      'to_date',
      'reprocess_behavior',
      'max_active_runs',
      'max_intervals_per_run',
    ]);
    const row = await dagRow(ctx, requiredString(body, 'dag_id', 250));
    const dag = loadedDag(ctx, row.dag_id);
    if (!dag.schedule)
      throw badRequest(`DAG "${dag.id}" has no schedule: a backfill needs its intervals`, 'dag_id');
    const start = isoDate(body.from_date, 'from_date');
    const end = isoDate(body.to_date, 'to_date');
    if (end <= start) throw badRequest('"to_date" must be after "from_date" (it is exclusive)', 'to_date');
    return {
      dagId: dag.id,
      request: {
        start,
        end,
        reprocess: oneOf(
          body.reprocess_behavior,
          'reprocess_behavior',
          ['none', 'failed', 'completed', 'stale'],
          'none',
        ),
        maxActiveRuns: wholeNumber(body.max_active_runs, 'max_active_runs', {
          min: 1,
          max: 1000,
          default: dag.maxActiveRuns,
        }),
        maxIntervalsPerRun: intervalsPerRun(
          body.max_intervals_per_run,
          dag.backfillPolicy.maxIntervalsPerRun,
        ),
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

  app.post('/backfills/dry_run', async (c) => {
    const { dagId, request: r } = await request(await jsonBody(c.req));
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
    return c.json(preview);
  });

  app.post('/backfills', async (c) => {
    const { dagId, request: r } = await request(await jsonBody(c.req));
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

  app.get('/backfills', async (c) => {
    const dagId = c.req.query('dag_id');
    const limit = wholeNumber(c.req.query('limit'), 'limit', { min: 1, max: 500, default: 50 });
    const rows = await listBackfills(ctx.db, dagId, limit);
    const items = await Promise.all(rows.map((row) => present(ctx, row)));
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.Backfill>);
  });

  app.get('/backfills/:id', async (c) =>
    c.json(await present(ctx, await backfillOf(ctx, c.req.param('id')))),
  );

  app.post('/backfills/:id/cancel', async (c) => {
    const row = await backfillOf(ctx, c.req.param('id'));
    if (!(await cancelBackfill(ctx.db, Number(row.id), ctx.now())))
      throw conflict(`backfill ${row.id} is ${row.state}: only a running backfill can be cancelled`);
    return c.json(await present(ctx, await backfillOf(ctx, String(row.id))));
  });

  return app;
}

async function backfillOf(ctx: ServerContext, raw: string): Promise<BackfillRow> {
  const id = wholeNumber(raw, 'id', { min: 1, max: Number.MAX_SAFE_INTEGER, default: 0 });
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

/** `max_intervals_per_run`: a whole number ≥ 1 or "all"; 400 naming the field otherwise. */
function intervalsPerRun(value: Json[string], fallback: IntervalsPerRun): IntervalsPerRun {
  if (value === undefined) return fallback;
  if (value === 'all') return 'all';
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw badRequest('"max_intervals_per_run" must be a whole number ≥ 1 or "all"', 'max_intervals_per_run');
}
