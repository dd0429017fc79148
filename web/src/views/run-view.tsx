import { useState } from 'react';
import { api, errorMessage, type Page, type TaskInstance } from '../api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { duration, longDate, shortDate } from '../lib/format.ts';
import { Link, path, useLocation } from '../lib/router.tsx';
import { keys, useInvalidate } from '../lib/queries.ts';
import { usePoll, type Polled } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { ChecksTable } from './checks-table.tsx';
import { MarkButtons } from './mark-buttons.tsx';
import { RunRejects } from './run-rejects.tsx';
import { useMay } from '../lib/session.tsx';

/**
 * One run: its facts, clear it all; a tab with its task instances and data-quality results, and
 * one with its ledger and rejected source records.
 */
export function RunView({ dagId, runId }: { dagId: string; runId: string }) {
  const mayOperate = useMay('op');
  useTitle(`${dagId} ${runId}`);
  const { query } = useLocation();
  const tab = query.get('tab') === 'rejects' ? 'rejects' : 'tasks';
  const here = path('dags', dagId, 'runs', runId);
  const rejectsAt = (offset: number) => `${here}?tab=rejects${offset > 0 ? `&offset=${offset}` : ''}`;
  const run = usePoll([...keys.dag(dagId), 'run', runId, 'detail'], (signal) =>
    api.run(dagId, runId, signal),
  );
  const tis = usePoll([...keys.dag(dagId), 'run', runId, 'task-instances'], (signal) =>
    api.taskInstances(dagId, runId, signal),
  );
  const invalidate = useInvalidate();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const clear = async () => {
    setError(null);
    setMessage(null);
    try {
      const result = await api.clearRun(dagId, runId);
      setMessage(`Cleared ${result.task_instances.length} task instances.`);
      invalidate(keys.dag(dagId), keys.dags);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const mark = async (state: 'success' | 'failed') => {
    setError(null);
    setMessage(null);
    try {
      await api.markRun(dagId, runId, state);
      setMessage(`Marked the run ${state}.`);
      invalidate(keys.dag(dagId), keys.dags);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const r = run.data;
  return (
    <section aria-labelledby="run-title" data-testid="run-view">
      <h2 id="run-title">
        Run <span className="mono">{runId}</span> {r && <StateBadge state={r.state} />}
      </h2>
      <ErrorBanner message={run.error ?? error} />
      {r && (
        <dl className="facts-list">
          <dt>Logical date</dt>
          <dd>{longDate(r.logical_date)}</dd>
          <dt>Data interval</dt>
          <dd>
            {shortDate(r.data_interval_start)} → {shortDate(r.data_interval_end)}
          </dd>
          <dt>Type</dt>
          <dd>
            {r.run_type}
            {r.backfill_id !== null && ` (backfill ${r.backfill_id})`}
          </dd>
          {r.range_run_id !== null && (
            <>
              <dt>Range run</dt>
              <dd
                data-testid="run-range"
                title="Its tasks ran once over several consecutive intervals; this interval's figures are its own"
              >
                <span className="mono small">{r.range_run_id}</span>
              </dd>
            </>
          )}
          {r.deadline_missed_at !== null && (
            <>
              <dt>Deadline</dt>
              <dd data-testid="run-deadline">
                <span className="badge deadline-badge">missed</span> found at {longDate(r.deadline_missed_at)}
              </dd>
            </>
          )}
          {r.stale && (
            <>
              <dt>Source</dt>
              <dd data-testid="run-stale">
                <span className="badge stale-badge">stale</span>{' '}
                {r.stale_objects
                  .map(
                    (o) =>
                      `${o.key} ${o.current_version === null ? 'removed' : 'changed'} since this run read it`,
                  )
                  .join('; ')}
              </dd>
            </>
          )}
          <dt>Started</dt>
          <dd>{longDate(r.start_date)}</dd>
          <dt>Ended</dt>
          <dd>{longDate(r.end_date)}</dd>
          <dt>Duration</dt>
          <dd>{duration(r.duration)}</dd>
        </dl>
      )}
      <div className="toolbar">
        {mayOperate && (
          <>
            <ConfirmButton
              label="Clear run"
              question="Clear every task of this run and run them again?"
              onConfirm={clear}
              testId="clear-run"
            />
            <MarkButtons what="this run" onMark={mark} testId="mark-run" />
          </>
        )}
        <Link to={`${path('dags', dagId, 'graph')}?run=${encodeURIComponent(runId)}`}>Graph of this run</Link>
        {message && (
          <span className="ok" role="status">
            {message}
          </span>
        )}
      </div>
      <nav className="tabs" aria-label="Run">
        <Link to={here} aria-current={tab === 'tasks' ? 'page' : undefined} data-testid="run-tab-tasks">
          Tasks and checks
        </Link>
        <Link
          to={rejectsAt(0)}
          aria-current={tab === 'rejects' ? 'page' : undefined}
          data-testid="run-tab-rejects"
        >
          Rejects and ledger
        </Link>
      </nav>
      {tab === 'rejects' ? (
        <RunRejects
          dagId={dagId}
          runId={runId}
          offset={Math.max(0, Math.floor(Number(query.get('offset')) || 0))}
          pageLink={rejectsAt}
        />
      ) : (
        <TasksTab dagId={dagId} runId={runId} inRange={r?.range_run_id != null} tis={tis} />
      )}
    </section>
  );
}

/** The run's task instances, and its data-quality results. */
function TasksTab({
  dagId,
  runId,
  inRange,
  tis,
}: {
  dagId: string;
  runId: string;
  inRange: boolean;
  tis: Polled<Page<TaskInstance>>;
}) {
  return (
    <>
      <h3>Task instances</h3>
      <ErrorBanner message={tis.error} />
      {tis.data === undefined ? (
        !tis.error && <Loading />
      ) : (
        <div className="table-scroll">
          <table data-testid="task-instances">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">State</th>
                <th scope="col">Try</th>
                <th scope="col">Operator</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {tis.data.items.map((ti) => (
                <tr key={ti.task_id} data-testid="task-instance-row">
                  <th scope="row">
                    <Link to={path('dags', dagId, 'runs', runId, 'tasks', ti.task_id)}>{ti.task_id}</Link>
                  </th>
                  <td>
                    <StateBadge state={ti.state} />
                  </td>
                  <td className="nowrap">
                    {ti.try_number} / {ti.max_tries}
                  </td>
                  <td>{ti.operator}</td>
                  <td>{shortDate(ti.start_date)}</td>
                  <td>{duration(ti.duration)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ChecksTable dagId={dagId} runId={runId} inRange={inRange} />
    </>
  );
}
