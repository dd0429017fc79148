import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetadataDialect } from './db.ts';
import { testDb, type TestDb } from './testing.ts';

describe.each<MetadataDialect>(['sqlite', 'postgres'])('batch (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
    await t.db.execute('CREATE TABLE batch_t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  });
  afterEach(() => t.drop());

  it("gives each statement's rows, each statement seeing the ones before it", async () => {
    const rows = await t.db.batch([
      { sql: 'INSERT INTO batch_t (id, name) VALUES ($1, $2)', params: [1, "it's"] },
      { sql: 'SELECT id, name FROM batch_t WHERE id = $1', params: [1] },
      { sql: 'UPDATE batch_t SET name = $1 WHERE id = $2', params: ['b', 1] },
      { sql: 'SELECT COUNT(*) AS n, MAX(name) AS name FROM batch_t', params: [] },
    ]);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual([]);
    expect(rows[1]).toEqual([{ id: 1, name: "it's" }]);
    expect(rows[2]).toEqual([]);
    expect(rows[3]).toEqual([{ n: 1, name: 'b' }]);
  });

  it('in a transaction: committed with its last batch, and nothing of it when a statement fails', async () => {
    const result = await t.db.transaction(async (tx) => {
      const [before] = await tx.batch([{ sql: 'SELECT COUNT(*) AS n FROM batch_t', params: [] }]);
      await tx.batch([{ sql: 'INSERT INTO batch_t (id, name) VALUES ($1, $2)', params: [1, 'a'] }], {
        commit: true,
      });
      return before;
    });
    expect(result).toEqual([{ n: 0 }]);
    const failing = t.db.transaction(async (tx) => {
      await tx.execute('INSERT INTO batch_t (id, name) VALUES ($1, $2)', [2, 'b']);
      await tx.batch([
        { sql: 'INSERT INTO batch_t (id, name) VALUES ($1, $2)', params: [3, 'c'] },
        { sql: 'INSERT INTO batch_t (id, name) VALUES ($1, $2)', params: [1, 'dup'] },
        { sql: 'INSERT INTO batch_t (id, name) VALUES ($1, $2)', params: [4, 'd'] },
      ]);
    });
    await expect(failing).rejects.toThrow(/unique|UNIQUE/);
    expect(await t.db.query('SELECT id, name FROM batch_t ORDER BY id')).toEqual([{ id: 1, name: 'a' }]);
    // The connection is sound after the failure, and its prepared statements still answer.
    for (let i = 0; i < 3; i += 1)
      expect(await t.db.batch([{ sql: 'SELECT name FROM batch_t WHERE id = $1', params: [1] }])).toEqual([
        [{ name: 'a' }],
      ]);
  });

  it('keeps the statements a failed batch prepared before its failure, and those it never reached', async () => {
    await t.db.execute('INSERT INTO batch_t (id, name) VALUES ($1, $2)', [1, 'a']);
    const first = { sql: 'SELECT name AS first FROM batch_t WHERE id = $1', params: [1] };
    const never = { sql: 'SELECT name AS never FROM batch_t WHERE id = $1', params: [1] };
    const duplicate = { sql: 'INSERT INTO batch_t (id, name) VALUES ($1, $2)', params: [1, 'again'] };
    await expect(t.db.batch([first, duplicate, never])).rejects.toThrow(/unique|UNIQUE/);
    // Prepared (by the server) before the failure, and not (after it): both answer afterwards.
    for (let i = 0; i < 2; i += 1) {
      expect(await t.db.batch([first, never])).toEqual([[{ first: 'a' }], [{ never: 'a' }]]);
      expect(await t.db.query(first.sql, first.params)).toEqual([{ first: 'a' }]);
    }
  });

  it('takes values as parameters take them: text with quotes and backslashes, null and numbers', async () => {
    const tricky = "a'b\\c $1 ; DROP TABLE batch_t; --";
    await t.db.batch([{ sql: 'INSERT INTO batch_t (id, name) VALUES ($1, $2)', params: [7, tricky] }]);
    const [rows] = await t.db.batch([
      { sql: 'SELECT name, $2 AS absent, $3 + 1 AS next FROM batch_t WHERE id = $1', params: [7, null, 41] },
    ]);
    expect(rows).toEqual([{ name: tricky, absent: null, next: 42 }]);
  });
});
