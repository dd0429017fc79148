import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach } from 'vitest';
import { warehouseContract } from '../../ports/warehouse-contract.ts';
import { TEST_POSTGRES_URL } from '../../store/testing.ts';
import { PostgresWarehouse } from './postgres-warehouse.ts';

const databases: string[] = [];
const open: PostgresWarehouse[] = [];

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

/** A fresh, empty database for each test. */
async function freshWarehouse(): Promise<PostgresWarehouse> {
  const name = `downbeat_wh_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  databases.push(name);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const warehouse = new PostgresWarehouse(url.toString());
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

warehouseContract('postgres', freshWarehouse);
