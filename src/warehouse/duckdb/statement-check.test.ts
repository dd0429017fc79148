import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from './duckdb-warehouse.ts';

/** The explorer's rule on DuckDB, on the trees DuckDB's own parser makes of tricky statements. */
describe("the DuckDB explorer's statement check", () => {
  let warehouse: DuckDbWarehouse;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    await warehouse.execute('CREATE TABLE songplays (playid VARCHAR, level VARCHAR)');
    await warehouse.execute("INSERT INTO songplays VALUES ('a', 'free'), ('b', 'paid')");
  });
  afterAll(() => warehouse.close());
  const run = (sql: string) => warehouse.readOnlyQuery(sql, { limit: 10, timeoutMs: 5000 });

  it.each([
    ['WITH plays AS (SELECT * FROM songplays) SELECT count(*) FROM plays', [[2]]],
    ['WITH a AS (SELECT 1 AS n), b AS (SELECT n + 1 AS n FROM a) SELECT n FROM b', [[2]]],
    [
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT sum(n) FROM r',
      [[6]],
    ],
    ['SELECT count(*) FROM main.songplays WHERE level IN (SELECT level FROM SongPlays)', [[2]]],
    ['FROM songplays SELECT playid ORDER BY playid', [['a'], ['b']]],
  ])('runs %s', async (sql, rows) => {
    expect((await run(sql)).rows).toEqual(rows);
  });

  it.each([
    // A CTE's name counts only where it is in scope: outside, DuckDB would read the file.
    ['SELECT * FROM (WITH "/etc/hosts" AS (SELECT 1) SELECT 1), "/etc/hosts"', /"\/etc\/hosts" is not one/],
    // A CTE does not see itself unless it is recursive.
    [
      'WITH "/etc/hosts" AS (SELECT * FROM "/etc/hosts") SELECT * FROM "/etc/hosts"',
      /"\/etc\/hosts" is not one/,
    ],
    ["SELECT (SELECT count(*) FROM read_csv('/etc/hosts'))", /read_csv is not allowed/],
    ["SELECT * FROM songplays WHERE playid IN (SELECT file FROM glob('/etc/*'))", /glob is not allowed/],
    ["SELECT * FROM query_table('songplays')", /query_table is not allowed/],
    ["SELECT current_setting('threads')", /current_setting\(\) is not allowed/],
    [
      "SELECT json_serialize_plan('SELECT * FROM read_text(''/etc/hosts'')')",
      /json_serialize_plan\(\) is not allowed/,
    ],
    ['SELECT * FROM temp.main.songplays', /"temp.main.songplays" is not one/],
    ['SELECT * FROM duckdb_settings()', /duckdb_settings is not allowed/],
    ['DESCRIBE songplays', /DESCRIBE and SHOW are not allowed/],
    ['SELECT 1; SELECT 2', /only one statement may run/],
    ['   ', /there is no statement/],
    ['SELEC 1', /syntax error/i],
  ])('refuses %s', async (sql, why) => {
    const error = (await run(sql).catch((e: unknown) => e)) as { code?: string; message?: string };
    expect(error.code).toBe('query_refused');
    expect(error.message).toMatch(why);
  });
});
