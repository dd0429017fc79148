import type { ReactNode } from 'react';
import { api, type DagDetail } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { Link, path } from '../lib/router.tsx';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';

export type DagTab = 'grid' | 'graph' | 'stats' | 'run';

const TABS: readonly { tab: DagTab; label: string }[] = [
  { tab: 'grid', label: 'Grid' },
  { tab: 'graph', label: 'Graph' },
  { tab: 'stats', label: 'Data quality & stats' },
];

interface Props {
  readonly dagId: string;
  readonly tab: DagTab;
  readonly children: (dag: DagDetail) => ReactNode;
}

/** The frame of every page about one DAG: its name, facts and tabs; the view comes as children. */
export function DagPage({ dagId, tab, children }: Props) {
  const dag = usePoll([...keys.dag(dagId), 'detail'], (signal) => api.dag(dagId, signal), 5000);
  return (
    <main>
      <div className="dag-head">
        <h1>
          <Link to={path('dags', dagId, 'grid')}>{dagId}</Link>
        </h1>
        {dag.data && (
          <p className="facts">
            <span>
              Schedule <code>{dag.data.schedule ?? 'none'}</code>
            </span>
            <span>{dag.data.is_paused ? 'Paused' : 'Active'}</span>
            <span>{dag.data.tasks.length} tasks</span>
          </p>
        )}
      </div>
      <nav className="tabs" aria-label="DAG views">
        {TABS.map((item) => (
          <Link
            key={item.tab}
            to={path('dags', dagId, item.tab)}
            aria-current={item.tab === tab ? 'page' : undefined}
          >
            {item.label}
          </Link>
        ))}
        <Link to={`/backfills?dag_id=${encodeURIComponent(dagId)}`}>Backfill</Link>
      </nav>
      <ErrorBanner message={dag.error} />
      {dag.data ? children(dag.data) : !dag.error && <Loading />}
    </main>
  );
}
