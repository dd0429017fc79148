import { OpenAPIHono } from '@hono/zod-openapi';
import { findTaskInstance } from '../../store/read/index.ts';
import { markDagRun, markTaskInstance } from '../../store/runs/index.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import {
  markDagRun as markRunRoute,
  markTaskInstance as markTaskRoute,
} from '../api/routes/task-instances.ts';
import { conflict, notFound } from '../errors.ts';
import { presentRun, presentTaskInstance } from '../present.ts';
import { runOf } from './runs.ts';
import { operatorsOf } from './task-instances.ts';

/**
 * Marking by hand, as Airflow's API does: PATCH a task instance's `new_state`, or a run's
 * `state`, to success or failed; recorded with the user who did it.
 */
export function markRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(markTaskRoute, async (c) => {
    const { dag_id, run_id, task_id: taskId } = c.req.valid('param');
    const run = await runOf(ctx, dag_id, run_id);
    if (!(await findTaskInstance(ctx.db, run.id, taskId)))
      throw notFound(`task "${taskId}" in run "${run.run_id}"`);
    const state = c.req.valid('json').new_state;
    const result = await markTaskInstance(ctx.db, run.id, taskId, state, c.get('user').username, ctx.now());
    if ('running' in result)
      throw conflict(`task ${taskId} of ${run.run_id} is running: mark it once its try has ended`);
    const ti = await findTaskInstance(ctx.db, run.id, taskId);
    if (!ti) throw notFound(`task "${taskId}" in run "${run.run_id}"`);
    const operators = await operatorsOf(ctx, run.dag_id);
    return c.json(
      presentTaskInstance(await runOf(ctx, run.dag_id, run.run_id), ti, operators.get(taskId) ?? 'unknown'),
      200,
    );
  });

  app.openapi(markRunRoute, async (c) => {
    const { dag_id, run_id } = c.req.valid('param');
    const run = await runOf(ctx, dag_id, run_id);
    await markDagRun(ctx.db, run.id, c.req.valid('json').state, c.get('user').username, ctx.now());
    return c.json(presentRun(await runOf(ctx, run.dag_id, run.run_id)), 200);
  });

  return app;
}
