import { api } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { ResultTable } from '../components/result-table.tsx';
import { count as formatCount } from '../lib/format.ts';
import { Link, useLocation } from '../lib/router.tsx';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';
import { QueryBox } from './query-box.tsx';

const PAGE = 50;

const tableLink = (name: string, offset = 0) =>
  `/warehouse?table=${encodeURIComponent(name)}${offset > 0 ? `&offset=${offset}` : ''}`;

/** The warehouse, read-only: its tables with counts and columns, a page of one, and a query box. */
export function WarehouseView() {
  useTitle('Warehouse');
  const { query } = useLocation();
  const selected = query.get('table');
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const tables = usePoll([...keys.warehouse, 'tables'], (signal) => api.warehouseTables(signal), 0);

  return (
    <main>
      <h1>Warehouse</h1>
      <p className="muted">
        The tables of the warehouse (connection <code>warehouse</code>), read-only: a query may be one SELECT
        of these tables, and is cancelled past its time limit.
      </p>
      <ErrorBanner message={tables.error} />
      {tables.data === undefined ? (
        !tables.error && <Loading />
      ) : (
        <div className="table-scroll">
          <table data-testid="warehouse-tables">
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col">Rows</th>
                <th scope="col">Columns</th>
              </tr>
            </thead>
            <tbody>
              {tables.data.items.map((table) => (
                <tr key={table.name} data-testid="warehouse-table" data-table={table.name}>
                  <th scope="row" className="mono">
                    <Link
                      to={tableLink(table.name)}
                      aria-current={table.name === selected ? 'true' : undefined}
                    >
                      {table.name}
                    </Link>
                  </th>
                  <td className="number" data-testid="warehouse-table-rows">
                    {formatCount(table.row_count)}
                  </td>
                  <td className="small">
                    {table.columns.map((c) => (
                      <span key={c.name} className="column-chip">
                        {c.name} <span className="muted">{c.type.toLowerCase()}</span>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && <TablePage key={`${selected}@${offset}`} name={selected} offset={offset} />}
      <QueryBox />
    </main>
  );
}

function TablePage({ name, offset }: { name: string; offset: number }) {
  const page = usePoll(
    [...keys.warehouse, 'rows', name, offset],
    (signal) => api.warehouseRows(name, PAGE, offset, signal),
    0,
  );
  const data = page.data;
  return (
    <section className="card" aria-labelledby="table-page" data-testid="table-page">
      <h2 id="table-page">
        <code>{name}</code>
        {data && (
          <span className="muted small">
            {' '}
            rows {formatCount(data.rows.length === 0 ? 0 : offset + 1)}–
            {formatCount(offset + data.rows.length)} of {formatCount(data.total_entries)}
          </span>
        )}
      </h2>
      <ErrorBanner message={page.error} />
      {data === undefined ? (
        !page.error && <Loading />
      ) : (
        <>
          <ResultTable result={data} label={`Rows of ${name}`} />
          <nav className="row" aria-label="Pages">
            {offset > 0 && <Link to={tableLink(name, Math.max(0, offset - PAGE))}>← Previous</Link>}
            {data.truncated && (
              <Link to={tableLink(name, offset + PAGE)} data-testid="table-next">
                Next →
              </Link>
            )}
          </nav>
        </>
      )}
    </section>
  );
}
