import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../ports/index.ts';
import { readAhead } from './copy-local-json.ts';
import { DuckDbWarehouse } from './duckdb-warehouse.ts';

const folders: string[] = [];
const DEFAULT_INTO_TABLE_FROM = readAhead.intoTableFrom;
afterEach(() => {
  readAhead.intoTableFrom = DEFAULT_INTO_TABLE_FROM;
});
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

describe('DuckDB reading a file ahead of its load', () => {
  it('lets go of what it read when the file cannot be read to its end', async () => {
    readAhead.intoTableFrom = 0;
    const folder = await mkdtemp(join(tmpdir(), 'downbeat-read-ahead-'));
    folders.push(folder);
    const path = join(folder, 'day.json');
    await writeFile(path, '{"n": 1}\n{"n": 2}\n');
    // DuckDB reads the file by its path; the store's own read of it fails (it vanished, say).
    const store = {
      location: 'test',
      localPath: () => Promise.resolve(path),
      get: () => Promise.reject(new Error('day.json: gone')),
    } as unknown as ObjectStore;
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      await expect(
        warehouse.prepareCopy({
          store,
          key: 'day.json',
          table: 't',
          columns: [{ name: 'n', field: 'n', type: 'integer' }],
          keyColumn: 'k',
          rejectsKept: 0,
        }),
      ).rejects.toThrow('day.json: gone');
      const [row] = await warehouse.query<{ n: number }>(
        "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = 'downbeat_scratch'",
      );
      expect(row?.n).toBe(0);
    } finally {
      await warehouse.close();
    }
  });
});
