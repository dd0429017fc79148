import { sparkifyAnalyses } from '../../../pipelines/sparkify/analyses.ts';
import { api, ApiFailure, errorMessage, type Page, type WarehouseTable } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { count } from '../lib/format.ts';
import { Link } from '../lib/router.tsx';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { AnalysisCard } from './analysis-card.tsx';

type Readiness =
  | { readonly state: 'ready'; readonly plays: number }
  | { readonly state: 'unavailable'; readonly reason: string }
  | { readonly state: 'no-table' | 'empty' };

/** Whether the warehouse can be charted: there, with songplays, and rows in it. */
async function readiness(signal: AbortSignal): Promise<Readiness> {
  let tables: Page<WarehouseTable>;
  try {
    tables = await api.warehouseTables(signal);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 503)
      return { state: 'unavailable', reason: errorMessage(error) };
    throw error;
  }
  const songplays = tables.items.find((table) => table.name === 'songplays');
  if (!songplays) return { state: 'no-table' };
  return songplays.row_count === 0 ? { state: 'empty' } : { state: 'ready', plays: songplays.row_count };
}

/** Sparkify's analyses (DESIGN §8), each a chart of one read-only query of the warehouse. */
export function SparkifyView() {
  useTitle('Sparkify');
  const ready = usePoll([...keys.warehouse, 'readiness'], readiness, 0);
  const state = ready.data;
  return (
    <main>
      <h1>Sparkify</h1>
      <p className="muted">
        The questions Sparkify&apos;s star schema exists for, asked of the warehouse (connection{' '}
        <code>warehouse</code>) as read-only queries: each chart shows the SQL it ran and the period it
        covers. Times are UTC.
      </p>
      <ErrorBanner message={ready.error} />
      {state === undefined ? (
        !ready.error && <Loading />
      ) : state.state === 'ready' ? (
        <>
          <p className="small" data-testid="sparkify-plays">
            {count(state.plays)} plays in <code>songplays</code>.
          </p>
          <div className="analyses">
            {sparkifyAnalyses.map((analysis) => (
              <AnalysisCard key={analysis.id} analysis={analysis} />
            ))}
          </div>
        </>
      ) : (
        <NotYet state={state} />
      )}
    </main>
  );
}

function NotYet({ state }: { state: Exclude<Readiness, { state: 'ready' }> }) {
  const message =
    state.state === 'unavailable'
      ? `The warehouse is not there yet. The server says: ${state.reason}`
      : state.state === 'no-table'
        ? 'The warehouse has no songplays table yet: the Sparkify DAG has not loaded anything into it.'
        : 'songplays is empty: no plays have been loaded yet.';
  return (
    <div className="warning" role="status" data-testid="sparkify-not-ready" data-state={state.state}>
      <p>{message}</p>
      <p className="small">
        Run or backfill <Link to="/dags/sparkify_etl/grid">sparkify_etl</Link>, then come back: the charts
        appear once songplays has rows.
      </p>
    </div>
  );
}
