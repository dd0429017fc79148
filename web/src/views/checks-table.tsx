import { api } from '../api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { count } from '../lib/format.ts';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';

/**
 * A run's data-quality checks (expected against actual) and the rows each task wrote; `inRange`:
 * the run's tasks ran in a range run, and only rows given per interval are this run's.
 */
export function ChecksTable({ dagId, runId, inRange }: { dagId: string; runId: string; inRange: boolean }) {
  const checks = usePoll(
    [...keys.dag(dagId), 'run', runId, 'checks'],
    (signal) => api.checks(dagId, runId, signal),
    3000,
  );
  const data = checks.data;
  const rows = Object.entries(data?.rows ?? {});
  return (
    <>
      <h3>Data quality</h3>
      <ErrorBanner message={checks.error} />
      {data && data.checks.length === 0 && <p className="muted">No checks have run yet.</p>}
      {data && data.checks.length > 0 && (
        <div className="table-scroll">
          <table data-testid="checks-table">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Task</th>
                <th scope="col">Expected</th>
                <th scope="col">Actual</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {data.checks.map((check) => (
                <tr
                  key={`${check.task_id}/${check.try_number}/${check.name}`}
                  data-testid="check-row"
                  data-passed={check.passed}
                >
                  <th scope="row" title={check.sql ?? undefined}>
                    {check.name}
                    {check.for_range && (
                      <span
                        className="muted small"
                        data-testid="check-for-range"
                        title="Measured once over the whole range run this interval was part of"
                      >
                        {' '}
                        (for the range)
                      </span>
                    )}
                  </th>
                  <td>
                    {check.task_id} <span className="muted">try {check.try_number}</span>
                  </td>
                  <td className="mono">{check.expected}</td>
                  <td className="mono">{check.actual}</td>
                  <td>
                    <span className={`badge ${check.passed ? 'state-success' : 'state-failed'}`}>
                      {check.passed ? 'passed' : 'failed'}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Rows written</h3>
      {data && rows.length === 0 && (
        <p className="muted">
          {inRange
            ? 'No task gave its rows per interval in the range run.'
            : 'No task has reported rows yet.'}
        </p>
      )}
      {inRange && rows.length > 0 && (
        <p className="muted small">
          This interval's share of the range run; other tasks wrote for the whole range.
        </p>
      )}
      {rows.length > 0 && (
        <table className="narrow" data-testid="rows-table">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col" className="num">
                Rows
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([task, n]) => (
              <tr key={task}>
                <th scope="row">{task}</th>
                <td className="num">{count(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
