import { api } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { longDate } from '../lib/format.ts';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';

/** DAG files that failed to load, with their errors; the other DAGs still load. */
export function ImportErrorsView() {
  useTitle('Import errors');
  const errors = usePoll(keys.importErrors, (signal) => api.importErrors(signal), 5000);
  return (
    <main>
      <h1>DAG import errors</h1>
      <ErrorBanner message={errors.error} />
      {errors.data === undefined ? (
        !errors.error && <Loading />
      ) : errors.data.items.length === 0 ? (
        <p className="ok" data-testid="no-import-errors">
          Every DAG file loaded.
        </p>
      ) : (
        <ul className="import-errors" data-testid="import-errors">
          {errors.data.items.map((error) => (
            <li key={error.file} className="card">
              <h2 className="mono break">{error.file}</h2>
              <p className="muted small">{longDate(error.updated_at)}</p>
              <pre>{error.message}</pre>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
