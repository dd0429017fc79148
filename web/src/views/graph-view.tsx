import { api, type DagDetail, type TaskState } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { Legend } from '../components/legend.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { shortDate } from '../lib/format.ts';
import { Link, navigate, path, useLocation } from '../lib/router.tsx';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { useGraphLayout } from '../lib/use-graph-layout.ts';
import { GraphFrame } from './graph-frame.tsx';
import { GraphSvg } from './graph-svg.tsx';

/** The DAG drawn, coloured with the states of one run (?run=…, default the newest). */
export function GraphView({ dag }: { dag: DagDetail }) {
  useTitle(`${dag.dag_id} graph`);
  const { query } = useLocation();
  const recent = usePoll([...keys.dag(dag.dag_id), 'grid', 25, null], (signal) =>
    api.grid(dag.dag_id, 25, null, signal),
  );
  const newest = recent.data?.runs.at(-1)?.dag_run_id ?? null;
  const runId = query.get('run') ?? newest;
  const instances = usePoll([...keys.dag(dag.dag_id), 'run', runId, 'task-instances'], (signal) =>
    runId ? api.taskInstances(dag.dag_id, runId, signal) : Promise.resolve(null),
  );

  const layout = useGraphLayout(dag.tasks);
  const states = new Map<string, TaskState>(
    (instances.data?.items ?? []).map((ti) => [ti.task_id, ti.state] as const),
  );
  const runs = [...(recent.data?.runs ?? [])].reverse();
  const chosen = runs.find((run) => run.dag_run_id === runId);
  const select = (id: string) =>
    navigate(`${path('dags', dag.dag_id, 'graph')}?run=${encodeURIComponent(id)}`, { replace: true });

  return (
    <section aria-label="Graph">
      <div className="toolbar">
        <label className="inline">
          Run{' '}
          <select
            value={runId ?? ''}
            onChange={(event) => select(event.target.value)}
            data-testid="graph-run"
          >
            {runId && !chosen && <option value={runId}>{runId}</option>}
            {runs.length === 0 && !runId && <option value="">no runs yet</option>}
            {runs.map((run) => (
              <option key={run.dag_run_id} value={run.dag_run_id}>
                {shortDate(run.logical_date)} · {run.run_type} · {run.state}
              </option>
            ))}
          </select>
        </label>
        {chosen && <StateBadge state={chosen.state} />}
        {runId && <Link to={path('dags', dag.dag_id, 'runs', runId)}>Open run</Link>}
      </div>
      <ErrorBanner message={recent.error ?? instances.error} />
      <Legend />
      {layout.state === 'pending' && <Loading what={`Laying out ${dag.tasks.length} tasks`} />}
      {layout.state === 'failed' && (
        <ErrorBanner message={`The graph could not be laid out: ${layout.error}`} />
      )}
      {layout.state === 'done' && (
        <div data-testid="graph-layout" data-layout-ms={Math.round(layout.ms)}>
          <GraphFrame width={layout.layout.width} height={layout.layout.height}>
            {(scale) => (
              <GraphSvg
                tasks={dag.tasks}
                layout={layout.layout}
                scale={scale}
                states={states}
                href={(taskId) => (runId ? path('dags', dag.dag_id, 'runs', runId, 'tasks', taskId) : null)}
              />
            )}
          </GraphFrame>
        </div>
      )}
    </section>
  );
}
