import { memo } from 'react';
import type { Grid } from '../api.ts';
import { duration, shortDate } from '../lib/format.ts';
import { Link, path } from '../lib/router.tsx';

interface Props {
  readonly dagId: string;
  readonly grid: Grid;
}

const BAR_HEIGHT = 48;
const LABEL_EVERY = 10;

/** Tasks down, runs across (oldest left); every cell is a link to that task instance. */
export const GridTable = memo(function GridTable({ dagId, grid }: Props) {
  const longest = Math.max(1, ...grid.runs.map((run) => run.duration ?? 0));
  const labels = grid.runs.filter((_, i) => i % LABEL_EVERY === 0);
  return (
    <div className="table-scroll grid-scroll">
      <table className="grid" data-testid="grid">
        <thead>
          <tr className="grid-dates">
            <th scope="col" rowSpan={2} className="grid-corner">
              Task / run
            </th>
            {labels.map((run, i) => (
              <th
                key={run.dag_run_id}
                scope="colgroup"
                colSpan={Math.min(LABEL_EVERY, grid.runs.length - i * LABEL_EVERY)}
              >
                {shortDate(run.logical_date).replace('T', ' ')}
              </th>
            ))}
          </tr>
          <tr className="grid-runs">
            {grid.runs.map((run) => {
              const height = run.duration === null ? 6 : Math.max(6, (run.duration / longest) * BAR_HEIGHT);
              const label =
                `Run ${shortDate(run.logical_date)} ${run.run_type} ${run.state}, ${duration(run.duration)}` +
                (run.deadline_missed ? ', missed its deadline' : '') +
                (run.stale ? ', stale (a source object it read changed since)' : '');
              return (
                <th key={run.dag_run_id} scope="col">
                  <Link
                    to={path('dags', dagId, 'runs', run.dag_run_id)}
                    className={`run-bar state-${run.state}${run.deadline_missed ? ' deadline-missed' : ''}${run.stale ? ' stale' : ''}`}
                    style={{ height }}
                    aria-label={label}
                    title={label}
                    data-testid="grid-run"
                  />
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {grid.task_ids.map((taskId, row) => (
            <tr key={taskId}>
              <th scope="row" className="grid-task" title={taskId}>
                {taskId}
              </th>
              {grid.runs.map((run) => {
                const state = run.states[row] ?? 'none';
                const label = `${taskId} ${shortDate(run.logical_date)} ${state}`;
                return (
                  <td key={run.dag_run_id}>
                    <Link
                      to={path('dags', dagId, 'runs', run.dag_run_id, 'tasks', taskId)}
                      className={`cell state-${state}`}
                      aria-label={label}
                      title={label}
                      data-testid="grid-cell"
                      data-state={state}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
