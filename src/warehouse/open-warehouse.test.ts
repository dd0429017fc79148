import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse } from './index.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'downbeat-open-warehouse-'));
});
afterEach(async () => rm(folder, { recursive: true, force: true }));

describe('openWarehouse', () => {
  it("passes a duckdb:// URI's threads, memory_limit and checkpoint_threshold to DuckDB", async () => {
    const warehouse = await openWarehouse(
      `duckdb://${join(folder, 'w.duckdb')}?threads=1&memory_limit=256MB&checkpoint_threshold=64MB`,
    );
    try {
      const [row] = await warehouse.query<{ threads: number; memory: string; checkpoint: string }>(
        "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory, " +
          "current_setting('checkpoint_threshold') AS checkpoint",
      );
      expect(Number(row?.threads)).toBe(1);
      expect(row?.memory).toMatch(/^2[0-9.]+ MiB$/);
      expect(row?.checkpoint).toMatch(/^6[0-9.]+ MiB$/);
    } finally {
      await warehouse.close();
    }
  });

  it('lets the write-ahead log grow to 256 MB before a checkpoint, unless told otherwise', async () => {
    const warehouse = await openWarehouse(`duckdb://${join(folder, 'w.duckdb')}`);
    try {
      const [row] = await warehouse.query<{ checkpoint: string }>(
        "SELECT current_setting('checkpoint_threshold') AS checkpoint",
      );
      expect(row?.checkpoint).toMatch(/^2[0-9.]+ MiB$/);
    } finally {
      await warehouse.close();
    }
  });

  it('refuses a setting it does not take, naming it', async () => {
    await expect(openWarehouse(`duckdb://${join(folder, 'w.duckdb')}?memory_limit=lots`)).rejects.toThrow(
      'memory_limit=lots is not a DuckDB setting it takes',
    );
    await expect(openWarehouse(`duckdb://${join(folder, 'w.duckdb')}?access_mode=read_only`)).rejects.toThrow(
      'access_mode=read_only',
    );
  });
});
