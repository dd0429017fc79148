import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WarehouseBusyError, type Warehouse } from '../../ports/index.ts';
import { warehouseContract } from '../../ports/warehouse-contract.ts';
import { DuckDbWarehouse } from './duckdb-warehouse.ts';

const folders: string[] = [];
const open: Warehouse[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

async function fileWarehouse(): Promise<DuckDbWarehouse> {
  const folder = await mkdtemp(join(tmpdir(), 'downbeat-duckdb-'));
  folders.push(folder);
  const wh = await DuckDbWarehouse.open({ path: join(folder, 'warehouse.duckdb') });
  open.push(wh);
  return wh;
}

warehouseContract('duckdb', fileWarehouse);

describe('DuckDbWarehouse', () => {
  it('says which process holds the file when another one has it open', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'downbeat-duckdb-'));
    folders.push(folder);
    const path = join(folder, 'held.duckdb');
    const wh = await DuckDbWarehouse.open({ path });
    open.push(wh);
    await wh.execute('CREATE TABLE t (x INTEGER)');
    const script = `import('./src/warehouse/duckdb/duckdb-warehouse.ts').then(async ({ DuckDbWarehouse }) => {
      try { await DuckDbWarehouse.open({ path: ${JSON.stringify(path)} }); console.log('opened'); }
      catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    })`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(child.stdout).toContain('WarehouseBusyError');
    expect(child.stdout).toContain(`(PID ${process.pid})`);
    expect(child.stdout).toMatch(/allows one process per file/);
    expect(WarehouseBusyError.name).toBe('WarehouseBusyError');
  });

  it('shares one DuckDB instance between warehouses of the same file in a process', async () => {
    const first = await fileWarehouse();
    await first.execute('CREATE TABLE shared (x INTEGER)');
    const path = first.location.replace('duckdb://', '');
    const second = await DuckDbWarehouse.open({ path });
    open.push(second);
    await second.execute('INSERT INTO shared VALUES (7)');
    expect(await first.query('SELECT x FROM shared')).toEqual([{ x: 7 }]);
  });
});
