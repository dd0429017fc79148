/**
 * Fresh PostgreSQL databases for tests and benches: each test file makes its own on the test
 * server (DOWNBEAT_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test) and drops
 * it afterwards. A server that does not answer fails the test loudly; it is never skipped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_POSTGRES_URL =
  process.env.DOWNBEAT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs `work` on a connection to the server's own database (to create and drop others). */
export async function onPostgresServer<T>(
  work: (client: pg.Client) => Promise<T>,
  serverUrl: string = TEST_POSTGRES_URL,
): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL tests cannot run: ${serverUrl} is not reachable (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DOWNBEAT_TEST_POSTGRES_URL.',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface FreshDatabase {
  readonly name: string;
  /** The server's URL with this database in its path. */
  readonly url: string;
  /** Drops it, closing whatever is still connected to it. */
  drop(): Promise<void>;
}

/** A new, empty database named `<prefix>_<random>` on the server. */
export async function freshPostgresDatabase(
  prefix = 'downbeat_test',
  serverUrl: string = TEST_POSTGRES_URL,
): Promise<FreshDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onPostgresServer((c) => c.query(`CREATE DATABASE ${name}`), serverUrl);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      onPostgresServer(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }, serverUrl),
  };
}
