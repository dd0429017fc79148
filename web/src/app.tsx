import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { DagDetail } from './api.ts';
import { Loading } from './components/error-banner.tsx';
import { Header } from './components/header.tsx';
import { match, navigate, path as toPath, useLocation } from './lib/router.tsx';
import { useMay, useSession } from './lib/session.tsx';
import { AuditView } from './views/audit-view.tsx';
import { BackfillsView } from './views/backfills-view.tsx';
import { ConnectionsView } from './views/connections-view.tsx';
import { PoolsView } from './views/pools-view.tsx';
import { DagList } from './views/dag-list.tsx';
import { DagPage, type DagTab } from './views/dag-page.tsx';
import { GraphView } from './views/graph-view.tsx';
import { GridView } from './views/grid-view.tsx';
import { ImportErrorsView } from './views/import-errors-view.tsx';
import { NotFound } from './views/not-found.tsx';
import { RunView } from './views/run-view.tsx';
import { TaskInstanceView } from './views/task-instance-view.tsx';
import { UsersView } from './views/users-view.tsx';
import { WarehouseView } from './views/warehouse-view.tsx';

// The pages with charts load the chart library (Recharts) with them, in their own chunk.
const SparkifyView = lazy(() =>
  import('./views/sparkify-view.tsx').then((m) => ({ default: m.SparkifyView })),
);
const StatsView = lazy(() => import('./views/stats-view.tsx').then((m) => ({ default: m.StatsView })));

function dagView(dagId: string, tab: DagTab, view: (dag: DagDetail) => ReactNode) {
  return (
    <DagPage key={dagId} dagId={dagId} tab={tab}>
      {view}
    </DagPage>
  );
}

/** A page for admins only: others are told so, and its data is never asked for. */
function AdminOnly({ what, children }: { what: string; children: ReactNode }) {
  const { username, role } = useSession();
  if (useMay('admin')) return children;
  return (
    <main>
      <h1>{what}</h1>
      <p className="muted" data-testid="admin-only">
        {what} are for admins; {username} is {role === 'op' ? 'an' : 'a'} {role}.
      </p>
    </main>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** The routes: one path pattern per view. */
function route(path: string): ReactNode {
  if (match('/', path)) return <DagList />;
  if (match('/backfills', path)) return <BackfillsView />;
  if (match('/pools', path)) return <PoolsView />;
  if (match('/connections', path)) return <AdminOnly what="Connections">{<ConnectionsView />}</AdminOnly>;
  if (match('/users', path)) return <AdminOnly what="Users">{<UsersView />}</AdminOnly>;
  if (match('/audit', path)) return <AdminOnly what="Audit logs">{<AuditView />}</AdminOnly>;
  if (match('/warehouse', path)) return <WarehouseView />;
  if (match('/sparkify', path)) return <SparkifyView />;
  if (match('/import-errors', path)) return <ImportErrorsView />;
  const dag = match('/dags/:dag', path);
  if (dag) return <Redirect to={toPath('dags', dag.dag ?? '', 'grid')} />;
  const view = match('/dags/:dag/:view', path);
  const dagId = view?.dag ?? '';
  if (view?.view === 'grid') return dagView(dagId, 'grid', () => <GridView dagId={dagId} />);
  if (view?.view === 'graph') return dagView(dagId, 'graph', (detail) => <GraphView dag={detail} />);
  if (view?.view === 'stats') return dagView(dagId, 'stats', () => <StatsView dagId={dagId} />);
  const run = match('/dags/:dag/runs/:run', path);
  if (run)
    return dagView(run.dag ?? '', 'run', () => <RunView dagId={run.dag ?? ''} runId={run.run ?? ''} />);
  const ti = match('/dags/:dag/runs/:run/tasks/:task', path);
  if (ti) {
    const [d, r, t] = [ti.dag ?? '', ti.run ?? '', ti.task ?? ''];
    return dagView(d, 'run', () => <TaskInstanceView dagId={d} runId={r} taskId={t} />);
  }
  return <NotFound />;
}

export function App() {
  const { path } = useLocation();
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <Header />
      <div id="content" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{route(path)}</Suspense>
      </div>
    </>
  );
}
