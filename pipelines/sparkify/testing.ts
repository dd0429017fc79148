/** Helpers for Sparkify's tests: a checksum of each star table's sorted contents, a canonical dump, and stopping the processes of an end-to-end run. */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { quoteIdentifier, type SqlResultValue, type Warehouse } from '../../src/ports/index.ts';

const TABLES: Record<string, string> = {
  songplays: 'playid',
  users: 'userid',
  songs: 'songid',
  artists: 'artistid',
  '"time"': 'start_time',
};

/** One engine's own hash of each table: for comparing runs on the same engine only. */
export async function checksums(warehouse: Warehouse): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const [table, key] of Object.entries(TABLES)) {
    const rows = await warehouse.query(`SELECT * FROM ${table} ORDER BY ${key}`);
    sums[table] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
  }
  return sums;
}

/** A table as text: its column names in table order, and each row as one line, lines sorted. */
export interface TableDump {
  readonly columns: readonly string[];
  readonly rows: readonly string[];
}

/** songplays, users, songs, artists and time, each as a TableDump. */
export type CanonicalDump = Record<string, TableDump>;

const STAR_TABLES = ['songplays', 'users', 'songs', 'artists', 'time'] as const;

/**
 * Every row of each star table as text, in a form that does not depend on the engine, so that
 * DuckDB, PostgreSQL and Redshift warehouses can be compared (their hashes of the same rows differ).
 * A row is its values in column order joined by ` | `, every column the table has (bookkeeping
 * ones such as users.level_at too); the lines are sorted by code unit. Values:
 * - NULL is `NULL`; text is JSON-quoted (`"112"`, `""`), so it is never taken for NULL or a number;
 * - a timestamp is ISO-8601 UTC with milliseconds (`2018-11-01T10:00:00.123Z`);
 * - a whole number is written without decimals (`218` for INTEGER 218 and DOUBLE 218.0 alike);
 *   other numbers are rounded to 12 significant digits, then written the shortest way JavaScript
 *   reads back (`Number(x.toPrecision(12)).toString()`: `218.93179`). The sources hold at most 10
 *   significant digits, and a double keeps 15: 12 hides only last-bit noise of text conversion;
 * - a boolean is `true` or `false`.
 */
export async function canonicalDump(warehouse: Warehouse): Promise<CanonicalDump> {
  const dump: CanonicalDump = {};
  for (const table of STAR_TABLES) {
    const columns = (await warehouse.tableColumns(table)).map((c) => c.name);
    if (columns.length === 0) throw new Error(`${warehouse.location} has no table "${table}"`);
    const rows = await warehouse.query(
      `SELECT ${columns.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(table)}`,
    );
    dump[table] = {
      columns,
      rows: rows.map((row) => columns.map((c) => canonicalValue(row[c] ?? null)).join(' | ')).sort(),
    };
  }
  return dump;
}

export function canonicalValue(value: SqlResultValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Number.isFinite(value) ? Number(value.toPrecision(12)).toString() : String(value);
  }
  return String(value);
}

/**
 * Where two dumps differ, readably: per table that differs, its row counts, and the first
 * `limit` rows that only `expected` holds (`missing`) and only `actual` holds (`unexpected`).
 * An empty object when they are equal.
 */
export function dumpDifferences(
  expected: CanonicalDump,
  actual: CanonicalDump,
  limit = 5,
): Record<string, object> {
  const differences: Record<string, object> = {};
  for (const table of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const a = expected[table] ?? { columns: [], rows: [] };
    const b = actual[table] ?? { columns: [], rows: [] };
    if (a.columns.join() !== b.columns.join()) {
      differences[table] = { columns: { expected: a.columns, actual: b.columns } };
      continue;
    }
    const missing = without(a.rows, b.rows);
    const unexpected = without(b.rows, a.rows);
    if (missing.length === 0 && unexpected.length === 0) continue;
    differences[table] = {
      rows: { expected: a.rows.length, actual: b.rows.length },
      columns: a.columns.join(' | '),
      missing: missing.slice(0, limit),
      unexpected: unexpected.slice(0, limit),
    };
  }
  return differences;
}

/** The lines of `rows` not matched one for one by a line of `other`. */
function without(rows: readonly string[], other: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const row of other) left.set(row, (left.get(row) ?? 0) + 1);
  return rows.filter((row) => {
    const n = left.get(row) ?? 0;
    if (n > 0) left.set(row, n - 1);
    return n === 0;
  });
}

/** Signals a child process (a scheduler or worker of an end-to-end run) and waits for it to exit. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}
