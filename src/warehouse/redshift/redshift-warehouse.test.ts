/**
 * The Redshift adapter against a real PostgreSQL (Redshift speaks its protocol; no Redshift runs
 * here). This runs the adapter's own code — the lock table, multi-row INSERTs, retried
 * transactions — through `redshift://` URIs. The contract's SQL is PostgreSQL's (ON CONFLICT,
 * MERGE … WHEN MATCHED AND, which Redshift lacks): passing it says nothing of Redshift's dialect;
 * the SQL Redshift would receive is checked as text in redshift-sql.test.ts.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { warehouseContract } from '../../ports/warehouse-contract.ts';
import { TEST_POSTGRES_URL } from '../../store/db/testing.ts';
import { parseRedshiftUri } from './redshift-uri.ts';
import { RedshiftWarehouse } from './redshift-warehouse.ts';

const databases: string[] = [];
const open: RedshiftWarehouse[] = [];

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL tests cannot run: ${TEST_POSTGRES_URL} is not reachable (${(error as Error).message})`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database, as a `redshift://` URI (TLS off: it is a local PostgreSQL). */
async function freshDatabase(setup = ''): Promise<string> {
  const name = `downbeat_rs_${randomBytes(6).toString('hex')}`;
  await admin(async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    if (setup) await c.query(setup.replaceAll('$db', name));
  });
  databases.push(name);
  const url = new URL(TEST_POSTGRES_URL);
  return `redshift://${url.username}${url.password ? `:${url.password}` : ''}@${url.host}/${name}?ssl=false`;
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
  await admin(async (c) => {
    for (const name of databases) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
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
