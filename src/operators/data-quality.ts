import {
  coveredIntervals,
  TaskFailure,
  type CheckResult,
  type Operator,
  type TaskContext,
  type TaskOutcome,
} from '../dag/index.ts';
import type { SqlResultValue, SqlSession } from '../ports/index.ts';
import { checkPerInterval, namesTheInterval, type IntervalCheck } from './data-quality-intervals.ts';
import { runParams } from './run-params.ts';

/**
 * A check: a SQL statement whose first value must equal `expected`, or the first value of
 * `expectedSql` (a reconciliation). The brief's `{ check_sql, expected_result }` is accepted too.
 */
export type DataQualityCheck =
  | {
      readonly name?: string;
      readonly sql: string;
      readonly expected: string | number | boolean | null;
      /**
       * The check counts offending rows (expected 0), so that 0 over a range run's whole interval
       * is 0 in each covered interval: it is measured once for the range, and per interval only
       * when the range has offending rows. The built-in checks but reconcile say so. @default false
       */
      readonly countsOffendingRows?: boolean;
    }
  | { readonly name?: string; readonly sql: string; readonly expectedSql: string }
  | {
      readonly name?: string;
      readonly check_sql: string;
      readonly expected_result: string | number | boolean | null;
    };

export interface DataQualityOptions {
  /** @default 'warehouse' */
  readonly warehouse?: string;
  readonly checks: readonly DataQualityCheck[];
}

/**
 * Runs every check, returns each result, and fails the task when any check fails. In a range run,
 * a check that names the run's interval is measured in each covered interval (its results carry
 * the interval); a count of offending rows once for the range, and per interval when not 0; the
 * others once, for the range.
 */
export function dataQuality(options: DataQualityOptions): Operator {
  const connection = options.warehouse ?? 'warehouse';
  if (options.checks.length === 0) throw new Error('dataQuality: no checks given');
  return {
    kind: 'data_quality',
    describe: () => ({ warehouse: connection, checks: options.checks }),
    async execute(context: TaskContext): Promise<TaskOutcome> {
      const warehouse = await context.connections.warehouse(connection);
      const params = runParams(context);
      const intervals = coveredIntervals(context);
      const ranged = intervals.length > 1;
      // Named once, by their place in the DAG's list, whichever way each is measured.
      const list = options.checks.map((c, i) => ({ ...c, name: c.name ?? `check ${i + 1}` }));
      const split = list.map((c, i) => ranged && !offendingRows(c) && namesTheInterval(intervalCheck(c, i)));
      const whole = list.filter((_, i) => !split[i]);
      const perInterval = list.flatMap((c, i) => (split[i] ? [intervalCheck(c, i)] : []));
      // One transaction: every check sees the same snapshot of the warehouse. When the engine
      // refuses a combined statement, PostgreSQL has aborted that transaction: the checks then
      // run one by one in a new one.
      const together = await warehouse.transaction(async (tx) => {
        const once = await runTogether(tx, whole, params);
        const each = once && (await checkPerInterval(tx, perInterval, intervals, params, 'together', asText));
        return once && each && [...once, ...each];
      });
      let checks =
        together ??
        (await warehouse.transaction(async (tx) => [
          ...(await runOneByOne(tx, whole, params)),
          ...((await checkPerInterval(tx, perInterval, intervals, params, 'one_by_one', asText)) ?? []),
        ]));
      // A count of offending rows that is not 0 over the range: which intervals hold them.
      const offending = list.flatMap((c, i) => {
        const check = intervalCheck(c, i);
        const failed = checks.some((r) => r.interval === undefined && r.name === check.name && !r.passed);
        return ranged && offendingRows(c) && namesTheInterval(check) && failed ? [check] : [];
      });
      if (offending.length > 0) {
        const names = new Set(offending.map((c) => c.name));
        const each = await warehouse.transaction(
          async (tx) =>
            (await checkPerInterval(tx, offending, intervals, params, 'one_by_one', asText)) ?? [],
        );
        checks = [...checks.filter((r) => !names.has(r.name)), ...each];
      }
      const failed = checks.filter((c) => !c.passed);
      for (const line of checkLog(checks)) context.log[line.passed ? 'info' : 'error'](line.text);
      if (failed.length > 0) {
        const lines = summarise(failed).map(
          (c) => `${c.name}${c.where}: expected ${c.expected}, got ${c.actual}`,
        );
        throw new TaskFailure(
          'data_quality',
          `${failed.length} of ${checks.length} data-quality check(s) failed: ${lines.join('; ')}`,
          { checks },
        );
      }
      return { checks, summary: `${checks.length} check(s) passed` };
    },
  };
}

type Params = Parameters<SqlSession['query']>[1];

function offendingRows(check: DataQualityCheck): boolean {
  return (
    'countsOffendingRows' in check && check.countsOffendingRows === true && asText(check.expected) === '0'
  );
}

function intervalCheck(check: DataQualityCheck, index: number): IntervalCheck {
  const name = check.name ?? `check ${index + 1}`;
  if ('check_sql' in check)
    return { name, sql: check.check_sql, expected: { value: asText(check.expected_result) } };
  if ('expectedSql' in check) return { name, sql: check.sql, expected: { sql: check.expectedSql } };
  return { name, sql: check.sql, expected: { value: asText(check.expected) } };
}

/** Failed results, a check's per-interval failures as one: where it first failed, and in how many. */
function summarise(failed: readonly CheckResult[]): (CheckResult & { where: string })[] {
  const byName = new Map<string, CheckResult[]>();
  for (const c of failed) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  return [...byName.values()].map((results) => {
    const first = results[0] as CheckResult;
    if (first.interval === undefined) return { ...first, where: '' };
    return { ...first, where: ` in ${results.length} interval(s), first ${first.interval}` };
  });
}

/** The log's lines: one per check measured once; one per check measured per interval, and its failures. */
function checkLog(checks: readonly CheckResult[]): { passed: boolean; text: string }[] {
  const lines: { passed: boolean; text: string }[] = [];
  const perInterval = new Map<string, CheckResult[]>();
  for (const c of checks) {
    if (c.interval === undefined)
      lines.push({
        passed: c.passed,
        text: `${c.passed ? 'passed' : 'FAILED'}: ${c.name} (expected ${c.expected}, got ${c.actual})`,
      });
    else perInterval.set(c.name, [...(perInterval.get(c.name) ?? []), c]);
  }
  for (const [name, results] of perInterval) {
    const failed = results.filter((c) => !c.passed);
    lines.push({
      passed: failed.length === 0,
      text: `${failed.length === 0 ? 'passed' : 'FAILED'}: ${name} in ${results.length - failed.length} of ${results.length} intervals`,
    });
    for (const c of failed.slice(0, 20))
      lines.push({
        passed: false,
        text: `  FAILED in ${c.interval}: expected ${c.expected}, got ${c.actual}`,
      });
  }
  return lines;
}

/**
 * All checks as one statement of scalar subqueries: one round trip instead of one per check.
 * Undefined when the engine refuses it (a check that is not one value, say): then one by one, so
 * the error names the check.
 */
async function runTogether(
  tx: SqlSession,
  list: readonly DataQualityCheck[],
  params: Params,
): Promise<CheckResult[] | undefined> {
  if (list.length === 0) return [];
  const parts = list.flatMap((check, i) => {
    const sql = 'check_sql' in check ? check.check_sql : check.sql;
    return [
      `(${sql}) AS actual_${i}`,
      ...('expectedSql' in check ? [`(${check.expectedSql}) AS expected_${i}`] : []),
    ];
  });
  let row: Record<string, SqlResultValue> | undefined;
  try {
    [row] = await tx.query(`SELECT ${parts.join(', ')}`, params);
  } catch {
    return undefined;
  }
  if (!row) return undefined;
  const values = row;
  return list.map((check, i) => {
    const sql = 'check_sql' in check ? check.check_sql : check.sql;
    const actual = asText(values[`actual_${i}`]);
    const expected =
      'expectedSql' in check
        ? asText(values[`expected_${i}`])
        : asText('expected_result' in check ? check.expected_result : check.expected);
    return { name: check.name ?? `check ${i + 1}`, sql, expected, actual, passed: actual === expected };
  });
}

async function runOneByOne(
  tx: SqlSession,
  list: readonly DataQualityCheck[],
  params: Params,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [index, check] of list.entries()) results.push(await runCheck(tx, check, index, params));
  return results;
}

async function runCheck(
  tx: SqlSession,
  check: DataQualityCheck,
  index: number,
  params: Parameters<SqlSession['query']>[1],
): Promise<CheckResult> {
  const sql = 'check_sql' in check ? check.check_sql : check.sql;
  const name = check.name ?? `check ${index + 1}`;
  let actual: string;
  let expected: string;
  try {
    actual = asText(await firstValue(tx, sql, params));
    expected =
      'expectedSql' in check
        ? asText(await firstValue(tx, check.expectedSql, params))
        : asText('expected_result' in check ? check.expected_result : check.expected);
  } catch (error) {
    throw new TaskFailure(
      'data_quality_error',
      `check "${name}" could not run: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  return { name, sql, expected, actual, passed: actual === expected };
}

async function firstValue(
  tx: SqlSession,
  sql: string,
  params: Parameters<SqlSession['query']>[1],
): Promise<SqlResultValue> {
  const [row] = await tx.query(sql, params);
  return row ? (Object.values(row)[0] ?? null) : null;
}

/** One text form for values from any engine: 5, 5.0 and '5' compare equal. */
function asText(value: SqlResultValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return String(Number(value));
  return String(value);
}

/** Built-in checks, each measuring the offending rows (expected 0). `where` narrows to e.g. the interval. */
export const checks = {
  noNulls(table: string, column: string, where = 'TRUE'): DataQualityCheck {
    return {
      name: `${table}.${column} has no nulls`,
      sql: `SELECT COUNT(*) FROM ${table} WHERE ${column} IS NULL AND (${where})`,
      expected: 0,
      countsOffendingRows: true,
    };
  },
  uniqueKey(table: string, key: readonly string[], where = 'TRUE'): DataQualityCheck {
    const columns = key.join(', ');
    return {
      name: `${table}(${columns}) is unique`,
      sql: `SELECT COUNT(*) FROM (SELECT ${columns} FROM ${table} WHERE (${where}) GROUP BY ${columns} HAVING COUNT(*) > 1) AS repeated`,
      expected: 0,
      countsOffendingRows: true,
    };
  },
  referencesExisting(
    from: { table: string; column: string; where?: string },
    to: { table: string; column: string },
  ): DataQualityCheck {
    return {
      name: `${from.table}.${from.column} references ${to.table}.${to.column}`,
      sql:
        `SELECT COUNT(*) FROM ${from.table} AS child WHERE child.${from.column} IS NOT NULL AND (${from.where ?? 'TRUE'}) ` +
        `AND NOT EXISTS (SELECT 1 FROM ${to.table} AS parent WHERE parent.${to.column} = child.${from.column})`,
      expected: 0,
      countsOffendingRows: true,
    };
  },
  reconcile(name: string, sql: string, expectedSql: string): DataQualityCheck {
    return { name, sql, expectedSql };
  },
};
