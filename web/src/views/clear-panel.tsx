import { useState } from 'react';
import { api, errorMessage, type ClearBody, type ClearResult } from '../api.ts';

interface Props {
  readonly dagId: string;
  readonly runId: string;
  readonly taskId: string;
  readonly onCleared: (result: ClearResult) => void;
  readonly onError: (message: string) => void;
}

type Option = 'include_upstream' | 'include_downstream' | 'include_future' | 'include_past';
const OPTIONS: readonly { key: Option; label: string; testId: string }[] = [
  { key: 'include_upstream', label: 'upstream', testId: 'clear-upstream' },
  { key: 'include_downstream', label: 'downstream', testId: 'clear-downstream' },
  { key: 'include_future', label: 'future runs', testId: 'clear-future' },
  { key: 'include_past', label: 'past runs', testId: 'clear-past' },
];

/**
 * Clear a task instance, as Airflow's clear dialog does: with its upstream or downstream tasks, and
 * the same tasks in future or past runs; the list of what would be cleared comes first (a dry run),
 * then a confirmation.
 */
export function ClearPanel({ dagId, runId, taskId, onCleared, onError }: Props) {
  const [options, setOptions] = useState<Record<Option, boolean>>({
    include_upstream: false,
    include_downstream: false,
    include_future: false,
    include_past: false,
  });
  const [preview, setPreview] = useState<ClearResult | null>(null);
  const [busy, setBusy] = useState(false);
  const body = (dryRun: boolean): ClearBody => ({
    dag_run_id: runId,
    task_ids: [taskId],
    ...options,
    dry_run: dryRun,
  });

  const run = async (dryRun: boolean) => {
    setBusy(true);
    try {
      const result = await api.clearTasks(dagId, body(dryRun));
      if (dryRun) setPreview(result);
      else {
        setPreview(null);
        onCleared(result);
      }
    } catch (failure) {
      onError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="clear-panel">
      {OPTIONS.map((o) => (
        <label key={o.key} className="inline">
          <input
            type="checkbox"
            checked={options[o.key]}
            onChange={(event) => {
              setOptions({ ...options, [o.key]: event.target.checked });
              setPreview(null);
            }}
            data-testid={o.testId}
          />{' '}
          {o.label}
        </label>
      ))}
      {preview === null ? (
        <button
          type="button"
          className="danger"
          onClick={() => void run(true)}
          disabled={busy}
          data-testid="clear-task"
        >
          Clear…
        </button>
      ) : (
        <div className="confirm" role="group" aria-label="Clear" data-testid="clear-preview">
          <span>
            {preview.task_instances.length === 0
              ? 'Nothing to clear.'
              : `Clear ${preview.task_instances.length} task instance(s)?`}
          </span>
          <ul className="clear-list">
            {preview.task_instances.map((ti) => (
              <li key={`${ti.dag_run_id} ${ti.task_id}`} className="mono">
                {ti.dag_run_id} · {ti.task_id}
              </li>
            ))}
          </ul>
          {preview.task_instances.length > 0 && (
            <button
              type="button"
              className="danger"
              onClick={() => void run(false)}
              disabled={busy}
              autoFocus
              data-testid="clear-task-confirm"
            >
              Yes, clear
            </button>
          )}
          <button type="button" className="secondary" onClick={() => setPreview(null)} disabled={busy}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}
