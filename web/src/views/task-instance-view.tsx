import { useState } from 'react';
import { api, errorMessage, type ClearResult } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { duration, longDate } from '../lib/format.ts';
import { Link, navigate, path, useLocation } from '../lib/router.tsx';
import { keys, useInvalidate } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { ClearPanel } from './clear-panel.tsx';
import { LogViewer } from './log-viewer.tsx';
import { MarkButtons } from './mark-buttons.tsx';
import { TryDetails } from './try-details.tsx';
import { useMay } from '../lib/session.tsx';

interface Props {
  readonly dagId: string;
  readonly runId: string;
  readonly taskId: string;
}

/** One task instance: details, its tries (each with error and log), clear and mark. */
export function TaskInstanceView({ dagId, runId, taskId }: Props) {
  const mayOperate = useMay('op');
  useTitle(`${taskId} · ${runId}`);
  const { query } = useLocation();
  const ti = usePoll([...keys.dag(dagId), 'run', runId, 'task', taskId], (signal) =>
    api.taskInstance(dagId, runId, taskId, signal),
  );
  const tries = usePoll([...keys.dag(dagId), 'run', runId, 'task', taskId, 'tries'], (signal) =>
    api.tries(dagId, runId, taskId, signal),
  );
  const invalidate = useInvalidate();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const list = tries.data?.items ?? [];
  const wanted = Number(query.get('try'));
  const chosen = list.find((t) => t.try_number === wanted) ?? list.at(-1);
  const here = path('dags', dagId, 'runs', runId, 'tasks', taskId);

  const cleared = (result: ClearResult) => {
    setError(null);
    const inThisRun = result.task_instances.filter((t) => t.dag_run_id === runId).map((t) => t.task_id);
    const others = result.task_instances.length - inThisRun.length;
    setMessage(
      `Cleared ${inThisRun.join(', ') || 'nothing here'}${others > 0 ? ` and ${others} in other runs` : ''}.`,
    );
    navigate(here, { replace: true });
    invalidate(keys.dag(dagId), keys.dags);
  };
  const mark = async (state: 'success' | 'failed') => {
    setError(null);
    setMessage(null);
    try {
      await api.markTask(dagId, runId, taskId, state);
      setMessage(`Marked ${taskId} ${state}.`);
      invalidate(keys.dag(dagId), keys.dags);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const t = ti.data;
  return (
    <section aria-labelledby="ti-title" data-testid="task-instance-view">
      <p className="crumbs">
        <Link to={path('dags', dagId, 'runs', runId)}>Run {runId}</Link>
      </p>
      <h2 id="ti-title">
        {taskId} {t && <StateBadge state={t.state} />}
      </h2>
      <ErrorBanner message={ti.error ?? error} />
      {t === undefined ? (
        !ti.error && <Loading />
      ) : (
        <dl className="facts-list">
          <dt>Operator</dt>
          <dd>{t.operator}</dd>
          <dt>Try</dt>
          <dd>
            {t.try_number} of {t.max_tries}
          </dd>
          <dt>Worker</dt>
          <dd className="mono">{t.worker ?? '—'}</dd>
          <dt>Started</dt>
          <dd>{longDate(t.start_date)}</dd>
          <dt>Ended</dt>
          <dd>{longDate(t.end_date)}</dd>
          <dt>Duration</dt>
          <dd>{duration(t.duration)}</dd>
          {t.marked_by && (
            <>
              <dt>Marked</dt>
              <dd data-testid="marked-by">
                by {t.marked_by}, {longDate(t.marked_at)}
              </dd>
            </>
          )}
        </dl>
      )}
      <div className="toolbar">
        {mayOperate && (
          <>
            <ClearPanel
              dagId={dagId}
              runId={runId}
              taskId={taskId}
              onCleared={cleared}
              onError={(m) => setError(m)}
            />
            <MarkButtons what={`task ${taskId}`} onMark={mark} testId="mark-task" />
          </>
        )}
        {message && (
          <span className="ok" role="status" data-testid="clear-message">
            {message}
          </span>
        )}
      </div>
      <h3>Tries</h3>
      <ErrorBanner message={tries.error} />
      {tries.data && list.length === 0 && <p className="muted">Not tried yet.</p>}
      {list.length > 0 && (
        <nav className="tabs" aria-label="Tries">
          {list.map((attempt) => (
            <Link
              key={attempt.try_number}
              to={`${here}?try=${attempt.try_number}`}
              aria-current={attempt.try_number === chosen?.try_number ? 'page' : undefined}
              className={`try-tab state-edge-${attempt.state}`}
              data-testid="try-tab"
            >
              Try {attempt.try_number} <StateBadge state={attempt.state} />
            </Link>
          ))}
        </nav>
      )}
      {chosen && (
        <>
          <TryDetails attempt={chosen} />
          <h3>Log of try {chosen.try_number}</h3>
          <LogViewer dagId={dagId} runId={runId} taskId={taskId} tryNumber={chosen.try_number} />
        </>
      )}
    </section>
  );
}
