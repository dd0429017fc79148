import { api, type ReadScope, type RunLedger } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { count } from '../lib/format.ts';
import { Link } from '../lib/router.tsx';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';

const PAGE = 50;

const SCOPES: Record<ReadScope, string> = {
  run: 'The objects this run read.',
  interval: 'The objects its range run read for this interval.',
  range: 'Everything its range run read: the DAG no longer says which objects are this interval’s.',
};

interface Props {
  readonly dagId: string;
  readonly runId: string;
  /** The first reject shown. */
  readonly offset: number;
  /** The link to this tab at another offset. */
  readonly pageLink: (offset: number) => string;
}

/**
 * A run's ledger (per staging table, lines read = rows staged + rejected; its reconciliation
 * checks) with a pass/fail badge, and the source records it could not load, a page at a time.
 */
export function RunRejects({ dagId, runId, offset, pageLink }: Props) {
  const ledger = usePoll(
    [...keys.dag(dagId), 'run', runId, 'ledger'],
    (signal) => api.ledger(dagId, runId, signal),
    10_000,
  );
  const rejects = usePoll(
    [...keys.dag(dagId), 'run', runId, 'rejects', offset],
    (signal) => api.rejects(dagId, runId, PAGE, offset, signal),
    10_000,
  );
  const page = rejects.data;
  return (
    <>
      <h3>Ledger {ledger.data && <Verdict passed={ledger.data.passed} testId="ledger-verdict" />}</h3>
      <ErrorBanner message={ledger.error} />
      {ledger.data === undefined ? !ledger.error && <Loading /> : <LedgerTables ledger={ledger.data} />}
      <h3>Rejected source records</h3>
      <ErrorBanner message={rejects.error} />
      {page === undefined && !rejects.error && <Loading />}
      {page && <p className="muted small">{SCOPES[page.scope]}</p>}
      {page && page.total_entries === 0 && (
        <p className="muted" data-testid="no-rejects">
          No record was rejected.
        </p>
      )}
      {page && page.total_entries > 0 && (
        <>
          <p className="muted small" data-testid="rejects-count">
            {count(page.rejected)} rejected
            {page.rejected > page.total_entries &&
              `, ${count(page.total_entries)} kept (the first of each file)`}
            ; showing {count(offset + 1)}–{count(offset + page.items.length)}.
          </p>
          <div className="table-scroll">
            <table data-testid="rejects-table">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Reason</th>
                  <th scope="col">Table</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={`${r.table}/${r.object_key}/${r.line}`} data-testid="reject-row">
                    <td className="mono small">{r.object_key}</td>
                    <td className="num">{r.line === 0 ? '?' : count(r.line)}</td>
                    <td>{r.reason}</td>
                    <td className="mono small">{r.table}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="row" aria-label="Pages">
            {offset > 0 && <Link to={pageLink(Math.max(0, offset - PAGE))}>← Previous</Link>}
            {offset + page.items.length < page.total_entries && (
              <Link to={pageLink(offset + PAGE)} data-testid="rejects-next">
                Next →
              </Link>
            )}
          </nav>
        </>
      )}
    </>
  );
}

function LedgerTables({ ledger }: { ledger: RunLedger }) {
  if (ledger.tables.length === 0 && ledger.reconciliations.length === 0)
    return <p className="muted">This run staged nothing and reconciled nothing.</p>;
  return (
    <>
      {ledger.tables.length > 0 && (
        <div className="table-scroll">
          <table data-testid="ledger-tables">
            <thead>
              <tr>
                <th scope="col">Staging table</th>
                <th scope="col" className="num">
                  Objects
                </th>
                <th scope="col" className="num">
                  Lines read
                </th>
                <th scope="col" className="num">
                  Rows staged
                </th>
                <th scope="col" className="num">
                  Rejected
                </th>
                <th scope="col">Lines read = staged + rejected</th>
              </tr>
            </thead>
            <tbody>
              {ledger.tables.map((t) => (
                <tr key={t.table} data-testid="ledger-table" data-balanced={t.balanced}>
                  <th scope="row" className="mono">
                    {t.table}
                    {t.restaged > 0 && (
                      <span className="muted small" title="Staged again at another version since this run">
                        {' '}
                        ({count(t.restaged)} restaged since)
                      </span>
                    )}
                  </th>
                  <td className="num">{count(t.objects)}</td>
                  <td className="num">{count(t.lines_read)}</td>
                  <td className="num">{count(t.rows_staged)}</td>
                  <td className="num">{count(t.rejected)}</td>
                  <td>
                    <Verdict passed={t.balanced} labels={['balanced', 'unbalanced']} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {ledger.reconciliations.length > 0 && (
        <div className="table-scroll">
          <table data-testid="ledger-reconciliations">
            <thead>
              <tr>
                <th scope="col">Reconciliation</th>
                <th scope="col" className="num">
                  Expected
                </th>
                <th scope="col" className="num">
                  Actual
                </th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {ledger.reconciliations.map((r) => (
                <tr key={`${r.task_id}/${r.name}`} data-testid="ledger-reconciliation" data-passed={r.passed}>
                  <th scope="row">
                    {r.name}{' '}
                    <span className="muted small">
                      {r.task_id} try {r.try_number}
                      {r.for_range && ', for the range'}
                    </span>
                  </th>
                  <td className="num mono">{r.expected}</td>
                  <td className="num mono">{r.actual}</td>
                  <td>
                    <Verdict passed={r.passed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Verdict({
  passed,
  labels = ['passed', 'failed'],
  testId,
}: {
  passed: boolean | null;
  labels?: readonly [string, string];
  testId?: string;
}) {
  if (passed === null) return null;
  return (
    <span
      className={`badge ${passed ? 'state-success' : 'state-failed'}`}
      data-testid={testId}
      data-passed={passed}
    >
      {passed ? labels[0] : labels[1]}
    </span>
  );
}
