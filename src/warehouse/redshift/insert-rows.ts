import { quoteIdentifier, WarehouseError, type BulkRow } from '../../ports/index.ts';
import type { Queryable } from '../postgres/index.ts';

/** How much one INSERT carries: Redshift has no COPY FROM STDIN, and a statement is at most 16 MB. */
export interface InsertBatchLimits {
  readonly rows: number;
  readonly parameters: number;
  /** Roughly, the text of the values. */
  readonly bytes: number;
}

const DEFAULT_LIMITS: InsertBatchLimits = { rows: 1000, parameters: 30_000, bytes: 8 * 1024 * 1024 };

/**
 * Appends rows with multi-row `INSERT … VALUES ($1, $2), ($3, $4)`, batch by batch as they stream
 * in: the bulk path for small rows (bookkeeping, a catalog read through the worker). Values are
 * parameters; timestamps go as UTC text. Returns the number of rows.
 */
export async function insertRows(
  client: Queryable,
  table: string,
  columns: readonly string[],
  input: AsyncIterable<BulkRow> | Iterable<BulkRow>,
  limits: InsertBatchLimits = DEFAULT_LIMITS,
): Promise<number> {
  const head = `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
  const perStatement = Math.max(
    1,
    Math.min(limits.rows, Math.floor(limits.parameters / Math.max(1, columns.length))),
  );
  let values: unknown[] = [];
  let tuples: string[] = [];
  let bytes = 0;
  let count = 0;
  const flush = async () => {
    if (tuples.length === 0) return;
    try {
      await client.query(head + tuples.join(', '), values);
    } catch (error) {
      throw new WarehouseError(`bulk insert into ${table}: ${(error as Error).message}`, { cause: error });
    }
    count += tuples.length;
    values = [];
    tuples = [];
    bytes = 0;
  };
  for await (const row of input) {
    const placeholders: string[] = [];
    for (let i = 0; i < columns.length; i += 1) {
      const value = parameter(row[i]);
      values.push(value);
      placeholders.push(`$${values.length}`);
      bytes += typeof value === 'string' ? value.length + 8 : 16;
    }
    tuples.push(`(${placeholders.join(', ')})`);
    if (tuples.length >= perStatement || bytes >= limits.bytes) await flush();
  }
  await flush();
  return count;
}

function parameter(value: BulkRow[number] | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  // node-postgres would send a Date in the process's time zone; TIMESTAMP columns hold UTC.
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  return value;
}
