/**
 * The warehouse explorer's API (/api/v1/warehouse) as `webserver` and `standalone` serve it, on a
 * real DuckDB file and a real PostgreSQL database: what it lists and reads equals the warehouse,
 * and everything that is not one read of the warehouse's own tables is refused with a reason,
 * the warehouse unchanged after all of it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import type { Warehouse } from '../ports/index.ts';
import type * as Api from '../server/api/types.ts';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { freshPostgresDatabase, type FreshDatabase } from '../util/testing.ts';
import { openWarehouse } from '../warehouse/index.ts';
import { addUser, serve, type WebServer } from './web.ts';
import { warehouseSource, type WarehouseAccess } from './warehouse-source.ts';

const AUTH = `Basic ${Buffer.from('ada:lovelace-1815').toString('base64')}`;
const TIME_LIMIT_MS = 1500;

/** 30 plays (a third of them free) of 3 users; a location with a comma and a quote. */
async function seed(warehouse: Warehouse): Promise<void> {
  await warehouse.execute(
    'CREATE TABLE songplays (playid VARCHAR(32), start_time TIMESTAMP, userid VARCHAR(16), level VARCHAR(8), duration DOUBLE PRECISION, location VARCHAR(64))',
  );
  await warehouse.execute(
    'CREATE TABLE users (userid VARCHAR(16), first_name VARCHAR(32), level VARCHAR(8))',
  );
  await warehouse.bulkInsert(
    'songplays',
    ['playid', 'start_time', 'userid', 'level', 'duration', 'location'],
    Array.from({ length: 30 }, (_, i) => [
      `p${String(i).padStart(2, '0')}`,
      new Date(Date.UTC(2018, 10, 1, i % 24, 0, 0, 123)),
      `u${i % 3}`,
      i % 3 === 0 ? 'free' : 'paid',
      200.5 + i,
      'Lansing-East Lansing, MI "Go Green"',
    ]),
  );
  await warehouse.bulkInsert(
    'users',
    ['userid', 'first_name', 'level'],
    [
      ['u0', 'Ada', 'free'],
      ['u1', 'Grace', 'paid'],
      ['u2', 'Edsger', 'paid'],
    ],
  );
}

interface Explorer {
  readonly url: string;
  readonly home: string;
  /** Opens the warehouse as the pipeline would (for DuckDB: only while no request holds it). */
  direct(): Promise<Warehouse>;
  close(): Promise<void>;
}

async function startExplorer(
  access: WarehouseAccess,
  uriOf: (home: string) => Promise<{ uri: string; drop?: () => Promise<void> }>,
): Promise<Explorer> {
  const home = await mkdtemp(join(tmpdir(), 'downbeat-explorer-'));
  const { uri, drop } = await uriOf(home);
  const metadata: TestDb = await testDb('sqlite');
  await addUser(metadata.db, 'ada', 'lovelace-1815', Date.now());
  const config = loadConfig({ DOWNBEAT_HOME: home, DOWNBEAT_CONN_WAREHOUSE: uri });
  const source = warehouseSource({ config, db: metadata.db, access, queryTimeoutMs: TIME_LIMIT_MS });
  const server: WebServer = await serve({ db: metadata.db, dags: new Map(), port: 0, warehouse: source });
  return {
    url: server.url,
    home,
    direct: () => openWarehouse(uri),
    async close() {
      await server.close();
      await source.close();
      await metadata.drop();
      await drop?.();
      await rm(home, { recursive: true, force: true });
    },
  };
}

const get = (e: Explorer, path: string, headers: Record<string, string> = {}) =>
  fetch(`${e.url}/api/v1${path}`, { headers: { authorization: AUTH, ...headers } });
const query = (e: Explorer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${e.url}/api/v1/warehouse/query`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** What the warehouse holds, read past the explorer: each table's count and a digest of songplays. */
async function contents(e: Explorer): Promise<unknown> {
  const warehouse = await e.direct();
  try {
    const [songplays] = await warehouse.query('SELECT count(*) AS n, sum(duration) AS total FROM songplays');
    const [users] = await warehouse.query('SELECT count(*) AS n FROM users');
    const columns = await warehouse.tableColumns('songplays');
    return { songplays, users, columns };
  } finally {
    await warehouse.close();
  }
}

const ENGINES = {
  duckdb: async (home: string) => {
    const uri = `duckdb://${join(home, 'warehouse.duckdb')}`;
    const warehouse = await openWarehouse(uri);
    await seed(warehouse);
    await warehouse.close();
    return { uri };
  },
  postgres: async () => {
    const database: FreshDatabase = await freshPostgresDatabase('downbeat_explorer');
    const warehouse = await openWarehouse(database.url);
    await seed(warehouse);
    await warehouse.close();
    return { uri: database.url, drop: () => database.drop() };
  },
};

describe.each(['duckdb', 'postgres'] as const)('the warehouse explorer on %s', (engine) => {
  let e: Explorer;
  beforeAll(async () => {
    e = await startExplorer('read-only', ENGINES[engine]);
  });
  afterAll(() => e.close());

  it('lists the tables with the counts and columns the warehouse has', async () => {
    const response = await get(e, '/warehouse/tables');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as Api.Page<Api.WarehouseTable>;
    expect(items.map((t) => [t.name, t.row_count])).toEqual([
      ['songplays', 30],
      ['users', 3],
    ]);
    const warehouse = await e.direct();
    try {
      const columns = await warehouse.tableColumns('songplays');
      expect(items[0]?.columns.map((c) => c.name)).toEqual(columns.map((c) => c.name));
      expect(items[0]?.columns.map((c) => c.type.toLowerCase())).toEqual(
        columns.map((c) => c.type.toLowerCase()),
      );
      const [count] = await warehouse.query<{ n: number }>('SELECT count(*) AS n FROM songplays');
      expect(items[0]?.row_count).toBe(Number(count?.n));
    } finally {
      await warehouse.close();
    }
  });

  it('runs a query: its columns, its rows with numbers as numbers, and whether it was cut', async () => {
    const response = await query(e, {
      sql: 'SELECT level, count(*) AS plays, sum(duration) AS seconds FROM songplays GROUP BY level ORDER BY level',
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as Api.WarehouseQueryResult;
    expect(result).toEqual({
      columns: ['level', 'plays', 'seconds'],
      rows: [
        ['free', 10, 10 * 200.5 + 135],
        ['paid', 20, 20 * 200.5 + 300],
      ],
      truncated: false,
    });
    const cut = (await (
      await query(e, { sql: 'SELECT playid, start_time FROM songplays ORDER BY playid', limit: 4 })
    ).json()) as Api.WarehouseQueryResult;
    expect(cut.truncated).toBe(true);
    expect(cut.rows).toEqual([
      ['p00', '2018-11-01T00:00:00.123Z'],
      ['p01', '2018-11-01T01:00:00.123Z'],
      ['p02', '2018-11-01T02:00:00.123Z'],
      ['p03', '2018-11-01T03:00:00.123Z'],
    ]);
  });

  it('gives a page of rows of a table, and 404 for a table it does not have', async () => {
    const response = await get(e, '/warehouse/tables/users/rows?limit=2&offset=1');
    expect(response.status).toBe(200);
    const page = (await response.json()) as Api.WarehouseRows;
    expect(page).toMatchObject({ name: 'users', offset: 1, total_entries: 3, truncated: false });
    expect(page.columns).toEqual(['userid', 'first_name', 'level']);
    expect(page.rows).toHaveLength(2);
    expect(page.rows.map((row) => row[0])).toEqual(['u1', 'u2']);
    const first = (await (await get(e, '/warehouse/tables/users/rows?limit=1')).json()) as Api.WarehouseRows;
    expect([first.rows, first.truncated]).toEqual([[['u0', 'Ada', 'free']], true]);
    const missing = await get(e, '/warehouse/tables/nope/rows');
    expect(missing.status).toBe(404);
    expect((await get(e, '/warehouse/tables/users/rows?limit=0')).status).toBe(400);
  });

  it('answers CSV, quoted, to Accept: text/csv', async () => {
    const response = await query(
      e,
      { sql: "SELECT userid, location FROM songplays WHERE playid = 'p01'" },
      { accept: 'text/csv' },
    );
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(await response.text()).toBe('userid,location\r\nu1,"Lansing-East Lansing, MI ""Go Green"""\r\n');
  });

  it('refuses, with the reason, anything but one read of its own tables, and cancels a long query', async () => {
    const before = await contents(e);
    const out = join(e.home, 'out.csv');
    const refused: [string, RegExp][] = [
      ['DROP TABLE songplays', /only (a|one) SELECT may run/],
      ["DELETE FROM songplays WHERE level = 'free'", /only (a|one) SELECT may run/],
      ["INSERT INTO users VALUES ('u9', 'Eve', 'free')", /only (a|one) SELECT may run/],
      [`COPY songplays TO '${out}'`, /only (a|one) SELECT may run/],
      [`ATTACH '${join(e.home, 'other.duckdb')}' AS other`, /only (a|one) SELECT may run/],
      ['SELECT count(*) FROM songplays; DROP TABLE songplays', /only one statement may run/],
      ['WITH gone AS (DELETE FROM songplays RETURNING *) SELECT count(*) FROM gone', /./],
      engine === 'duckdb'
        ? ["SELECT * FROM read_json('/etc/passwd')", /read_json is not allowed/]
        : ["SELECT pg_read_file('/etc/passwd')", /permission denied for function pg_read_file/],
      engine === 'duckdb'
        ? ["SELECT * FROM '/etc/passwd'", /"\/etc\/passwd" is not one of the warehouse's tables/]
        : [
            'SELECT * FROM pg_catalog.pg_authid',
            /"pg_catalog.pg_authid" is not one of the warehouse's tables/,
          ],
      engine === 'duckdb'
        ? ["SELECT getenv('HOME')", /getenv\(\) is not allowed/]
        : ["SELECT current_setting('data_directory')", /pg_read_all_settings/],
    ];
    for (const [sql, why] of refused) {
      const response = await query(e, { sql });
      const body = (await response.json()) as Api.ApiError;
      expect({ sql, status: response.status, code: body.error.code }).toEqual({
        sql,
        status: 400,
        code: 'query_refused',
      });
      expect(body.error.message).toMatch(why);
    }
    const started = Date.now();
    const long = await query(e, {
      sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10000000000) SELECT count(*) FROM r',
    });
    const body = (await long.json()) as Api.ApiError;
    expect([long.status, body.error.code]).toEqual([400, 'query_timeout']);
    expect(body.error.message).toContain('time limit of 1.5 s');
    expect(Date.now() - started).toBeLessThan(TIME_LIMIT_MS + 8000);
    expect(await contents(e)).toEqual(before);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(e.home, 'other.duckdb'))).toBe(false);
    // The explorer still answers after all of it.
    expect((await query(e, { sql: 'SELECT count(*) AS n FROM users' })).status).toBe(200);
  });

  it('says what is wrong with a query that fails, and with a body it cannot take', async () => {
    const failed = await query(e, { sql: 'SELECT nope FROM songplays' });
    expect(failed.status).toBe(400);
    expect(((await failed.json()) as Api.ApiError).error.code).toBe('query_failed');
    const noSql = await query(e, { limit: 5 });
    expect(((await noSql.json()) as Api.ApiError).error).toMatchObject({ field: 'sql' });
    const tooMany = await query(e, { sql: 'SELECT 1', limit: 100_000 });
    expect(((await tooMany.json()) as Api.ApiError).error).toMatchObject({ field: 'limit' });
    expect((await fetch(`${e.url}/api/v1/warehouse/tables`)).status).toBe(401);
  });
});

describe('the warehouse explorer, reaching the warehouse', () => {
  it('answers 503 naming the connection while the DuckDB file does not exist, and does not make it', async () => {
    const e = await startExplorer('read-only', (home) =>
      Promise.resolve({ uri: `duckdb://${join(home, 'later.duckdb')}` }),
    );
    try {
      const response = await get(e, '/warehouse/tables');
      expect(response.status).toBe(503);
      const { error } = (await response.json()) as Api.ApiError;
      expect(error.code).toBe('warehouse_unavailable');
      expect(error.message).toContain('connection "warehouse"');
      expect(error.message).toContain('does not exist yet');
      expect(existsSync(join(e.home, 'later.duckdb'))).toBe(false);
    } finally {
      await e.close();
    }
  });

  it('answers 503 for a PostgreSQL warehouse that does not answer, never showing its password', async () => {
    const e = await startExplorer('read-only', () =>
      Promise.resolve({ uri: 'postgres://etl:Hunter2-secret@127.0.0.1:9/dw' }),
    );
    try {
      for (const response of [await get(e, '/warehouse/tables'), await query(e, { sql: 'SELECT 1' })]) {
        expect(response.status).toBe(503);
        const text = await response.text();
        expect(text).toContain('connection \\"warehouse\\"');
        expect(text).not.toContain('Hunter2-secret');
      }
    } finally {
      await e.close();
    }
  });

  it('lets go of the DuckDB file between requests, so another process can write it', async () => {
    const e = await startExplorer('read-only', ENGINES.duckdb);
    try {
      expect((await get(e, '/warehouse/tables')).status).toBe(200);
      // A writer in another process (a backfill) opens the file and writes, between two requests.
      const script = `import { openWarehouse } from ${JSON.stringify(new URL('../warehouse/index.ts', import.meta.url).pathname)};
const w = await openWarehouse(${JSON.stringify(`duckdb://${join(e.home, 'warehouse.duckdb')}`)});
await w.execute("INSERT INTO users VALUES ('u3', 'Barbara', 'paid')");
await w.close();`;
      await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: new URL('../../', import.meta.url).pathname,
      });
      const { items } = (await (await get(e, '/warehouse/tables')).json()) as Api.Page<Api.WarehouseTable>;
      expect(items.find((t) => t.name === 'users')?.row_count).toBe(4);
    } finally {
      await e.close();
    }
  }, 30_000);

  it('in standalone, reads through the DuckDB instance its tasks hold, and leaves it open for them', async () => {
    let writer: Warehouse | undefined;
    const e = await startExplorer('shared', async (home) => {
      const seeded = await ENGINES.duckdb(home);
      writer = await openWarehouse(seeded.uri);
      return seeded;
    });
    try {
      const response = await query(e, { sql: 'SELECT count(*) AS n FROM songplays' });
      expect(await response.json()).toMatchObject({ rows: [[30]] });
      await writer?.execute("INSERT INTO users VALUES ('u4', 'Alan', 'free')");
      const { items } = (await (await get(e, '/warehouse/tables')).json()) as Api.Page<Api.WarehouseTable>;
      expect(items.find((t) => t.name === 'users')?.row_count).toBe(4);
    } finally {
      await writer?.close();
      await e.close();
    }
  });
});
