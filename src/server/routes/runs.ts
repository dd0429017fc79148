import { OpenAPIHono } from '@hono/zod-openapi';
import { ParamError, resolveConf, type Dag, type DagSpec } from '../../dag/index.ts';
import {
  clearAcrossRuns,
  createRun,
  getRun,
  type ClearAcross,
  type ReadRunRow,
  type RunRow,
} from '../../store/runs/index.ts';
import { findRun, listRuns } from '../../store/read/index.ts';
import * as routes from '../api/routes/runs.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { presentRun } from '../present.ts';
import { dagRow, loadedDag } from './dags.ts';

/** Runs: list, detail, trigger; clearing a run or some of its tasks. */
export function runRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.listDagRuns, async (c) => {
    const dag = await dagRow(ctx, c.req.valid('param').dag_id);
    const q = c.req.valid('query');
    const { runs, total } = await listRuns(ctx.db, dag.dag_id, {
      states: q.state,
      logicalFrom: q.logical_date_gte?.getTime(),
      logicalTo: q.logical_date_lte?.getTime(),
      limit: q.limit,
      offset: q.offset,
      rangeRuns: q.range_runs === 'true',
    });
    return c.json({ items: runs.map(presentRun), total_entries: total } satisfies Api.Page<Api.DagRun>, 200);
  });

  app.openapi(routes.triggerDagRun, async (c) => {
    const row = await dagRow(ctx, c.req.valid('param').dag_id);
    const body = c.req.valid('json');
    const dag = loadedDag(ctx, row.dag_id);
    const conf = checkedConf(dag, body.conf ?? {});
    const run = dag.runFor(body.logical_date, 'manual', conf);
    const created = await createRun(ctx.db, dag, run, ctx.now());
    if (created === undefined) {
      const existing = await getRun(ctx.db, dag.id, run.logicalDate.getTime());
      throw conflict(
        `${dag.id} already has a run for ${run.logicalDate.toISOString()} (${existing?.run_id ?? '?'}, ${existing?.state ?? '?'}): ` +
          'clear that run to run it again (POST …/dagRuns/{run_id}/clear, or Clear in the UI)',
      );
    }
    return c.json(presentRun(await runOf(ctx, dag.id, run.runId)), 201);
  });

  app.openapi(routes.getDagRun, async (c) => {
    const { dag_id, run_id } = c.req.valid('param');
    return c.json(presentRun(await runOf(ctx, dag_id, run_id)), 200);
  });

  app.openapi(routes.clearDagRun, async (c) => {
    const { dag_id, run_id } = c.req.valid('param');
    const run = await runOf(ctx, dag_id, run_id);
    const body = c.req.valid('json');
    return c.json(
      await clear(ctx, run, undefined, {
        dryRun: body.dry_run ?? false,
        onlyFailed: body.only_failed ?? false,
      }),
      200,
    );
  });

  app.openapi(routes.clearTaskInstances, async (c) => {
    const dag = await dagRow(ctx, c.req.valid('param').dag_id);
    const body = c.req.valid('json');
    const run = await runOf(ctx, dag.dag_id, body.dag_run_id);
    const taskIds = body.task_ids;
    const known = new Set((JSON.parse(dag.spec) as DagSpec).tasks.map((t) => t.id));
    for (const id of taskIds ?? []) if (!known.has(id)) throw notFound(`task "${id}" of DAG "${dag.dag_id}"`);
    return c.json(
      await clear(ctx, run, taskIds, {
        downstream: body.include_downstream ?? false,
        upstream: body.include_upstream ?? false,
        future: body.include_future ?? false,
        past: body.include_past ?? false,
        onlyFailed: body.only_failed ?? false,
        dryRun: body.dry_run ?? false,
      }),
      200,
    );
  });

  return app;
}

export async function runOf(ctx: ServerContext, dagId: string, runId: string): Promise<ReadRunRow> {
  await dagRow(ctx, dagId);
  const run = await findRun(ctx.db, dagId, runId);
  if (!run) throw notFound(`run "${runId}" of DAG "${dagId}"`);
  return run;
}

async function clear(
  ctx: ServerContext,
  run: RunRow,
  taskIds: readonly string[] | undefined,
  options: ClearAcross & { dryRun: boolean },
): Promise<Api.ClearResult> {
  // A range run is history of its intervals' execution: each interval is cleared on its own.
  if (run.kind === 'range')
    throw badRequest(
      `"${run.run_id}" is a range run: clear the interval runs it covered (range_run_id = this id)`,
      'run_id',
    );
  let cleared: Awaited<ReturnType<typeof clearAcrossRuns>> = [];
  // A dry run: the same rule in a transaction rolled back, so it lists what would be cleared.
  await ctx.db
    .transaction(async (tx) => {
      cleared = await clearAcrossRuns(tx, run.id, taskIds, options);
      if (options.dryRun) throw new DryRun();
    })
    .catch((error: unknown) => {
      if (!(error instanceof DryRun)) throw error;
    });
  return {
    task_instances: cleared.flatMap((r) =>
      r.cleared.map((task_id) => ({ dag_run_id: r.runId, task_id, state: 'scheduled' as const })),
    ),
  };
}

class DryRun extends Error {}

/** A trigger's conf checked against its DAG's params (defaults filled in): 400 naming the field. */
function checkedConf(dag: Dag, conf: Record<string, unknown>): Record<string, unknown> {
  try {
    return resolveConf(dag.id, dag.params, conf);
  } catch (error) {
    if (error instanceof ParamError) throw badRequest(error.message, `conf.${error.field}`);
    throw error;
  }
}
