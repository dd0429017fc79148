import { api } from '../api.ts';
import { BarChart } from '../components/bar-chart.tsx';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { LineChart } from '../components/line-chart.tsx';
import { duration, shortDate } from '../lib/format.ts';
import { navigate, path, useLocation } from '../lib/router.tsx';
import { STATE_COLOURS } from '../lib/states.ts';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { FailedChecks } from './failed-checks.tsx';

const LIMITS = [25, 50, 100, 250, 500] as const;

/** Rows staged and loaded per run, run durations and failed checks, over the newest N runs. */
export function StatsView({ dagId }: { dagId: string }) {
  useTitle(`${dagId} data quality`);
  const { query } = useLocation();
  const limit = Number(query.get('limit') ?? 100) || 100;
  const stats = usePoll(
    [...keys.dag(dagId), 'stats', limit],
    (signal) => api.stats(dagId, limit, signal),
    3000,
  );
  const runs = stats.data?.runs ?? [];
  const labels = runs.map((run) => shortDate(run.logical_date).slice(5).replace('T', ' '));
  const failedChecks = runs.reduce((sum, run) => sum + run.checks_failed, 0);
  const passedChecks = runs.reduce((sum, run) => sum + run.checks_passed, 0);

  return (
    <section aria-label="Data quality and statistics">
      <div className="toolbar">
        <label className="inline">
          Runs{' '}
          <select
            value={limit}
            onChange={(event) =>
              navigate(`${path('dags', dagId, 'stats')}?limit=${event.target.value}`, { replace: true })
            }
            data-testid="stats-limit"
          >
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                newest {n}
              </option>
            ))}
          </select>
        </label>
        {stats.data && (
          <span className="muted" data-testid="stats-summary">
            {runs.length} runs · checks {passedChecks} passed, {failedChecks} failed
          </span>
        )}
      </div>
      <ErrorBanner message={stats.error} />
      {stats.data === undefined ? (
        !stats.error && <Loading />
      ) : runs.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <div className="charts">
          <LineChart
            title="Rows per run"
            labels={labels}
            testId="chart-rows"
            series={[
              { name: 'staged', colour: '#1f6feb', values: runs.map((run) => run.rows_staged) },
              { name: 'loaded', colour: '#d97706', values: runs.map((run) => run.rows_loaded) },
            ]}
          />
          <BarChart
            title="Run duration"
            testId="chart-durations"
            format={(s) => duration(s)}
            bars={runs.map((run, i) => ({
              label: labels[i] ?? '',
              value: run.duration ?? 0,
              colour: STATE_COLOURS[run.state],
              title: `${shortDate(run.logical_date)} ${run.state}: ${duration(run.duration)}`,
            }))}
          />
        </div>
      )}
      <FailedChecks dagId={dagId} runs={runs} />
    </section>
  );
}
