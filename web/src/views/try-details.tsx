import type { TaskTry } from '../api.ts';
import { StateBadge } from '../components/state-badge.tsx';
import { duration, longDate } from '../lib/format.ts';

/** What one try did: when, where, how it ended, its error, its output and what the operator reported. */
export function TryDetails({ attempt }: { attempt: TaskTry }) {
  return (
    <div data-testid="try-details">
      <dl className="facts-list">
        <dt>State</dt>
        <dd>
          <StateBadge state={attempt.state} />
        </dd>
        <dt>Worker</dt>
        <dd className="mono">{attempt.worker}</dd>
        <dt>Started</dt>
        <dd>{longDate(attempt.start_date)}</dd>
        <dt>Ended</dt>
        <dd>{longDate(attempt.end_date)}</dd>
        <dt>Duration</dt>
        <dd>{duration(attempt.duration)}</dd>
      </dl>
      {attempt.error && (
        <div className="try-error" role="note" data-testid="try-error">
          <strong>{attempt.error.code}</strong>
          <pre>{attempt.error.message}</pre>
        </div>
      )}
      {attempt.output !== null && (
        <div data-testid="try-output">
          <h4>Output</h4>
          <pre className="outcome">{JSON.stringify(attempt.output, null, 2)}</pre>
        </div>
      )}
      {attempt.outcome && (
        <details>
          <summary>Outcome</summary>
          <pre className="outcome">{JSON.stringify(attempt.outcome, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}
