import { OpenAPIHono } from '@hono/zod-openapi';
import type { DagSpec } from '../../dag/index.ts';
import {
  intervalObjectsOf,
  reconciliationsOf,
  runLedger,
  runRejects,
  type RunObjectScope,
} from '../../operators/index.ts';
import { checksOfRun } from '../../store/read/index.ts';
import type { ReadRunRow } from '../../store/runs/index.ts';
import * as routes from '../api/routes/grid.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { dagRow } from './dags.ts';
import { runOf } from './runs.ts';
import { readWarehouse } from './warehouse.ts';

/**
 * Per run (DESIGN §8): its rejected source records, and its ledger — per staging table, lines
 * read = rows staged + rejected, and its reconciliation checks' latest results. Read from the
 * warehouse's staging bookkeeping and the run's recorded checks; a warehouse no stage has written
 * has no bookkeeping, and answers empty lists.
 */
export function runLedgerRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const use = readWarehouse(ctx);

  app.openapi(routes.listRunRejects, async (c) => {
    const { dag_id, run_id } = c.req.valid('param');
    const { run, spec } = await runAndSpec(ctx, dag_id, run_id);
    const { limit, offset } = c.req.valid('query');
    const scope = readScope(run, spec);
    const { page, tables } = await use(
      async (warehouse) => ({
        page: await runRejects(warehouse, scope, { limit, offset }),
        tables: await runLedger(warehouse, scope),
      }),
      false,
    );
    const answer: Api.RunRejects = {
      items: page.items.map((r) => ({ table: r.table, object_key: r.key, line: r.line, reason: r.reason })),
      total_entries: page.total,
      scope: scopeOf(run, tables.length === 0 || tables.every((t) => t.narrowed)),
      rejected: tables.reduce((sum, t) => sum + t.rejected, 0),
    };
    return c.json(answer, 200);
  });

  app.openapi(routes.getRunLedger, async (c) => {
    const { dag_id, run_id } = c.req.valid('param');
    const { run, spec } = await runAndSpec(ctx, dag_id, run_id);
    const figures = await use((warehouse) => runLedger(warehouse, readScope(run, spec)), false);
    const tables: Api.LedgerTable[] = figures.map((t) => ({
      table: t.table,
      scope: scopeOf(run, t.narrowed),
      objects: t.objects,
      lines_read: t.linesRead,
      rows_staged: t.rowsStaged,
      rejected: t.rejected,
      restaged: t.restaged,
      balanced: t.linesRead === t.rowsStaged + t.rejected,
    }));
    const reconciliations = await reconciliationsOfRun(ctx, run, spec);
    const judged = [...tables.map((t) => t.balanced), ...reconciliations.map((r) => r.passed)];
    const ledger: Api.RunLedger = {
      tables,
      reconciliations,
      passed: judged.length === 0 ? null : judged.every(Boolean),
    };
    return c.json(ledger, 200);
  });

  return app;
}

async function runAndSpec(
  ctx: ServerContext,
  dagId: string,
  runId: string,
): Promise<{ run: ReadRunRow; spec: DagSpec }> {
  const run = await runOf(ctx, dagId, runId);
  const spec = JSON.parse((await dagRow(ctx, dagId)).spec) as DagSpec;
  return { run, spec };
}

/** Whether the run's tasks ran in a range run that covered it (then the reads are the range's). */
const covered = (run: { id: number; tasks_pk: number }) => Number(run.tasks_pk) !== Number(run.id);

/**
 * The objects the run read: its own; for a covered interval, those its range run read that the
 * DAG's stages read in this interval (a staging table no stage names keeps the range's objects).
 */
function readScope(run: ReadRunRow, spec: DagSpec): RunObjectScope {
  if (!covered(run) || run.range_run_id === null) return { runId: run.run_id };
  const interval = { start: new Date(Number(run.interval_start)), end: new Date(Number(run.interval_end)) };
  return { runId: run.range_run_id, only: intervalObjectsOf(spec.tasks, interval) };
}

function scopeOf(run: { id: number; tasks_pk: number }, narrowed: boolean): Api.ReadScope {
  if (!covered(run)) return 'run';
  return narrowed ? 'interval' : 'range';
}

/** The latest results of the DAG's reconciliation checks in this run (a covered run: its interval's). */
async function reconciliationsOfRun(
  ctx: ServerContext,
  run: ReadRunRow,
  spec: DagSpec,
): Promise<Api.Reconciliation[]> {
  const wanted = reconciliationsOf(spec.tasks);
  if (wanted.size === 0) return [];
  const results = await checksOfRun(
    ctx.db,
    Number(run.tasks_pk),
    covered(run) ? Number(run.logical_date) : undefined,
  );
  return results
    .filter((r) => wanted.get(r.task_id)?.has(r.name))
    .map((r) => ({
      task_id: r.task_id,
      try_number: Number(r.try_number),
      name: r.name,
      expected: r.expected,
      actual: r.actual,
      passed: Boolean(Number(r.passed)),
      for_range: covered(run) && r.interval_start === null,
    }));
}
