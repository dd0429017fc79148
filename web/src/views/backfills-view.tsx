import { api } from '../api.ts';
import { navigate, useLocation } from '../lib/router.tsx';
import { keys, useInvalidate } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { BackfillForm } from './backfill-form.tsx';
import { BackfillList } from './backfill-list.tsx';
import { useMay } from '../lib/session.tsx';

/** /backfills?dag_id=…: a new backfill (preview, then start) and the backfills with their progress. */
export function BackfillsView() {
  const mayOperate = useMay('op');
  useTitle('Backfills');
  const { query } = useLocation();
  const dagId = query.get('dag_id');
  const invalidate = useInvalidate();
  const dags = usePoll(keys.dags, (signal) => api.dags(signal), 0);
  const backfills = usePoll([...keys.backfills, dagId], (signal) => api.backfills(dagId, signal));
  const dagIds = (dags.data?.items ?? []).map((dag) => dag.dag_id);

  const filter = (value: string) =>
    navigate(value ? `/backfills?dag_id=${encodeURIComponent(value)}` : '/backfills', { replace: true });

  return (
    <main>
      <h1>Backfills</h1>
      {mayOperate && (
        <BackfillForm dagIds={dagIds} initialDag={dagId} onStarted={() => invalidate(keys.backfills)} />
      )}
      <div className="section-head">
        <h2>Backfills</h2>
        <label className="inline">
          DAG{' '}
          <select
            value={dagId ?? ''}
            onChange={(event) => filter(event.target.value)}
            data-testid="backfill-filter"
          >
            <option value="">all</option>
            {dagIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
      </div>
      <BackfillList
        backfills={backfills.data?.items}
        error={backfills.error}
        onChange={() => invalidate(keys.backfills)}
      />
    </main>
  );
}
