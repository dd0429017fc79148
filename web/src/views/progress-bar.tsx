import type { Backfill } from '../api.ts';

const PARTS = ['success', 'failed', 'running', 'queued'] as const;

/** A backfill's runs as one bar: done (green), failed (red), running, queued; the rest is waiting. */
export function ProgressBar({ id, progress }: { id: number; progress: Backfill['progress'] }) {
  const total = Math.max(progress.total, 1);
  const done = progress.success + progress.failed;
  return (
    <div className="progress">
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={`Backfill ${id} progress`}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={done}
        data-testid="backfill-progress"
      >
        {PARTS.map((part) =>
          progress[part] > 0 ? (
            <span
              key={part}
              className={`state-${part}`}
              style={{ width: `${(progress[part] / total) * 100}%` }}
            />
          ) : null,
        )}
      </div>
      <span className="small">
        {done} / {progress.total} done
        {progress.failed > 0 && `, ${progress.failed} failed`}
        {progress.running > 0 && `, ${progress.running} running`}
      </span>
    </div>
  );
}
