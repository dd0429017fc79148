import { Hono } from 'hono';
import type { MarkState } from '../../lifecycle/index.ts';
import { findTaskInstance } from '../../store/read/index.ts';
import { markDagRun, markTaskInstance } from '../../store/runs/index.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { presentRun, presentTaskInstance } from '../present.ts';
import { jsonBody, onlyFields } from '../validate.ts';
import { runOf } from './runs.ts';
import { operatorsOf } from './task-instances.ts';

const MARKS: readonly MarkState[] = ['success', 'failed'];

function markState(raw: unknown, field: string): MarkState {
  if (typeof raw !== 'string' || !(MARKS as readonly string[]).includes(raw))
    throw badRequest(`"${field}" must be "success" or "failed", got ${JSON.stringify(raw)}`, field);
  return raw as MarkState;
}

/**
 * Marking by hand, as Airflow's API does: PATCH a task instance's `new_state`, or a run's
 * `state`, to success or failed; recorded with the user who did it.
 */
export function markRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.patch('/dags/:dag_id/dagRuns/:run_id/taskInstances/:task_id', async (c) => {
    const run = await runOf(ctx, c.req.param('dag_id'), c.req.param('run_id'));
    const taskId = c.req.param('task_id');
    if (!(await findTaskInstance(ctx.db, run.id, taskId)))
      throw notFound(`task "${taskId}" in run "${run.run_id}"`);
    const body = await jsonBody(c.req);
    onlyFields(body, ['new_state']);
    const state = markState(body.new_state, 'new_state');
    const result = await markTaskInstance(ctx.db, run.id, taskId, state, c.get('user').username, ctx.now());
    if ('running' in result)
      throw conflict(`task ${taskId} of ${run.run_id} is running: mark it once its try has ended`);
    const ti = await findTaskInstance(ctx.db, run.id, taskId);
    if (!ti) throw notFound(`task "${taskId}" in run "${run.run_id}"`);
    const operators = await operatorsOf(ctx, run.dag_id);
    return c.json(
      presentTaskInstance(await runOf(ctx, run.dag_id, run.run_id), ti, operators.get(taskId) ?? 'unknown'),
    );
  });

  app.patch('/dags/:dag_id/dagRuns/:run_id', async (c) => {
    const run = await runOf(ctx, c.req.param('dag_id'), c.req.param('run_id'));
    const body = await jsonBody(c.req);
    onlyFields(body, ['state']);
    const state = markState(body.state, 'state');
    await markDagRun(ctx.db, run.id, state, c.get('user').username, ctx.now());
    return c.json(presentRun(await runOf(ctx, run.dag_id, run.run_id)));
  });

  return app;
}
