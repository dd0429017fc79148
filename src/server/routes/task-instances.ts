import { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { DagSpec } from '../../dag/index.ts';
import {
  findTaskInstance,
  logLines,
  taskInstancesOf,
  triesOf,
  type TaskInstanceRow,
} from '../../store/read/index.ts';
import { getDagRow, type RunRow } from '../../store/runs/index.ts';
import * as routes from '../api/routes/task-instances.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { presentTaskInstance, presentTry } from '../present.ts';
import { runOf } from './runs.ts';

const LOG_PAGE = 5000;

/** Task instances of a run, their tries and each try's log (JSON pages, or streamed as SSE). */
export function taskInstanceRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.listTaskInstances, async (c) => {
    const { dag_id, run_id } = c.req.valid('param');
    const run = await runOf(ctx, dag_id, run_id);
    const operators = await operatorsOf(ctx, run.dag_id);
    const order = [...operators.keys()];
    const items = (await taskInstancesOf(ctx.db, [Number(run.tasks_pk)]))
      .sort((a, b) => order.indexOf(a.task_id) - order.indexOf(b.task_id))
      .map((ti) => presentTaskInstance(run, ti, operators.get(ti.task_id) ?? 'unknown'));
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.TaskInstance>, 200);
  });

  app.openapi(routes.getTaskInstance, async (c) => {
    const { run, ti } = await taskInstanceOf(ctx, c.req.valid('param'));
    const operators = await operatorsOf(ctx, run.dag_id);
    return c.json(presentTaskInstance(run, ti, operators.get(ti.task_id) ?? 'unknown'), 200);
  });

  app.openapi(routes.listTaskTries, async (c) => {
    const { ti } = await taskInstanceOf(ctx, c.req.valid('param'));
    const items = (await triesOf(ctx.db, ti.id)).map(presentTry);
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.TaskTry>, 200);
  });

  app.openapi(routes.getTaskLog, async (c) => {
    const params = c.req.valid('param');
    const { ti } = await taskInstanceOf(ctx, params);
    const tryNumber = params.try;
    const tries = await triesOf(ctx.db, ti.id);
    if (!tries.some((t) => Number(t.try_number) === tryNumber))
      throw notFound(`try ${tryNumber} of task "${ti.task_id}"`);
    let after = c.req.valid('query').after;

    const chunk = async (): Promise<Api.LogChunk> => {
      // Read whether the try ended before the lines: its last lines commit with its end.
      const ended = (await triesOf(ctx.db, ti.id)).find((t) => Number(t.try_number) === tryNumber)?.ended_at;
      const lines = await logLines(ctx.db, ti.id, tryNumber, after, LOG_PAGE);
      const last = lines.at(-1)?.line_no ?? after;
      return {
        lines,
        last_line_no: last,
        done: ended !== null && ended !== undefined && lines.length < LOG_PAGE,
      };
    };

    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) return c.json(await chunk(), 200);
    // The stream's events are the document's text/event-stream answer (each a LogChunk).
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      const until = Date.now() + 3600_000;
      while (open && Date.now() < until) {
        const next = await chunk();
        after = next.last_line_no;
        if (next.lines.length > 0 || next.done) await stream.writeSSE({ data: JSON.stringify(next) });
        if (next.done) break;
        await stream.sleep(500);
      }
    });
  });

  return app;
}

async function taskInstanceOf(
  ctx: ServerContext,
  params: { dag_id: string; run_id: string; task_id: string },
): Promise<{ run: RunRow; ti: TaskInstanceRow }> {
  const run = await runOf(ctx, params.dag_id, params.run_id);
  const ti = await findTaskInstance(ctx.db, Number(run.tasks_pk), params.task_id);
  if (!ti) throw notFound(`task "${params.task_id}" in run "${run.run_id}"`);
  return { run, ti };
}

/** Task id → operator kind, in the DAG's topological order. */
export async function operatorsOf(ctx: ServerContext, dagId: string): Promise<Map<string, string>> {
  const row = await getDagRow(ctx.db, dagId);
  const spec = row ? (JSON.parse(row.spec) as DagSpec) : undefined;
  return new Map((spec?.tasks ?? []).map((t) => [t.id, t.kind]));
}
