// A range run's figures per covered interval, on DuckDB and on PostgreSQL: the fact's rows per
// interval, and data-quality checks that name the interval measured in each of them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TaskFailure, type TaskContext } from '../dag/index.ts';
import { testEnvironment, type TestEnvironment } from '../executor/testing.ts';
import type { Warehouse } from '../ports/index.ts';
import { TEST_POSTGRES_URL } from '../store/db/testing.ts';
import { PostgresWarehouse } from '../warehouse/index.ts';
import { checks, dataQuality } from './data-quality.ts';
import { loadFact } from './load-fact.ts';

const HOUR = 3_600_000;
const START = Date.parse('2018-11-15T10:00:00Z');
const hours = [0, 1, 2].map((h) => ({
  start: new Date(START + h * HOUR),
  end: new Date(START + (h + 1) * HOUR),
}));
const inInterval = 'at_ts >= CAST($interval_start AS TIMESTAMP) AND at_ts < CAST($interval_end AS TIMESTAMP)';

let env: TestEnvironment;
let postgres: PostgresWarehouse;
beforeAll(async () => {
  env = await testEnvironment();
  postgres = new PostgresWarehouse(TEST_POSTGRES_URL);
});
afterAll(async () => {
  for (const table of ['rf_staged', 'rf_fact']) await postgres.execute(`DROP TABLE IF EXISTS ${table}`);
  await postgres.close();
  await env.close();
});

describe.each(['duckdb', 'postgres'] as const)('a range run over three hours on %s', (engine) => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = engine === 'duckdb' ? await env.connections.warehouse('warehouse') : postgres;
    await wh.execute('DROP TABLE IF EXISTS rf_staged');
    await wh.execute('DROP TABLE IF EXISTS rf_fact');
    await wh.execute(`CREATE TABLE rf_staged (id INTEGER, at_ts TIMESTAMP)`);
    await wh.execute(`INSERT INTO rf_staged VALUES (1, TIMESTAMP '2018-11-15 10:05:00'), (2, TIMESTAMP '2018-11-15 10:59:59'),
      (3, TIMESTAMP '2018-11-15 12:30:00'), (4, TIMESTAMP '2018-11-15 13:00:00')`);
    await wh.execute('CREATE TABLE rf_fact (id INTEGER, at_ts TIMESTAMP)');
  });

  /** The context of a range run's task over the three hours. */
  const rangeContext = (): TaskContext => ({
    ...env.context('t', hours[0]?.start.toISOString() ?? '', hours[2]?.end.toISOString()),
    intervals: hours,
    connections: {
      warehouse: () => Promise.resolve(wh),
      objectStore: () => Promise.reject(new Error('none')),
    },
  });

  it('gives the rows loaded in each covered interval', async () => {
    // Rows just outside the range, kept by the load, are in none of its intervals.
    await wh.execute(
      `INSERT INTO rf_fact VALUES (8, TIMESTAMP '2018-11-15 09:59:59'), (9, TIMESTAMP '2018-11-15 13:00:00')`,
    );
    const load = loadFact({
      table: 'rf_fact',
      columns: ['id', 'at_ts'],
      select: `SELECT id, at_ts FROM rf_staged WHERE ${inInterval}`,
      intervalColumn: 'at_ts',
    });
    const outcome = await load.execute(rangeContext());
    expect(outcome.rowsWritten).toEqual({ rf_fact: 3 });
    expect(outcome.intervals).toEqual({
      '2018-11-15T10:00:00.000Z': { rowsWritten: { rf_fact: 2 } },
      '2018-11-15T11:00:00.000Z': { rowsWritten: { rf_fact: 0 } },
      '2018-11-15T12:00:00.000Z': { rowsWritten: { rf_fact: 1 } },
    });
  });

  it('measures a check that names the interval in each interval, the others once for the range', async () => {
    await wh.execute('INSERT INTO rf_fact SELECT id, at_ts FROM rf_staged WHERE id < 4');
    const quality = dataQuality({
      checks: [
        checks.reconcile(
          'staged = fact in the interval',
          `SELECT COUNT(*) FROM rf_fact WHERE ${inInterval}`,
          `SELECT COUNT(*) FROM rf_staged WHERE ${inInterval}`,
        ),
        checks.noNulls('rf_fact', 'id'),
      ],
    });
    const outcome = await quality.execute(rangeContext());
    expect(outcome.checks?.map((c) => [c.name, c.interval ?? 'range', c.actual, c.passed])).toEqual([
      ['rf_fact.id has no nulls', 'range', '0', true],
      ['staged = fact in the interval', '2018-11-15T10:00:00.000Z', '2', true],
      ['staged = fact in the interval', '2018-11-15T11:00:00.000Z', '0', true],
      ['staged = fact in the interval', '2018-11-15T12:00:00.000Z', '1', true],
    ]);
  });

  it('counts offending rows once for the range, and per interval only where the range has some', async () => {
    const unique = dataQuality({ checks: [checks.uniqueKey('rf_fact', ['id'], inInterval)] });
    await wh.execute('INSERT INTO rf_fact SELECT id, at_ts FROM rf_staged WHERE id < 4');
    const clean = await unique.execute(rangeContext());
    expect(clean.checks?.map((c) => [c.interval ?? 'range', c.actual])).toEqual([['range', '0']]);
    await wh.execute("INSERT INTO rf_fact VALUES (3, TIMESTAMP '2018-11-15 12:40:00')");
    const failure = (await unique.execute(rangeContext()).catch((e: unknown) => e)) as TaskFailure;
    expect(failure.outcome.checks?.map((c) => [c.interval, c.actual])).toEqual([
      ['2018-11-15T10:00:00.000Z', '0'],
      ['2018-11-15T11:00:00.000Z', '0'],
      ['2018-11-15T12:00:00.000Z', '1'],
    ]);
  });

  it('fails naming the intervals a check failed in, also when the checks run one by one', async () => {
    await wh.execute("INSERT INTO rf_fact VALUES (9, TIMESTAMP '2018-11-15 11:10:00')");
    const quality = dataQuality({
      checks: [
        {
          name: 'fact empty in the interval',
          sql: `SELECT COUNT(*) FROM rf_fact WHERE ${inInterval}`,
          expected: 0,
        },
        // Two rows: refused as a subquery, so every check runs one by one (a new transaction on PostgreSQL).
        { name: 'first of two', sql: 'SELECT x FROM (VALUES (1), (2)) AS v (x) ORDER BY x', expected: 1 },
      ],
    });
    const failure = await quality.execute(rangeContext()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TaskFailure);
    expect((failure as TaskFailure).message).toContain(
      'fact empty in the interval in 1 interval(s), first 2018-11-15T11:00:00.000Z: expected 0, got 1',
    );
    const results = (failure as TaskFailure).outcome.checks ?? [];
    expect(results.filter((c) => c.interval !== undefined).map((c) => c.passed)).toEqual([true, false, true]);
    expect(results.find((c) => c.name === 'first of two')).toMatchObject({ actual: '1', passed: true });
  });
});
