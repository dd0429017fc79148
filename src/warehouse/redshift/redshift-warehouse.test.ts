/**
 * The Redshift adapter against a real PostgreSQL (Redshift speaks its protocol; no Redshift runs
 * here). This runs the adapter's own code — the lock table, multi-row INSERTs, retried
 * transactions — through `redshift://` URIs. The contract's SQL is PostgreSQL's (ON CONFLICT,
 * MERGE … WHEN MATCHED AND, which Redshift lacks): passing it says nothing of Redshift's dialect;
 * the SQL Redshift would receive is checked as text in redshift-sql.test.ts.
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { warehouseContract } from '../../ports/warehouse-contract.ts';
import { freshPostgresDatabase, onPostgresServer, type FreshDatabase } from '../../util/testing.ts';
import { parseRedshiftUri } from './redshift-uri.ts';
import { RedshiftWarehouse } from './redshift-warehouse.ts';

const databases: FreshDatabase[] = [];
const open: RedshiftWarehouse[] = [];

/** A fresh database, as a `redshift://` URI (TLS off: it is a local PostgreSQL). */
async function freshDatabase(setup = ''): Promise<string> {
  const database = await freshPostgresDatabase('downbeat_rs');
  databases.push(database);
  if (setup) await onPostgresServer((c) => c.query(setup.replaceAll('$db', database.name)));
  const url = new URL(database.url);
  return `redshift://${url.username}${url.password ? `:${url.password}` : ''}@${url.host}/${database.name}?ssl=false`;
}

function openRedshift(uri: string): RedshiftWarehouse {
  const warehouse = RedshiftWarehouse.fromUri(uri);
  open.push(warehouse);
  return warehouse;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  for (const database of databases.splice(0)) await database.drop();
});

warehouseContract('redshift adapter (on PostgreSQL)', async () => openRedshift(await freshDatabase()));

describe('RedshiftWarehouse on PostgreSQL', () => {
  it('holds a named lock across processes: a second warehouse on the same database waits', async () => {
    const uri = await freshDatabase();
    const [a, b] = [openRedshift(uri), openRedshift(uri)];
    const events: string[] = [];
    let releaseFirst = () => {};
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstIn = () => {};
    const firstEntered = new Promise<void>((resolve) => (firstIn = resolve));
    const first = a.withLock('stage:x', async () => {
      events.push('a in');
      firstIn();
      await firstHolds;
      events.push('a out');
    });
    await firstEntered;
    const second = b.withLock('stage:y', () => {
      events.push('b in');
      return Promise.resolve();
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).toEqual(['a in']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['a in', 'a out', 'b in']);
  });

  it('lets a locked step take a lock again without waiting for itself', async () => {
    const warehouse = openRedshift(await freshDatabase());
    const inner = await warehouse.withLock('outer', () =>
      warehouse.withLock('inner', () => Promise.resolve(42)),
    );
    expect(inner).toBe(42);
  });

  it('runs again a transaction that loses a serialization conflict, so every writer succeeds', async () => {
    // Serializable isolation, as on Redshift: concurrent read-then-write transactions conflict.
    const uri = await freshDatabase("ALTER DATABASE $db SET default_transaction_isolation = 'serializable'");
    const increments = (warehouse: RedshiftWarehouse) =>
      Promise.allSettled(
        Array.from({ length: 4 }, () =>
          warehouse.transaction(async (tx) => {
            const [row] = await tx.query<{ n: number }>('SELECT n FROM counter WHERE id = 1');
            await new Promise((resolve) => setTimeout(resolve, 20));
            await tx.execute('UPDATE counter SET n = $n WHERE id = 1', { n: (row?.n ?? 0) + 1 });
          }),
        ),
      );
    const warehouse = openRedshift(uri);
    await warehouse.execute('CREATE TABLE counter (id INTEGER, n INTEGER)');
    await warehouse.execute('INSERT INTO counter VALUES (1, 0)');
    // Tried once only, the same work meets the conflict: the retries are what make it pass.
    const once = new RedshiftWarehouse({
      pool: new pg.Pool(parseRedshiftUri(uri).connection),
      location: 'test',
      conflictTries: 1,
    });
    open.push(once);
    const failures = (await increments(once)).filter((r) => r.status === 'rejected');
    expect(failures.length).toBeGreaterThan(0);
    expect(String((failures[0] as PromiseRejectedResult).reason)).toMatch(/could not serialize/);
    await warehouse.execute('UPDATE counter SET n = 0');
    expect((await increments(warehouse)).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await warehouse.query('SELECT n FROM counter')).toEqual([{ n: 4 }]);
  });
});
