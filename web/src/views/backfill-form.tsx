import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage, type BackfillBody, type BackfillPreview, type Reprocess } from '../api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { fromInputValue } from '../lib/format.ts';
import { PreviewSummary } from './preview-summary.tsx';

interface Props {
  readonly dagIds: readonly string[];
  readonly initialDag: string | null;
  readonly onStarted: () => void;
}

const REPROCESS: readonly { value: Reprocess; label: string }[] = [
  { value: 'none', label: 'none (new intervals only)' },
  { value: 'failed', label: 'failed (rerun failed runs)' },
  { value: 'completed', label: 'completed (rerun all)' },
  { value: 'stale', label: 'stale (source changed)' },
];

export function BackfillForm({ dagIds, initialDag, onStarted }: Props) {
  const [dagId, setDagId] = useState(initialDag ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reprocess, setReprocess] = useState<Reprocess>('none');
  const [maxActive, setMaxActive] = useState('');
  const [perRun, setPerRun] = useState('');
  const [preview, setPreview] = useState<BackfillPreview | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (dagId === '' && dagIds[0] !== undefined) setDagId(initialDag ?? dagIds[0]);
  }, [dagId, dagIds, initialDag]);
  // A preview is of the form as it was: any change makes it stale.
  useEffect(() => setPreview(null), [dagId, from, to, reprocess, perRun]);

  const body = (): BackfillBody | null => {
    const fromDate = fromInputValue(from);
    const toDate = fromInputValue(to);
    if (!dagId || !fromDate || !toDate) {
      setError('Choose a DAG and both dates.');
      return null;
    }
    const max = Number(maxActive);
    const intervals = perRun.trim() === 'all' ? 'all' : Number(perRun);
    if (perRun.trim() !== '' && intervals !== 'all' && !(Number.isInteger(intervals) && intervals >= 1)) {
      setError('Intervals per run: a whole number ≥ 1, or "all".');
      return null;
    }
    return {
      dag_id: dagId,
      from_date: fromDate,
      to_date: toDate,
      reprocess_behavior: reprocess,
      ...(maxActive !== '' && max > 0 ? { max_active_runs: max } : {}),
      ...(perRun.trim() !== '' ? { max_intervals_per_run: intervals } : {}),
    };
  };

  const act = async (what: 'preview' | 'start') => {
    setError(null);
    setMessage(null);
    const request = body();
    if (!request) return;
    setBusy(true);
    try {
      if (what === 'preview') setPreview(await api.previewBackfill(request));
      else {
        const started = await api.startBackfill(request);
        setMessage(`Backfill ${started.id} started: ${started.progress.total} runs.`);
        setPreview(null);
        onStarted();
      }
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void act('start');
  };

  return (
    <form
      className="card form-grid"
      onSubmit={submit}
      aria-labelledby="backfill-form-title"
      data-testid="backfill-form"
    >
      <h2 id="backfill-form-title">New backfill</h2>
      <label>
        DAG
        <select
          value={dagId}
          onChange={(event) => setDagId(event.target.value)}
          required
          data-testid="backfill-dag"
        >
          {dagIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
      <label>
        From (UTC, inclusive)
        <input
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          required
          data-testid="backfill-from"
        />
      </label>
      <label>
        To (UTC, exclusive)
        <input
          type="datetime-local"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          required
          data-testid="backfill-to"
        />
      </label>
      <label>
        Reprocess
        <select
          value={reprocess}
          onChange={(e) => setReprocess(e.target.value as Reprocess)}
          data-testid="backfill-reprocess"
        >
          {REPROCESS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Max active runs
        <input
          type="number"
          min={1}
          value={maxActive}
          placeholder="DAG's default"
          onChange={(e) => setMaxActive(e.target.value)}
          data-testid="backfill-max-active"
        />
      </label>
      <label title="Consecutive intervals one execution covers (a range run); each interval keeps its own run. A failed range is split in halves.">
        Intervals per run
        <input
          type="text"
          inputMode="numeric"
          value={perRun}
          placeholder="DAG's policy (a number or all)"
          onChange={(e) => setPerRun(e.target.value)}
          data-testid="backfill-per-run"
        />
      </label>
      <div className="row full">
        <button
          type="button"
          className="secondary"
          onClick={() => void act('preview')}
          disabled={busy}
          data-testid="backfill-preview"
        >
          Preview
        </button>
        <button type="submit" disabled={busy} data-testid="backfill-start">
          Start backfill
        </button>
        {message && (
          <span className="ok" role="status" data-testid="backfill-started">
            {message}
          </span>
        )}
      </div>
      <div className="full">
        <ErrorBanner message={error} />
        {preview && <PreviewSummary preview={preview} />}
      </div>
    </form>
  );
}
