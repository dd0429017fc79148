/**
 * stageJson with a warehouse that loads objects itself (Redshift's COPY from S3): the operator's
 * side of it — which objects it hands over, and that bookkeeping, rejects and versions stay as
 * exact as when rows stream through the worker. The warehouse here is a real DuckDB whose stand-in
 * copier reads the object through the store; Redshift's own SQL is tested in warehouse/redshift.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskFailure, type TaskContext } from '../../dag/index.ts';
import { testEnvironment, type TestEnvironment } from '../../executor/testing.ts';
import type {
  BulkRow,
  ObjectCopyRequest,
  ObjectCopyResult,
  SqlSession,
  Warehouse,
} from '../../ports/index.ts';
import type { StageJsonOptions } from './stage-json-options.ts';
import { stageJson } from './stage-json.ts';

let env: TestEnvironment;
let copied: string[];
let refreshed: string[];
let copying: Warehouse;
let duringCopy: (() => Promise<void>) | undefined;

/** A warehouse that says it can read the store, and "copies" an NDJSON object itself. */
function copyingWarehouse(wh: Warehouse): Warehouse {
  return {
    dialect: wh.dialect,
    location: wh.location,
    query: (sql, params) => wh.query(sql, params),
    execute: (sql, params) => wh.execute(sql, params),
    bulkInsert: (table, columns, rows) => wh.bulkInsert(table, columns, rows),
    transaction: (work) => wh.transaction(work),
    withLock: (name, work) => wh.withLock(name, work),
    tableColumns: (table) => wh.tableColumns(table),
    listTables: () => wh.listTables(),
    readOnlyQuery: (sql, options) => wh.readOnlyQuery(sql, options),
    close: () => wh.close(),
    refreshStatistics: (table) => Promise.resolve(void refreshed.push(table)),
    canCopyFrom: () => true,
    async copyFromObjectStore(tx: SqlSession, request: ObjectCopyRequest): Promise<ObjectCopyResult> {
      copied.push(request.key);
      await duringCopy?.();
      let text = '';
      for await (const chunk of (await request.store.get(request.key)).body)
        text += Buffer.from(chunk).toString('utf8');
      const rows: BulkRow[] = [];
      const rejects: { line: number; reason: string }[] = [];
      text.split('\n').forEach((line, i) => {
        if (!line.trim()) return;
        try {
          const record = JSON.parse(line) as Record<string, number>;
          rows.push([...request.columns.map((c) => record[c.field] ?? null), request.key, rows.length + 1]);
        } catch {
          rejects.push({ line: i + 1, reason: 'Invalid JSON' });
        }
      });
      const names = [
        ...request.columns.map((c) => c.name),
        request.keyColumn ?? '',
        request.rankColumn ?? '',
      ];
      const count = await tx.bulkInsert(request.table, names, rows);
      return { rows: count, rejected: rejects.length, rejects };
    },
  };
}

beforeEach(async () => {
  env = await testEnvironment();
  copied = [];
  refreshed = [];
  duringCopy = undefined;
  const wh = await env.connections.warehouse('warehouse');
  await wh.execute('CREATE TABLE events (ts BIGINT, n INTEGER, _source_key VARCHAR, _source_line BIGINT)');
  copying = copyingWarehouse(wh);
});
afterEach(async () => env.close());

const context = (start: string): TaskContext => ({
  ...env.context('stage', start),
  connections: {
    objectStore: (id) => env.connections.objectStore(id),
    warehouse: () => Promise.resolve(copying),
  },
});

const stage = (extra: Partial<StageJsonOptions> = {}) =>
  stageJson({
    source: 'source',
    table: 'events',
    objects: { every: 'day', key: 'log/{{ ds }}.json' },
    framing: 'ndjson',
    columns: [
      { name: 'ts', type: 'bigint', required: true },
      { name: 'n', type: 'integer' },
    ],
    ...extra,
  });

const lines = (...records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const count = async (sql: string) => (await copying.query(sql))[0]?.n;

describe('stageJson with a warehouse that loads objects itself', () => {
  it('hands it each interval object once per version, with the same bookkeeping', async () => {
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-15.json', lines({ ts: 1, n: 1 }, { ts: 2, n: 2 }));
    expect((await stage().execute(context('2018-11-15T10:00:00Z'))).rowsWritten).toEqual({ events: 2 });
    expect((await stage().execute(context('2018-11-15T11:00:00Z'))).rowsWritten).toEqual({ events: 0 });
    expect(copied).toEqual(['log/2018-11-15.json']);
    // Statistics refreshed after the load, not again when there was nothing to stage.
    expect(refreshed).toEqual(['events']);
    expect(
      await count(
        "SELECT row_count AS n FROM _downbeat_staged_objects WHERE object_key = 'log/2018-11-15.json'",
      ),
    ).toBe(2);
    expect(await count('SELECT COUNT(*) AS n FROM _downbeat_run_objects')).toBe(2);
  });

  it("records the warehouse's rejects with object and line, and fails past the limit", async () => {
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-16.json', `${lines({ ts: 1 })}{broken\n`);
    const error = await stage()
      .execute(context('2018-11-16T10:00:00Z'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailure);
    expect((error as Error).message).toContain('log/2018-11-16.json:2: Invalid JSON');
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(1);
  });

  it('fails the try, staging nothing, when the object changes while the warehouse reads it', async () => {
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-17.json', lines({ ts: 1 }));
    duringCopy = async () => void (await store.put('log/2018-11-17.json', lines({ ts: 1 }, { ts: 2 })));
    await expect(stage().execute(context('2018-11-17T10:00:00Z'))).rejects.toThrow(
      'log/2018-11-17.json changed while it was being staged',
    );
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM _downbeat_staged_objects')).toBe(0);
  });

  it('streams through the worker when a rule has no SQL form, and for a catalog unless asked', async () => {
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-18.json', lines({ ts: 1 }));
    await store.put('log/2018-11-19.json', lines({ ts: 2 }));
    await stage({ validate: () => undefined }).execute(context('2018-11-18T10:00:00Z'));
    expect(copied).toEqual([]);
    const rule = [{ condition: 'n < 0', reason: 'n: negative' }];
    await stage({ validate: () => undefined, rejectWhere: rule }).execute(context('2018-11-19T10:00:00Z'));
    expect(copied).toEqual(['log/2018-11-19.json']);
    await store.put('songs/a.json', lines({ ts: 5 }));
    await stage({ objects: { prefix: 'songs/' } }).execute(context('2018-11-19T11:00:00Z'));
    expect(copied).toEqual(['log/2018-11-19.json']);
    await store.put('songs/b.json', lines({ ts: 6 }));
    await stage({ objects: { prefix: 'songs/' }, warehouseCopy: true }).execute(
      context('2018-11-19T12:00:00Z'),
    );
    expect(copied).toEqual(['log/2018-11-19.json', 'songs/b.json']);
  });
});
