/**
 * The Warehouse contract: every adapter runs this suite against a real engine (DESIGN §7).
 * `open` gives a warehouse whose default schema is empty for each test.
 */
import { describe, expect, it } from 'vitest';
import type { Warehouse } from './index.ts';

export function warehouseContract(name: string, open: () => Promise<Warehouse>): void {
  describe(`Warehouse contract: ${name}`, () => {
    it('runs statements with $name parameters and reads rows back', async () => {
      const wh = await open();
      await wh.execute(
        'CREATE TABLE t (id INTEGER, name VARCHAR, big BIGINT, amount DOUBLE PRECISION, at_ts TIMESTAMP)',
      );
      const changed = await wh.execute(
        "INSERT INTO t VALUES ($id, $name, $big, $amount, CAST($at AS TIMESTAMP)), (2, 'two', NULL, NULL, NULL)",
        {
          id: 1,
          name: "it's",
          big: 1542276000123,
          amount: 218.93179,
          at: '2018-11-15 10:00:00.123',
          unused: 'x',
        },
      );
      expect(changed).toBe(2);
      const rows = await wh.query('SELECT id, name, big, amount, at_ts FROM t WHERE id >= $min ORDER BY id', {
        min: 1,
      });
      expect(rows).toEqual([
        {
          id: 1,
          name: "it's",
          big: 1542276000123,
          amount: 218.93179,
          at_ts: new Date('2018-11-15T10:00:00.123Z'),
        },
        { id: 2, name: 'two', big: null, amount: null, at_ts: null },
      ]);
    });

    it('names a parameter that has no value', async () => {
      const wh = await open();
      await expect(wh.query('SELECT $missing AS x', {})).rejects.toThrow(/\$missing/);
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      const wh = await open();
      await wh.execute('CREATE TABLE t (id INTEGER)');
      await wh.transaction(async (tx) => {
        await tx.execute('INSERT INTO t VALUES (1)');
      });
      await expect(
        wh.transaction(async (tx) => {
          await tx.execute('INSERT INTO t VALUES (2)');
          await tx.bulkInsert('t', ['id'], [[3]]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await wh.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }]);
    });

    it('bulk-inserts streamed rows, naming some columns, keeping milliseconds', async () => {
      const wh = await open();
      await wh.execute('CREATE TABLE t (id INTEGER, note VARCHAR, at_ts TIMESTAMP, amount DOUBLE PRECISION)');
      async function* rows() {
        for (let i = 0; i < 5000; i += 1) yield [new Date(Date.UTC(2018, 10, 1) + i), i, i / 3] as const;
      }
      const count = await wh.bulkInsert('t', ['at_ts', 'id', 'amount'], rows());
      expect(count).toBe(5000);
      const [summary] = await wh.query(
        'SELECT COUNT(*) AS n, MAX(at_ts) AS last, COUNT(note) AS notes, SUM(amount) AS total FROM t',
      );
      expect(summary).toMatchObject({ n: 5000, last: new Date(Date.UTC(2018, 10, 1) + 4999), notes: 0 });
      expect(Number(summary?.total)).toBeCloseTo((4999 * 5000) / 2 / 3, 6);
    });

    it('bulk-inserts text exactly as given: tabs, newlines, backslashes, quotes, \\N, unicode', async () => {
      const wh = await open();
      await wh.execute('CREATE TABLE t (id INTEGER, note VARCHAR)');
      const notes = [
        'tab\there',
        'two\nlines',
        'back\\slash',
        'it\'s "quoted"',
        '\\N',
        '',
        'é ✓ 日本',
        'cr\rlf',
      ];
      await wh.bulkInsert(
        't',
        ['id', 'note'],
        notes.map((note, id) => [id, note]),
      );
      expect((await wh.query<{ note: string }>('SELECT note FROM t ORDER BY id')).map((r) => r.note)).toEqual(
        notes,
      );
    });

    it('introspects a table', async () => {
      const wh = await open();
      await wh.execute('CREATE TABLE t (id INTEGER, name VARCHAR)');
      expect((await wh.tableColumns('t')).map((c) => c.name)).toEqual(['id', 'name']);
      expect(await wh.tableColumns('nope')).toEqual([]);
    });

    it('lets concurrent writers of the same rows all succeed (no write conflict reaches the caller)', async () => {
      const wh = await open();
      await wh.execute('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)');
      await wh.execute('INSERT INTO counter VALUES (1, 0)');
      await Promise.all(
        Array.from({ length: 20 }, () =>
          wh.transaction(async (tx) => {
            await tx.execute('UPDATE counter SET n = n + 1 WHERE id = 1');
            await tx.execute('DELETE FROM counter WHERE id = 2');
            await tx.execute('INSERT INTO counter VALUES (2, 0) ON CONFLICT DO NOTHING');
          }),
        ),
      );
      expect(await wh.query('SELECT n FROM counter ORDER BY id')).toEqual([{ n: 20 }, { n: 0 }]);
    });

    it('holds a named lock for one caller at a time', async () => {
      const wh = await open();
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 5 }, () =>
          wh.withLock('contract-lock', async () => {
            inside += 1;
            most = Math.max(most, inside);
            await new Promise((resolve) => setTimeout(resolve, 10));
            inside -= 1;
          }),
        ),
      );
      expect(most).toBe(1);
    });

    it('merges with conditions (MERGE INTO … WHEN MATCHED AND …)', async () => {
      const wh = await open();
      await wh.execute('CREATE TABLE d (id INTEGER PRIMARY KEY, v VARCHAR, seen INTEGER)');
      await wh.execute("INSERT INTO d VALUES (1, 'old', 10), (2, 'keep', 50)");
      const changed = await wh.execute(
        `MERGE INTO d AS target USING (SELECT 1 AS id, 'new' AS v, 20 AS seen UNION ALL SELECT 2, 'older', 40 UNION ALL SELECT 3, 'added', 1) AS source
         ON target.id = source.id
         WHEN MATCHED AND source.seen > target.seen THEN UPDATE SET v = source.v, seen = source.seen
         WHEN NOT MATCHED THEN INSERT (id, v, seen) VALUES (source.id, source.v, source.seen)`,
      );
      expect(changed).toBe(2);
      expect(await wh.query('SELECT id, v FROM d ORDER BY id')).toEqual([
        { id: 1, v: 'new' },
        { id: 2, v: 'keep' },
        { id: 3, v: 'added' },
      ]);
    });
  });
}
