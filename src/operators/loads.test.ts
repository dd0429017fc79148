import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskFailure } from '../dag/index.ts';
import { testEnvironment, type TestEnvironment } from '../executor/testing.ts';
import type { Warehouse } from '../ports/index.ts';
import { checks, dataQuality } from './data-quality.ts';
import { loadDimension } from './load-dimension.ts';
import { loadFact } from './load-fact.ts';

let env: TestEnvironment;
let wh: Warehouse;
beforeEach(async () => {
  env = await testEnvironment();
  wh = await env.connections.warehouse('warehouse');
  await wh.execute(`CREATE TABLE staged (id INTEGER, at_ts TIMESTAMP, who VARCHAR, level VARCHAR);
    INSERT INTO staged VALUES
      (1, TIMESTAMP '2018-11-15 10:05:00.250', 'ann', 'free'),
      (2, TIMESTAMP '2018-11-15 10:59:59.999', 'ann', 'paid'),
      (3, TIMESTAMP '2018-11-15 11:00:00', 'bob', 'free'),
      (4, TIMESTAMP '2018-11-15 09:00:00', 'ann', 'free');
    CREATE TABLE fact (id INTEGER PRIMARY KEY, at_ts TIMESTAMP NOT NULL);
    CREATE TABLE people (who VARCHAR PRIMARY KEY, level VARCHAR, level_at TIMESTAMP);`);
});
afterEach(async () => env.close());

const hour = (h: number) => `2018-11-15T${String(h).padStart(2, '0')}:00:00Z`;
const factLoad = (mode?: 'append') =>
  loadFact({
    table: 'fact',
    columns: ['id', 'at_ts'],
    select:
      'SELECT id, at_ts FROM staged WHERE at_ts >= CAST($interval_start AS TIMESTAMP) AND at_ts < CAST($interval_end AS TIMESTAMP)',
    intervalColumn: 'at_ts',
    mode,
  });
const peopleLoad = loadDimension({
  table: 'people',
  columns: ['who', 'level', 'level_at'],
  key: ['who'],
  select:
    'SELECT who, level, at_ts AS level_at FROM staged WHERE at_ts >= CAST($interval_start AS TIMESTAMP) AND at_ts < CAST($interval_end AS TIMESTAMP)',
  orderBy: 'level_at DESC',
  updateWhen: 'source.level_at > target.level_at',
});

describe('loadFact', () => {
  it('replaces the interval, so a rerun never duplicates, and keeps milliseconds', async () => {
    expect((await factLoad().execute(env.context('fact', hour(10)))).rowsWritten).toEqual({ fact: 2 });
    const rerun = await factLoad().execute(env.context('fact', hour(10)));
    expect(rerun.summary).toBe('2 row(s) inserted into fact, 2 replaced');
    await factLoad().execute(env.context('fact', hour(11)));
    expect(await wh.query('SELECT id, at_ts FROM fact ORDER BY id')).toEqual([
      { id: 1, at_ts: new Date('2018-11-15T10:05:00.250Z') },
      { id: 2, at_ts: new Date('2018-11-15T10:59:59.999Z') },
      { id: 3, at_ts: new Date('2018-11-15T11:00:00Z') },
    ]);
  });

  it('keeps the interval as it was when the load fails', async () => {
    await factLoad().execute(env.context('fact', hour(10)));
    await wh.execute("INSERT INTO staged VALUES (1, TIMESTAMP '2018-11-15 10:30:00', 'dup', 'free')");
    await expect(factLoad().execute(env.context('fact', hour(10)))).rejects.toThrow(
      /(PRIMARY KEY|unique|Duplicate)/i,
    );
    expect(await wh.query('SELECT id FROM fact ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('appends in append mode', async () => {
    await wh.execute('CREATE TABLE log_fact (id INTEGER, at_ts TIMESTAMP)');
    const append = loadFact({
      table: 'log_fact',
      columns: ['id', 'at_ts'],
      select: 'SELECT id, at_ts FROM staged',
      mode: 'append',
    });
    await append.execute(env.context('fact', hour(10)));
    await append.execute(env.context('fact', hour(10)));
    expect((await wh.query('SELECT COUNT(*) AS n FROM log_fact'))[0]?.n).toBe(8);
  });
});

describe('loadDimension', () => {
  it('upserts one row per key, the latest winning, and never lets an older interval overwrite a newer one', async () => {
    await peopleLoad.execute(env.context('people', hour(10)));
    expect(await wh.query('SELECT who, level FROM people ORDER BY who')).toEqual([
      { who: 'ann', level: 'paid' },
    ]);
    await peopleLoad.execute(env.context('people', hour(9)));
    await peopleLoad.execute(env.context('people', hour(11)));
    expect(await wh.query('SELECT who, level, level_at FROM people ORDER BY who')).toEqual([
      { who: 'ann', level: 'paid', level_at: new Date('2018-11-15T10:59:59.999Z') },
      { who: 'bob', level: 'free', level_at: new Date('2018-11-15T11:00:00Z') },
    ]);
    const unchanged = await peopleLoad.execute(env.context('people', hour(10)));
    expect(unchanged.rowsWritten).toEqual({ people: 0 });
  });

  it('truncates and inserts in truncate_insert mode', async () => {
    const replaceAll = loadDimension({
      table: 'people',
      columns: ['who', 'level', 'level_at'],
      key: ['who'],
      select: 'SELECT who, level, at_ts AS level_at FROM staged',
      orderBy: 'level_at DESC',
      mode: 'truncate_insert',
    });
    await replaceAll.execute(env.context('people', hour(10)));
    await replaceAll.execute(env.context('people', hour(10)));
    expect(await wh.query('SELECT who, level FROM people ORDER BY who')).toEqual([
      { who: 'ann', level: 'paid' },
      { who: 'bob', level: 'free' },
    ]);
  });
});

describe('loadDimension with an input version', () => {
  it('skips a load whose input has not changed, and loads again when it changes or the table was emptied', async () => {
    await wh.execute("CREATE TABLE catalog_version (v VARCHAR); INSERT INTO catalog_version VALUES ('one')");
    const load = loadDimension({
      table: 'people',
      columns: ['who', 'level', 'level_at'],
      key: ['who'],
      select: 'SELECT who, level, at_ts AS level_at FROM staged',
      orderBy: 'level_at DESC',
      inputVersion: 'SELECT v FROM catalog_version',
    });
    expect((await load.execute(env.context('people', hour(10)))).rowsWritten).toEqual({ people: 2 });
    expect((await load.execute(env.context('people', hour(11)))).summary).toMatch(/up to date/);
    await wh.execute("UPDATE staged SET level = 'paid'; UPDATE catalog_version SET v = 'two'");
    expect((await load.execute(env.context('people', hour(12)))).rowsWritten).toEqual({ people: 1 });
    await wh.execute('DELETE FROM people');
    expect((await load.execute(env.context('people', hour(13)))).rowsWritten).toEqual({ people: 2 });
  });
});

describe('dataQuality', () => {
  it('returns every check with expected and actual values, and fails the task when one fails', async () => {
    await wh.execute('CREATE TABLE t (k INTEGER); INSERT INTO t VALUES (1), (1), (NULL)');
    const quality = dataQuality({
      checks: [
        { check_sql: 'SELECT COUNT(*) FROM t', expected_result: 3 },
        checks.noNulls('t', 'k'),
        checks.uniqueKey('t', ['k']),
        checks.reconcile('t matches itself', 'SELECT COUNT(*) FROM t', 'SELECT COUNT(k) + 1 FROM t'),
      ],
    });
    const error = await quality.execute(env.context('dq', hour(10))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailure);
    expect((error as Error).message).toBe(
      '2 of 4 data-quality check(s) failed: t.k has no nulls: expected 0, got 1; t(k) is unique: expected 0, got 1',
    );
    expect(
      (error as TaskFailure).outcome.checks?.map((c) => [c.name, c.expected, c.actual, c.passed]),
    ).toEqual([
      ['check 1', '3', '3', true],
      ['t.k has no nulls', '0', '1', false],
      ['t(k) is unique', '0', '1', false],
      ['t matches itself', '3', '3', true],
    ]);
  });

  it('falls back to one check at a time when a check is not a single value, and names a broken check', async () => {
    await wh.execute('CREATE TABLE t (k INTEGER); INSERT INTO t VALUES (1), (2)');
    const rows = dataQuality({
      checks: [{ name: 'first k', sql: 'SELECT k, k * 10 FROM t ORDER BY k', expected: 1 }],
    });
    expect((await rows.execute(env.context('dq', hour(10)))).checks?.[0]).toMatchObject({
      actual: '1',
      passed: true,
    });
    const broken = dataQuality({
      checks: [
        { name: 'ok', sql: 'SELECT 1', expected: 1 },
        { name: 'typo', sql: 'SELECT COUNT(*) FROM nope', expected: 0 },
      ],
    });
    await expect(broken.execute(env.context('dq', hour(10)))).rejects.toThrow(
      /^check "typo" could not run: .*nope/,
    );
  });
});
