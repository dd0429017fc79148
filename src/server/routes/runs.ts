import { Hono } from 'hono';
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
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { presentRun } from '../present.ts';
import {
  isoDate,
  jsonBody,
  oneOf,
  onlyFields,
  optionalBoolean,
  optionalDate,
  optionalObject,
  optionalStringList,
  requiredString,
  wholeNumber,
} from '../validate.ts';
import { dagRow, loadedDag } from './dags.ts';

const RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;

/** Runs: list, detail, trigger; clearing a run or some of its tasks. */
export function runRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/dags/:dag_id/dagRuns', async (c) => {
    const dag = await dagRow(ctx, c.req.param('dag_id'));
    const q = c.req.query();
    const states = q.state ? q.state.split(',') : undefined;
    for (const s of states ?? []) {
      if (!(RUN_STATES as readonly string[]).includes(s))
        throw badRequest(`"state" must be among ${RUN_STATES.join(', ')}, got "${s}"`, 'state');
    }
    const { runs, total } = await listRuns(ctx.db, dag.dag_id, {
      states: states as Api.RunState[] | undefined,
      logicalFrom: optionalDate(q.logical_date_gte, 'logical_date_gte')?.getTime(),
      logicalTo: optionalDate(q.logical_date_lte, 'logical_date_lte')?.getTime(),
      limit: wholeNumber(q.limit, 'limit', { min: 1, max: 1000, default: 100 }),
      offset: wholeNumber(q.offset, 'offset', { min: 0, max: 10_000_000, default: 0 }),
      rangeRuns: oneOf(q.range_runs, 'range_runs', ['true', 'false'], 'false') === 'true',
    });
    return c.json({ items: runs.map(presentRun), total_entries: total } satisfies Api.Page<Api.DagRun>);
  });

  app.post('/dags/:dag_id/dagRuns', async (c) => {
    const row = await dagRow(ctx, c.req.param('dag_id'));
    const body = await jsonBody(c.req);
    onlyFields(body, ['logical_date', 'conf']);
    const date = isoDate(body.logical_date, 'logical_date');
    const dag = loadedDag(ctx, row.dag_id);
    const conf = checkedConf(dag, optionalObject(body, 'conf') ?? {});
    const run = dag.runFor(date, 'manual', conf);
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

  app.get('/dags/:dag_id/dagRuns/:run_id', async (c) => {
    return c.json(presentRun(await runOf(ctx, c.req.param('dag_id'), c.req.param('run_id'))));
  });

  app.post('/dags/:dag_id/dagRuns/:run_id/clear', async (c) => {
    const run = await runOf(ctx, c.req.param('dag_id'), c.req.param('run_id'));
    const body = await jsonBody(c.req);
    onlyFields(body, ['dry_run', 'only_failed']);
    return c.json(
      await clear(ctx, run, undefined, {
        dryRun: optionalBoolean(body, 'dry_run') ?? false,
        onlyFailed: optionalBoolean(body, 'only_failed') ?? false,
      }),
    );
  });

  app.post('/dags/:dag_id/clearTaskInstances', async (c) => {
    const dag = await dagRow(ctx, c.req.param('dag_id'));
    const body = await jsonBody(c.req);
    onlyFields(body, [
      'dag_run_id',
      'task_ids',
      'include_downstream',
      'include_upstream',
      'include_future',
      'include_past',
      'only_failed',
      'dry_run',
    ]);
    const run = await runOf(ctx, dag.dag_id, requiredString(body, 'dag_run_id'));
    const taskIds = optionalStringList(body, 'task_ids');
    const known = new Set((JSON.parse(dag.spec) as DagSpec).tasks.map((t) => t.id));
    for (const id of taskIds ?? []) if (!known.has(id)) throw notFound(`task "${id}" of DAG "${dag.dag_id}"`);
    return c.json(
      await clear(ctx, run, taskIds, {
        downstream: optionalBoolean(body, 'include_downstream') ?? false,
        upstream: optionalBoolean(body, 'include_upstream') ?? false,
        future: optionalBoolean(body, 'include_future') ?? false,
        past: optionalBoolean(body, 'include_past') ?? false,
        onlyFailed: optionalBoolean(body, 'only_failed') ?? false,
        dryRun: optionalBoolean(body, 'dry_run') ?? false,
      }),
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
