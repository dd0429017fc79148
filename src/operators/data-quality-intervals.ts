/**
 * Data-quality checks in a range run (DESIGN §5.1), measured per covered interval: a check that
 * names the run's interval (`$interval_start`, `$interval_end`, their `_ms` forms, `$logical_date`)
 * is measured for every interval at once, in one statement that joins the checks to a list of the
 * intervals; a check that does not is measured once, for the range.
 */
import { TaskFailure, type CheckResult, type DataInterval } from '../dag/index.ts';
import type { SqlParams, SqlResultValue, SqlSession } from '../ports/index.ts';
import { intervalTable } from './run-params.ts';

const INTERVAL_PARAMS = /\$(interval_start_ms|interval_end_ms|interval_start|interval_end|logical_date)\b/g;

/** A check as data-quality.ts has it: its SQL, and its expected value or expected SQL. */
export interface IntervalCheck {
  readonly name: string;
  readonly sql: string;
  readonly expected: { readonly value: string } | { readonly sql: string };
}

/** Whether a check measures the run's interval, and so can be measured per covered interval. */
export function namesTheInterval(check: IntervalCheck): boolean {
  const uses = (sql: string) => new RegExp(INTERVAL_PARAMS.source).test(sql);
  return uses(check.sql) || ('sql' in check.expected && uses(check.expected.sql));
}

/**
 * Each check's result in each interval, interval by interval: `together`, one statement for all of
 * them (undefined when the engine refuses it: on PostgreSQL the transaction is then aborted), or
 * `one_by_one`, a statement per check, so that an error names the check.
 */
export async function checkPerInterval(
  tx: SqlSession,
  list: readonly IntervalCheck[],
  intervals: readonly DataInterval[],
  params: SqlParams,
  how: 'together' | 'one_by_one',
  asText: (value: SqlResultValue | undefined) => string,
): Promise<CheckResult[] | undefined> {
  if (list.length === 0) return [];
  const measured =
    how === 'together'
      ? await tx.query(statement(list, intervals), params).catch(() => undefined)
      : await oneByOne(tx, list, intervals, params);
  if (!measured) return undefined;
  const byInterval = new Map(measured.map((row) => [Number(row.n), row]));
  return intervals.flatMap((interval, n) => {
    const row = byInterval.get(n) ?? {};
    return list.map((check, i) => {
      const actual = asText(row[`actual_${i}`]);
      const expected = 'value' in check.expected ? check.expected.value : asText(row[`expected_${i}`]);
      return {
        name: check.name,
        sql: check.sql,
        expected,
        actual,
        passed: actual === expected,
        interval: interval.start.toISOString(),
      };
    });
  });
}

async function oneByOne(
  tx: SqlSession,
  list: readonly IntervalCheck[],
  intervals: readonly DataInterval[],
  params: SqlParams,
): Promise<Record<string, SqlResultValue>[]> {
  const rows = new Map<number, Record<string, SqlResultValue>>();
  for (const [i, check] of list.entries()) {
    let measured: Record<string, SqlResultValue>[];
    try {
      measured = await tx.query(statement([check], intervals), params);
    } catch (error) {
      throw new TaskFailure(
        'data_quality_error',
        `check "${check.name}" could not run per interval: ${(error as Error).message}`,
        {},
        { cause: error },
      );
    }
    for (const row of measured) {
      const n = Number(row.n);
      const into = rows.get(n) ?? { n };
      into[`actual_${i}`] = row.actual_0 ?? null;
      if ('expected_0' in row) into[`expected_${i}`] = row.expected_0 ?? null;
      rows.set(n, into);
    }
  }
  return [...rows.values()];
}

/**
 * `SELECT iv.n, (check 0) AS actual_0, … FROM (VALUES …) AS iv(…)`: each check as a subquery of
 * the interval list, its interval parameters read from the list's columns. Every engine Downbeat
 * speaks (DuckDB, PostgreSQL, Redshift) turns text like '2018-11-01 00:00:00.000' into a timestamp
 * with the checks' own CAST, so the list holds the same text the parameters would.
 */
function statement(list: readonly IntervalCheck[], intervals: readonly DataInterval[]): string {
  const bind = (sql: string) =>
    sql.replace(new RegExp(INTERVAL_PARAMS.source, 'g'), (_, name: string) =>
      name === 'logical_date' ? 'iv.interval_start' : `iv.${name}`,
    );
  const columns = list.flatMap((check, i) => [
    `(${bind(check.sql)}) AS actual_${i}`,
    ...('sql' in check.expected ? [`(${bind(check.expected.sql)}) AS expected_${i}`] : []),
  ]);
  return `SELECT iv.n AS n, ${columns.join(', ')} FROM ${intervalTable(intervals)} ORDER BY iv.n`;
}
