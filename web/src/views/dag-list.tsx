import { api } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { Link } from '../lib/router.tsx';
import { keys, useInvalidate } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { DagRow } from './dag-row.tsx';

export function DagList() {
  useTitle('DAGs');
  const invalidate = useInvalidate();
  const dags = usePoll(keys.dags, (signal) => api.dags(signal));
  const errors = usePoll(keys.importErrors, (signal) => api.importErrors(signal), 5000);
  const errorCount = errors.data?.total_entries ?? 0;

  return (
    <main>
      <h1>DAGs</h1>
      {errorCount > 0 && (
        <p className="warning" role="alert" data-testid="import-error-banner">
          {errorCount === 1 ? '1 DAG file' : `${errorCount} DAG files`} failed to load.{' '}
          <Link to="/import-errors">See the import errors</Link>
        </p>
      )}
      <ErrorBanner message={dags.error} />
      {dags.data === undefined ? (
        !dags.error && <Loading />
      ) : dags.data.items.length === 0 ? (
        <p className="muted">No DAGs found in the DAGs folder.</p>
      ) : (
        <div className="table-scroll">
          <table className="dag-table" data-testid="dag-table">
            <thead>
              <tr>
                <th scope="col">Active</th>
                <th scope="col">DAG</th>
                <th scope="col">Schedule</th>
                <th scope="col">Last run</th>
                <th scope="col">Next run</th>
                <th scope="col">Recent runs</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {dags.data.items.map((dag) => (
                <DagRow
                  key={dag.dag_id}
                  dag={dag}
                  onChange={() => invalidate(keys.dags, keys.dag(dag.dag_id))}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
