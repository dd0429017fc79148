// dataQuality on PostgreSQL, where a refused statement aborts its transaction: the one-by-one
// fallback must run in a transaction of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment, type TestEnvironment } from '../executor/testing.ts';
import { TEST_POSTGRES_URL } from '../store/db/testing.ts';
import { PostgresWarehouse } from '../warehouse/index.ts';
import { dataQuality } from './data-quality.ts';

let env: TestEnvironment;
let wh: PostgresWarehouse;

beforeAll(async () => {
  env = await testEnvironment();
  wh = new PostgresWarehouse(TEST_POSTGRES_URL);
});
afterAll(async () => {
  await wh.close();
  await env.close();
});

describe('dataQuality on PostgreSQL', () => {
  it('falls back to one check at a time after the combined statement is refused', async () => {
    const quality = dataQuality({
      checks: [
        { name: 'one', sql: 'SELECT 1', expected: 1 },
        // Two rows: refused as a scalar subquery, read as its first value one by one.
        { name: 'first of two', sql: 'SELECT x FROM (VALUES (1), (2)) AS v (x) ORDER BY x', expected: 1 },
      ],
    });
    const context = {
      ...env.context('dq', '2018-11-01T10:00:00Z'),
      connections: { warehouse: () => Promise.resolve(wh) },
    };
    const outcome = await quality.execute(context as never);
    expect(outcome.checks?.map((c) => [c.name, c.actual, c.passed])).toEqual([
      ['one', '1', true],
      ['first of two', '1', true],
    ]);
  });

  it('binds run values into check SQL as parameters: a hostile run id is data, not SQL', async () => {
    await wh.execute('CREATE TABLE IF NOT EXISTS dq_guard (k INTEGER)');
    const hostile = "x'); DROP TABLE dq_guard; --";
    const quality = dataQuality({ checks: [{ name: 'run id', sql: 'SELECT $run_id', expected: hostile }] });
    const context = {
      ...env.context('dq', '2018-11-01T10:00:00Z'),
      runId: hostile,
      connections: { warehouse: () => Promise.resolve(wh) },
    };
    const outcome = await quality.execute(context as never);
    expect(outcome.checks?.[0]).toMatchObject({ actual: hostile, passed: true });
    expect(await wh.query("SELECT to_regclass('dq_guard') IS NOT NULL AS present")).toEqual([
      { present: true },
    ]);
    await wh.execute('DROP TABLE dq_guard');
  });
});
