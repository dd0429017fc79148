import { api, type RunStats } from '../api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { shortDate } from '../lib/format.ts';
import { Link, path } from '../lib/router.tsx';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';

const NEWEST = 10;

interface Props {
  readonly dagId: string;
  readonly runs: RunStats['runs'];
}

/** The checks that failed, in the newest runs that had a failing check. */
export function FailedChecks({ dagId, runs }: Props) {
  const failing = runs
    .filter((run) => run.checks_failed > 0)
    .slice(-NEWEST)
    .reverse();
  const key = failing.map((run) => `${run.dag_run_id}:${run.checks_failed}`).join('|');
  const checks = usePoll(
    [...keys.dag(dagId), 'failed-checks', key],
    async (signal) =>
      Promise.all(
        failing.map(async (run) => ({ run, result: await api.checks(dagId, run.dag_run_id, signal) })),
      ),
    0,
  );
  const rows = (checks.data ?? []).flatMap(({ run, result }) =>
    result.checks.filter((check) => !check.passed).map((check) => ({ run, check })),
  );

  return (
    <>
      <h2>Failed checks</h2>
      <ErrorBanner message={checks.error} />
      {failing.length === 0 ? (
        <p className="muted" data-testid="no-failed-checks">
          No check failed in these runs.
        </p>
      ) : (
        <div className="table-scroll">
          <table data-testid="failed-checks">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Check</th>
                <th scope="col">Task</th>
                <th scope="col">Expected</th>
                <th scope="col">Actual</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ run, check }) => (
                <tr key={`${run.dag_run_id}/${check.task_id}/${check.try_number}/${check.name}`}>
                  <td>
                    <Link to={path('dags', dagId, 'runs', run.dag_run_id)}>
                      {shortDate(run.logical_date)}
                    </Link>
                  </td>
                  <th scope="row">{check.name}</th>
                  <td>
                    {check.task_id} <span className="muted">try {check.try_number}</span>
                  </td>
                  <td className="mono">{check.expected}</td>
                  <td className="mono">{check.actual}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
