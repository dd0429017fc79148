import type { WarehouseCell, WarehouseQueryResult } from '../api.ts';

function text(cell: WarehouseCell): string {
  if (cell === null) return 'NULL';
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
}

/** A warehouse result as a table: its columns, its rows, NULL shown as such, numbers to the right. */
export function ResultTable({ result, label }: { result: WarehouseQueryResult; label: string }) {
  return (
    <div className="table-scroll">
      <table className="result-table" aria-label={label} data-testid="result-table">
        <thead>
          <tr>
            {result.columns.map((column, i) => (
              <th scope="col" key={i}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.rows.map((row, r) => (
            <tr key={r} data-testid="result-row">
              {row.map((cell, c) => (
                <td
                  key={c}
                  className={typeof cell === 'number' ? 'number' : cell === null ? 'muted' : undefined}
                >
                  {text(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {result.rows.length === 0 && <p className="muted">No rows.</p>}
    </div>
  );
}
