import { useState } from 'react';
import { api, errorMessage, type Backfill } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { shortDate } from '../lib/format.ts';
import { Link, path } from '../lib/router.tsx';
import { ProgressBar } from './progress-bar.tsx';
import { useMay } from '../lib/session.tsx';

interface Props {
  readonly backfills: readonly Backfill[] | undefined;
  readonly error: string | null;
  readonly onChange: () => void;
}

export function BackfillList({ backfills, error, onChange }: Props) {
  const mayOperate = useMay('op');
  const [cancelError, setCancelError] = useState<string | null>(null);
  const cancel = async (id: number) => {
    setCancelError(null);
    try {
      await api.cancelBackfill(id);
      onChange();
    } catch (failure) {
      setCancelError(errorMessage(failure));
    }
  };

  if (backfills === undefined) return error ? <ErrorBanner message={error} /> : <Loading />;
  if (backfills.length === 0) return <p className="muted">No backfills yet.</p>;
  return (
    <>
      <ErrorBanner message={error ?? cancelError} />
      <div className="table-scroll">
        <table data-testid="backfill-list">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">DAG</th>
              <th scope="col">Range</th>
              <th scope="col">Reprocess</th>
              <th scope="col">State</th>
              <th scope="col">Progress</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backfills.map((backfill) => (
              <tr
                key={backfill.id}
                data-testid="backfill-row"
                data-backfill-id={backfill.id}
                data-state={backfill.state}
              >
                <td>{backfill.id}</td>
                <th scope="row">
                  <Link to={path('dags', backfill.dag_id, 'grid')}>{backfill.dag_id}</Link>
                </th>
                <td className="small nowrap">
                  {shortDate(backfill.from_date)} → {shortDate(backfill.to_date)}
                </td>
                <td>{backfill.reprocess_behavior}</td>
                <td>
                  <StateBadge state={backfill.state} />
                </td>
                <td className="progress-cell">
                  <ProgressBar id={backfill.id} progress={backfill.progress} />
                </td>
                <td>
                  {mayOperate && backfill.state === 'running' && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => void cancel(backfill.id)}
                      aria-label={`Cancel backfill ${backfill.id}`}
                      data-testid="backfill-cancel"
                    >
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
