import { useState, type FormEvent } from 'react';
import { api, errorMessage, type WarehouseQueryResult } from '../api.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { ResultTable } from '../components/result-table.tsx';
import { count as formatCount } from '../lib/format.ts';

const EXAMPLE = 'SELECT level, count(*) AS plays\nFROM songplays\nGROUP BY level\nORDER BY plays DESC';

/** One read-only query and its result; a refusal shows the server's reason. */
export function QueryBox() {
  const [sql, setSql] = useState(EXAMPLE);
  const [result, setResult] = useState<WarehouseQueryResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await api.warehouseQuery({ sql }));
    } catch (failure) {
      setResult(null);
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="query-title">
      <h2 id="query-title">Query</h2>
      <form onSubmit={(event) => void run(event)} data-testid="query-form">
        <label htmlFor="query-sql" className="visually-hidden">
          SQL
        </label>
        <textarea
          id="query-sql"
          className="mono sql"
          rows={6}
          spellCheck={false}
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void run(e);
          }}
          data-testid="query-sql"
        />
        <div className="row">
          <button type="submit" disabled={busy || sql.trim() === ''} data-testid="query-run">
            {busy ? 'Running…' : 'Run'}
          </button>
          <span className="muted small">Ctrl+Enter runs it. At most 1,000 rows are shown.</span>
        </div>
      </form>
      <ErrorBanner message={error} />
      {result && (
        <div data-testid="query-result">
          <p className="muted small" data-testid="query-summary">
            {formatCount(result.rows.length)} {result.rows.length === 1 ? 'row' : 'rows'}
            {result.truncated ? ' (more rows were cut off)' : ''}
          </p>
          <ResultTable result={result} label="Query result" />
        </div>
      )}
    </section>
  );
}
