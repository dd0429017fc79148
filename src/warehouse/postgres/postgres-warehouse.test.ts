import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { warehouseContract } from '../../ports/warehouse-contract.ts';
import { freshPostgresDatabase, type FreshDatabase } from '../../util/testing.ts';
import { PostgresWarehouse } from './postgres-warehouse.ts';

const databases: FreshDatabase[] = [];
const open: PostgresWarehouse[] = [];

/** A fresh, empty database for each test. */
async function freshWarehouse(): Promise<PostgresWarehouse> {
  const database = await freshPostgresDatabase('downbeat_wh');
  databases.push(database);
  const warehouse = new PostgresWarehouse(database.url);
  open.push(warehouse);
  return warehouse;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  for (const database of databases.splice(0)) await database.drop();
});

warehouseContract('postgres', freshWarehouse);

describe('PostgresWarehouse', () => {
  it("refreshes a table's statistics, so the planner sees rows bulk-loaded a moment ago", async () => {
    const warehouse = await freshWarehouse();
    await warehouse.execute('CREATE TABLE staged (n INTEGER)');
    await warehouse.bulkInsert(
      'staged',
      ['n'],
      Array.from({ length: 5000 }, (_, i) => [i]),
    );
    const estimate = async () =>
      Number(
        (
          await warehouse.query<{ rows: number }>(
            "SELECT reltuples AS rows FROM pg_class WHERE relname = 'staged'",
          )
        )[0]?.rows,
      );
    // Never analyzed: PostgreSQL does not know (-1), and plans as if the table were nearly empty.
    expect(await estimate()).toBeLessThan(1);
    await warehouse.refreshStatistics('staged');
    expect(await estimate()).toBe(5000);
    // A coarse sample (statistics target 10: 10 histogram buckets, where the default makes 100),
    // set for the ANALYZE alone: the connection it ran on keeps the default.
    const [stats] = await warehouse.query<{ bounds: number }>(
      "SELECT array_length(histogram_bounds::text::int[], 1) AS bounds FROM pg_stats WHERE tablename = 'staged' AND attname = 'n'",
    );
    expect(stats?.bounds).toBe(11);
    const targets = await Promise.all(
      Array.from({ length: 8 }, () =>
        warehouse.query<{ t: string }>("SELECT current_setting('default_statistics_target') AS t"),
      ),
    );
    expect(new Set(targets.map(([row]) => row?.t))).toEqual(new Set(['100']));
  });

  it('runs again a transaction that lost a race for a new key, as concurrent upserts of a dimension do', async () => {
    const warehouse = await freshWarehouse();
    await warehouse.execute('CREATE TABLE dim (k INTEGER PRIMARY KEY, v VARCHAR)');
    const merge = (v: string) =>
      `MERGE INTO dim AS t USING (SELECT 1 AS k, '${v}' AS v) AS s ON t.k = s.k
       WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v)`;
    // The first inserts key 1 and holds its transaction open; the second's MERGE, not seeing that
    // row, inserts key 1 too and waits on it; when the first commits, the second has lost.
    let inserted!: () => void;
    let commit!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const commitNow = new Promise<void>((resolve) => (commit = resolve));
    const first = warehouse.transaction(async (tx) => {
      await tx.execute(merge('first'));
      inserted();
      await commitNow;
    });
    await insertedYet;
    let tries = 0;
    const second = warehouse.transaction(async (tx) => {
      tries += 1;
      return tx.execute(merge('second'));
    });
    const lockWaits = async () =>
      Number(
        (
          await warehouse.query<{ n: number }>(
            "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          )
        )[0]?.n,
      );
    while ((await lockWaits()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    commit();
    await first;
    expect(await second).toBe(1);
    expect(tries).toBe(2);
    expect(await warehouse.query('SELECT k, v FROM dim')).toEqual([{ k: 1, v: 'second' }]);

    // A key that is a duplicate however often it is tried still fails, with PostgreSQL's words.
    await expect(
      warehouse.transaction((tx) => tx.execute("INSERT INTO dim VALUES (1, 'again')")),
    ).rejects.toThrow(/duplicate key value violates unique constraint "dim_pkey"/);
  });
});
