/**
 * Where a load spends its time, statement by statement: runs another bench script in this process
 * with DuckDB's connections and PostgreSQL's clients timed, then prints the statements that took
 * longest in all, each with how often it ran (a statement is known by its first 90 characters; a
 * COPY's stream is not timed).
 *
 *   node --import tsx bench/sql-statements.ts SCRIPT [ARGS…]
 *   node --import tsx bench/sql-statements.ts bench/hourly-pipeline.ts /tmp/m1 /tmp/w.duckdb 2018-11-01 2018-12-01 daily
 *
 * Statements of a run's tasks overlap and take turns at DuckDB's one writer: a statement's time
 * includes what it waited for the cores, and the times add up to more than the wall time.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';

const [script] = process.argv.splice(2, 1);
if (!script) throw new Error('usage: sql-statements.ts SCRIPT [ARGS…]');

const statements = new Map<string, { count: number; ms: number }>();
function record(sql: string, started: number): void {
  const label = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
  const entry = statements.get(label) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += performance.now() - started;
  statements.set(label, entry);
}

const inside = new WeakSet<DuckDBConnection>();
type Run = (this: DuckDBConnection, sql: string, ...rest: unknown[]) => Promise<unknown>;
const prototype = DuckDBConnection.prototype as unknown as Record<'run' | 'runAndReadAll', Run>;
for (const method of ['run', 'runAndReadAll'] as const) {
  const original = prototype[method];
  prototype[method] = async function (sql, ...rest) {
    // runAndReadAll calls run: count the statement once.
    if (inside.has(this)) return original.call(this, sql, ...rest);
    inside.add(this);
    const started = performance.now();
    try {
      return await original.call(this, sql, ...rest);
    } finally {
      inside.delete(this);
      record(sql, started);
    }
  };
}

// PostgreSQL: a client's query(text, values), as a promise or with a callback (a pool's query).
type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const client = pg.Client.prototype as unknown as { query: Query };
const query = client.query;
client.query = function (...args) {
  const [text] = args;
  if (typeof text !== 'string') return query.apply(this, args);
  const started = performance.now();
  const last = args.at(-1);
  if (typeof last === 'function')
    args[args.length - 1] = (...results: unknown[]) => {
      record(text, started);
      return (last as (...results: unknown[]) => unknown)(...results);
    };
  const result = query.apply(this, args);
  return result instanceof Promise ? result.finally(() => record(text, started)) : result;
};

process.on('exit', () => {
  const slowest = [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
  process.stderr.write('    ms total   count  statement\n');
  for (const [label, { count, ms }] of slowest)
    process.stderr.write(`${ms.toFixed(0).padStart(11)}  ${String(count).padStart(6)}  ${label}\n`);
});
await import(pathToFileURL(resolve(script)).href);
