import { OpenAPIHono } from '@hono/zod-openapi';
import type { Dag, DagSpec } from '../../dag/index.ts';
import { nextScheduledRun } from '../../lifecycle/index.ts';
import { getDagRow, setPaused, type DagRow } from '../../store/runs/index.ts';
import {
  importErrors,
  latestScheduledRun,
  listDagRows,
  listRuns,
  recentRunStates,
} from '../../store/read/index.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import * as routes from '../api/routes/dags.ts';
import { notFound } from '../errors.ts';
import { iso, presentRun } from '../present.ts';

/** /dags, /dags/{dag_id} (with its graph), pause and unpause, /importErrors. */
export function dagRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.listDags, async (c) => {
    const rows = await listDagRows(ctx.db);
    const items = await Promise.all(rows.map((row) => summary(ctx, row)));
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.DagSummary>, 200);
  });

  app.openapi(routes.getDag, async (c) => {
    const row = await dagRow(ctx, c.req.valid('param').dag_id);
    return c.json(await detail(ctx, row), 200);
  });

  app.openapi(routes.patchDag, async (c) => {
    const row = await dagRow(ctx, c.req.valid('param').dag_id);
    await setPaused(ctx.db, row.dag_id, c.req.valid('json').is_paused);
    return c.json(await detail(ctx, await dagRow(ctx, row.dag_id)), 200);
  });

  app.openapi(routes.listImportErrors, async (c) => {
    const items: Api.ImportError[] = (await importErrors(ctx.db)).map((e) => ({
      file: e.file,
      message: e.message,
      updated_at: iso(e.updated_at) as string,
    }));
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.ImportError>, 200);
  });

  return app;
}

export async function dagRow(ctx: ServerContext, dagId: string): Promise<DagRow> {
  const row = await getDagRow(ctx.db, dagId);
  if (!row) throw notFound(`DAG "${dagId}"`);
  return row;
}

/** The DAG object of this process's folder: needed to plan runs. */
export function loadedDag(ctx: ServerContext, dagId: string): Dag {
  const dag = ctx.dags.get(dagId);
  if (!dag) throw notFound(`DAG "${dagId}" in this webserver's DAGs folder`);
  return dag;
}

async function summary(ctx: ServerContext, row: DagRow): Promise<Api.DagSummary> {
  const spec = JSON.parse(row.spec) as DagSpec;
  const recent = await recentRunStates(ctx.db, row.dag_id, 10);
  const { runs } = await listRuns(ctx.db, row.dag_id, { limit: 1, offset: 0 });
  return {
    dag_id: row.dag_id,
    description: spec.description || null,
    file: row.file,
    schedule: row.schedule,
    timezone: row.timezone,
    is_paused: Boolean(Number(row.is_paused)),
    is_active: Boolean(Number(row.is_active)),
    tags: spec.tags,
    next_run: await nextRun(ctx, row),
    last_run: runs[0] ? presentRun(runs[0]) : null,
    recent_runs: recent.map((r) => ({
      run_id: r.run_id,
      state: r.state,
      deadline_missed: r.deadline_missed_at !== null,
    })),
  };
}

async function detail(ctx: ServerContext, row: DagRow): Promise<Api.DagDetail> {
  const spec = JSON.parse(row.spec) as DagSpec;
  const downstream = new Map<string, string[]>(spec.tasks.map((t) => [t.id, []]));
  for (const task of spec.tasks) for (const up of task.upstream) downstream.get(up)?.push(task.id);
  return {
    ...(await summary(ctx, row)),
    start_date: iso(row.start_date) as string,
    params: Object.fromEntries(
      Object.entries(spec.params ?? {}).map(([name, p]) => [
        name,
        {
          type: p.type,
          default: p.default ?? null,
          description: p.description ?? null,
          required: p.required ?? false,
          values: p.values ?? null,
        },
      ]),
    ),
    version: row.version,
    catchup: Boolean(Number(row.catchup)),
    max_active_runs: Number(row.max_active_runs),
    tasks: spec.tasks.map((t) => ({
      task_id: t.id,
      operator: t.kind,
      upstream: t.upstream,
      downstream: downstream.get(t.id) ?? [],
      retries: t.settings.retries,
      config: t.config,
    })),
  };
}

/** The logical date of the next scheduled run, as the scheduler will choose it. */
async function nextRun(ctx: ServerContext, row: DagRow): Promise<string | null> {
  const dag = ctx.dags.get(row.dag_id);
  if (!dag?.schedule || Number(row.is_paused) || !Number(row.is_active)) return null;
  const next = nextScheduledRun(dag, await latestScheduledRun(ctx.db, row.dag_id), ctx.now());
  return next === undefined ? null : new Date(next).toISOString();
}
