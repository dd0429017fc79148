import { useState } from 'react';
import { api, errorMessage, type DagSummary } from '../api.ts';
import { StateBadge } from '../components/state-badge.tsx';
import { shortDate } from '../lib/format.ts';
import { Link, path } from '../lib/router.tsx';
import { PauseToggle } from './pause-toggle.tsx';
import { TriggerDialog } from './trigger-dialog.tsx';
import { useMay } from '../lib/session.tsx';

interface Props {
  readonly dag: DagSummary;
  readonly onChange: () => void;
}

export function DagRow({ dag, onChange }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.setPaused(dag.dag_id, !dag.is_paused);
      onChange();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const mayOperate = useMay('op');
  return (
    <tr data-testid="dag-row" data-dag-id={dag.dag_id}>
      <td>
        <PauseToggle
          dagId={dag.dag_id}
          paused={dag.is_paused}
          busy={busy}
          onToggle={mayOperate ? () => void toggle() : undefined}
        />
      </td>
      <th scope="row">
        <Link to={path('dags', dag.dag_id, 'grid')} className="dag-id">
          {dag.dag_id}
        </Link>
        {dag.description && <div className="muted small">{dag.description}</div>}
        {dag.tags.length > 0 && (
          <ul className="tags" aria-label="Tags">
            {dag.tags.map((tag) => (
              <li key={tag}>{tag}</li>
            ))}
          </ul>
        )}
        {error && (
          <div className="error small" role="alert">
            {error}
          </div>
        )}
      </th>
      <td data-label="Schedule">
        <code>{dag.schedule ?? 'none'}</code>
      </td>
      <td data-label="Last run">
        {dag.last_run ? (
          <Link to={path('dags', dag.dag_id, 'runs', dag.last_run.dag_run_id)}>
            {shortDate(dag.last_run.logical_date)} <StateBadge state={dag.last_run.state} />
            {dag.last_run.deadline_missed_at !== null && (
              <span
                className="badge deadline-badge"
                title={`found late at ${dag.last_run.deadline_missed_at}`}
              >
                deadline missed
              </span>
            )}
          </Link>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
      <td data-label="Next run">
        {dag.next_run ? shortDate(dag.next_run) : <span className="muted">—</span>}
      </td>
      <td data-label="Recent runs">
        <ul className="recent-runs" aria-label={`Recent runs of ${dag.dag_id}`}>
          {dag.recent_runs.map((run) => (
            <li key={run.run_id}>
              <Link
                to={path('dags', dag.dag_id, 'runs', run.run_id)}
                className={`dot state-${run.state}${run.deadline_missed ? ' deadline-missed' : ''}`}
                title={`${run.run_id}: ${run.state}${run.deadline_missed ? ', missed its deadline' : ''}`}
                aria-label={`${run.run_id} ${run.state}${run.deadline_missed ? ' deadline missed' : ''}`}
              />
            </li>
          ))}
        </ul>
      </td>
      <td className="actions">
        {mayOperate && <TriggerDialog dagId={dag.dag_id} onTriggered={onChange} />}
        <Link to={path('dags', dag.dag_id, 'graph')} className="button secondary">
          Graph
        </Link>
      </td>
    </tr>
  );
}
