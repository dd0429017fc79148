import { useRef } from 'react';
import { api } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { Legend } from '../components/legend.tsx';
import { count } from '../lib/format.ts';
import { navigate, path, useLocation } from '../lib/router.tsx';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { GridTable } from './grid-table.tsx';

const PAGE_SIZES = [25, 50, 100] as const;

/** Runs × tasks, a window of runs at a time: the API pages by `before`, so thousands stay fast. */
export function GridView({ dagId }: { dagId: string }) {
  useTitle(`${dagId} grid`);
  const { query } = useLocation();
  const before = query.get('before');
  const limit = Number(query.get('limit') ?? 50) || 50;
  // The cursors of the newer pages visited, to go back with "Newer".
  const newer = useRef<(string | null)[]>([]);
  const grid = usePoll([...keys.dag(dagId), 'grid', limit, before], (signal) =>
    api.grid(dagId, limit, before, signal),
  );

  const go = (cursor: string | null, size = limit) => {
    const search = new URLSearchParams();
    if (cursor) search.set('before', cursor);
    if (size !== 50) search.set('limit', String(size));
    const text = search.toString();
    navigate(path('dags', dagId, 'grid') + (text ? `?${text}` : ''));
  };
  const older = () => {
    if (!grid.data?.older) return;
    newer.current.push(before);
    go(grid.data.older);
  };
  const newerPage = () => go(newer.current.pop() ?? null);

  const runs = grid.data?.runs ?? [];
  return (
    <section aria-label="Grid">
      <div className="toolbar">
        <button type="button" onClick={older} disabled={!grid.data?.older} data-testid="grid-older">
          ← Older
        </button>
        <button type="button" onClick={newerPage} disabled={before === null} data-testid="grid-newer">
          Newer →
        </button>
        <button type="button" className="secondary" onClick={() => go(null)} disabled={before === null}>
          Newest
        </button>
        <label className="inline">
          Runs per page{' '}
          <select value={limit} onChange={(event) => go(before, Number(event.target.value))}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        {grid.data && (
          <span className="muted" data-testid="grid-count">
            {runs.length} of {count(grid.data.total_runs)} runs
          </span>
        )}
      </div>
      <ErrorBanner message={grid.error} />
      {grid.data === undefined ? (
        !grid.error && <Loading />
      ) : runs.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <GridTable dagId={dagId} grid={grid.data} />
      )}
      <Legend deadlines={runs.some((run) => run.deadline_missed)} />
    </section>
  );
}
