import { OpenAPIHono } from '@hono/zod-openapi';
import {
  checkCountsOf,
  checksOfRun,
  countRuns,
  outcomesOf,
  runWindow,
  taskInstancesOf,
} from '../../store/read/index.ts';
import type { TaskOutcome } from '../../dag/index.ts';
import * as routes from '../api/routes/grid.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { iso } from '../present.ts';
import { dagRow } from './dags.ts';
import { runOf } from './runs.ts';
import { operatorsOf } from './task-instances.ts';

const seconds = (start: number | null, end: number | null) =>
  start === null || end === null ? null : (Number(end) - Number(start)) / 1000;

/** The grid (a window of runs × tasks), a run's checks, and per-run statistics for the charts. */
export function gridRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.getGrid, async (c) => {
    const dag = await dagRow(ctx, c.req.valid('param').dag_id);
    const { limit, before } = c.req.valid('query');
    const runs = await runWindow(ctx.db, dag.dag_id, limit + 1, before?.getTime());
    const shown = runs.slice(0, limit).reverse();
    const taskIds = [...(await operatorsOf(ctx, dag.dag_id)).keys()];
    const column = new Map(taskIds.map((id, i) => [id, i]));
    // A run a range run covered shows the range run's task instances (tasks_pk).
    const states = new Map<number, Api.TaskState[]>(
      shown.map((r) => [Number(r.tasks_pk), taskIds.map((): Api.TaskState => 'none')]),
    );
    for (const ti of await taskInstancesOf(ctx.db, [...states.keys()])) {
      const i = column.get(ti.task_id);
      const row = states.get(Number(ti.run_pk));
      if (i !== undefined && row) row[i] = ti.state;
    }
    const grid: Api.Grid = {
      task_ids: taskIds,
      runs: shown.map((r) => ({
        dag_run_id: r.run_id,
        logical_date: iso(r.logical_date) as string,
        state: r.state,
        run_type: r.run_type,
        duration: seconds(r.started_at, r.ended_at),
        states: states.get(Number(r.tasks_pk)) ?? [],
        range_run_id: r.range_run_id,
        deadline_missed: r.deadline_missed_at !== null,
        stale: r.stale_at !== null,
      })),
      total_runs: await countRuns(ctx.db, dag.dag_id),
      older: runs.length > limit && shown[0] ? iso(shown[0].logical_date) : null,
    };
    return c.json(grid, 200);
  });

  app.openapi(routes.getRunChecks, async (c) => {
    const { dag_id, run_id } = c.req.valid('param');
    const run = await runOf(ctx, dag_id, run_id);
    // A run a range run covered: the range's results for its interval, and those for the whole range.
    const covered = Number(run.tasks_pk) !== Number(run.id);
    const found = await checksOfRun(
      ctx.db,
      Number(run.tasks_pk),
      covered ? Number(run.logical_date) : undefined,
    );
    const checks: Api.CheckResult[] = found.map((r) => ({
      task_id: r.task_id,
      try_number: Number(r.try_number),
      name: r.name,
      sql: r.check_sql,
      expected: r.expected,
      actual: r.actual,
      passed: Boolean(Number(r.passed)),
      for_range: covered && r.interval_start === null,
    }));
    // A covered interval's rows: those its range run's operators gave per interval, and no others.
    const rows: Record<string, number> = {};
    for (const o of await outcomesOf(ctx.db, [Number(run.tasks_pk)])) {
      const n = covered ? rowsInInterval(o.outcome, Number(run.logical_date)) : rowsWritten(o.outcome);
      if (n !== undefined) rows[o.task_id] = n;
    }
    return c.json({ checks, rows } satisfies Api.RunChecks, 200);
  });

  app.openapi(routes.getDagStats, async (c) => {
    const dag = await dagRow(ctx, c.req.valid('param').dag_id);
    const { limit } = c.req.valid('query');
    const runs = (await runWindow(ctx.db, dag.dag_id, limit)).reverse();
    const operators = await operatorsOf(ctx, dag.dag_id);
    // A run a range run covered has the figures the range's operators gave per interval.
    const byTasks = new Map<number, typeof runs>();
    for (const r of runs) byTasks.set(Number(r.tasks_pk), [...(byTasks.get(Number(r.tasks_pk)) ?? []), r]);
    const staged = new Map<number, number>();
    const loaded = new Map<number, number>();
    for (const o of await outcomesOf(ctx.db, [...byTasks.keys()])) {
      const kind = operators.get(o.task_id) ?? '';
      const target = kind.startsWith('stage') ? staged : kind.startsWith('load') ? loaded : undefined;
      for (const r of byTasks.get(Number(o.run_pk)) ?? []) {
        const covered = Number(r.tasks_pk) !== Number(r.id);
        const n = (covered ? rowsInInterval(o.outcome, Number(r.logical_date)) : rowsWritten(o.outcome)) ?? 0;
        target?.set(Number(r.id), (target.get(Number(r.id)) ?? 0) + n);
      }
    }
    const checks = new Map((await checkCountsOf(ctx.db, runs)).map((r) => [r.run_pk, r]));
    const stats: Api.RunStats = {
      runs: runs.map((r) => ({
        dag_run_id: r.run_id,
        logical_date: iso(r.logical_date) as string,
        state: r.state,
        duration: seconds(r.started_at, r.ended_at),
        rows_staged: staged.get(Number(r.id)) ?? 0,
        rows_loaded: loaded.get(Number(r.id)) ?? 0,
        checks_passed: checks.get(Number(r.id))?.passed ?? 0,
        checks_failed: checks.get(Number(r.id))?.failed ?? 0,
      })),
    };
    return c.json(stats, 200);
  });

  return app;
}

/**
 * The rows a range run's try reported writing in the interval at `logicalDate`; undefined when it
 * did not give them per interval.
 */
function rowsInInterval(outcome: string | null, logicalDate: number): number | undefined {
  if (!outcome) return undefined;
  const parsed = JSON.parse(outcome) as TaskOutcome;
  const figures = parsed.intervals?.[new Date(logicalDate).toISOString()]?.rowsWritten;
  return figures && Object.values(figures).reduce((a, b) => a + Number(b), 0);
}

/** The rows a try reported writing, summed over its tables. */
function rowsWritten(outcome: string | null): number {
  if (!outcome) return 0;
  const parsed = JSON.parse(outcome) as { rowsWritten?: Record<string, number> };
  return Object.values(parsed.rowsWritten ?? {}).reduce((a, b) => a + Number(b), 0);
}
