import type { BackfillPreview } from '../api.ts';
import { shortDate } from '../lib/format.ts';

const ACTIONS = ['create', 'rerun', 'adopt', 'skip'] as const;
const FIRST = 5;

/** What a backfill would do: how many runs it creates, reruns, adopts or skips, and the first dates. */
export function PreviewSummary({ preview }: { preview: BackfillPreview }) {
  return (
    <div className="preview" data-testid="backfill-preview-result" role="status">
      <p>
        <strong>{preview.runs.length}</strong> intervals in the range
        {preview.range_runs.length > 0 && (
          <>
            , run as{' '}
            <strong data-testid="preview-range-runs" data-count={preview.range_runs.length}>
              {preview.range_runs.length}
            </strong>{' '}
            range run(s) of up to {Math.max(...preview.range_runs.map((r) => r.intervals))} intervals
          </>
        )}
        .
      </p>
      <table className="narrow">
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col" className="num">
              Runs
            </th>
            <th scope="col">First dates</th>
          </tr>
        </thead>
        <tbody>
          {ACTIONS.map((action) => {
            const runs = preview.runs.filter((run) => run.action === action);
            return (
              <tr key={action} data-testid={`preview-${action}`} data-count={runs.length}>
                <th scope="row">{action}</th>
                <td className="num">{runs.length}</td>
                <td className="small">
                  {runs
                    .slice(0, FIRST)
                    .map((run) => shortDate(run.logical_date) + (run.existing ? ` (${run.existing})` : ''))
                    .join(', ')}
                  {runs.length > FIRST && ', …'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
