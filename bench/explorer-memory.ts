/**
 * The warehouse explorer's memory (issue #19): a `downbeat webserver` whose warehouse holds a
 * table of `--rows` rows answers `POST /api/v1/warehouse/query` for all of it, `--queries` times,
 * each cut at the 1,000-row limit. Its resident memory (VmRSS, read from /proc) is sampled every
 * 50 ms: before the first query, at the peak while they run, and after. On DuckDB (a file the
 * webserver opens read-only for each request) and on PostgreSQL (a database of its own).
 *
 *   node --import tsx bench/explorer-memory.ts --rows 10000000 --queries 50
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freshPostgresDatabase, TEST_POSTGRES_URL } from '../src/util/testing.ts';
import { openWarehouse } from '../src/warehouse/index.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    queries: { type: 'string', default: '50' },
    postgres: { type: 'string', default: TEST_POSTGRES_URL },
  },
});
const rows = Number(values.rows);
const queries = Number(values.queries);
const REPO = new URL('../', import.meta.url).pathname;
const USER = 'bench';
const PASSWORD = 'explorer-memory';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
/** A songplays-shaped table, built by the engine itself from a series. */
const TABLE = (series: string) => `CREATE TABLE songplays AS
  SELECT i AS songplay_id, CAST(i AS BIGINT) * 1000 AS start_time, CAST(i % 6000 AS VARCHAR) AS userid, 'free' AS level,
    'SO' || CAST(i % 15000 AS VARCHAR) AS songid, 'AR' || CAST(i % 9000 AS VARCHAR) AS artistid,
    i % 1000 AS sessionid, 'San Francisco-Oakland-Hayward, CA' AS location,
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36' AS user_agent
  FROM ${series}`;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function webserver(home: string, warehouse: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [join(REPO, 'bin/downbeat.js'), 'webserver', '--port', '0'], {
    env: {
      ...process.env,
      DOWNBEAT_HOME: home,
      DOWNBEAT_ADMIN_USER: USER,
      DOWNBEAT_ADMIN_PASSWORD: PASSWORD,
      DOWNBEAT_CONN_WAREHOUSE: warehouse,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url) return { server, url };
    if (Date.now() > deadline || server.exitCode !== null)
      throw new Error(`webserver printed no URL:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Before, peak and after, in MB; and the queries' wall time. */
async function measure(home: string, warehouse: string): Promise<Record<string, number>> {
  const { server, url } = await webserver(home, warehouse);
  const pid = server.pid as number;
  try {
    const query = () =>
      fetch(`${url}/api/v1/warehouse/query`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT * FROM songplays', limit: 1000 }),
      }).then(async (response) => {
        const body = (await response.json()) as { rows?: unknown[]; truncated?: boolean };
        if (!response.ok || body.rows?.length !== 1000 || body.truncated !== true)
          throw new Error(`query: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
      });
    await query(); // the first opens the warehouse: what is kept after it is the baseline
    const before = await rssMb(pid);
    let peak = before;
    const sampler = setInterval(() => {
      rssMb(pid).then(
        (mb) => (peak = Math.max(peak, mb)),
        () => undefined,
      );
    }, 50);
    const began = performance.now();
    for (let i = 0; i < queries; i += 1) await query();
    const seconds = (performance.now() - began) / 1000;
    clearInterval(sampler);
    const after = await rssMb(pid);
    return { before, peak, after, ms_per_query: (seconds * 1000) / queries };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

const root = await mkdtemp(join(tmpdir(), 'downbeat-explorer-memory-'));
const results: Record<string, Record<string, number>> = {};
try {
  process.stderr.write(`DuckDB: a table of ${rows.toLocaleString('en')} rows …\n`);
  const file = join(root, 'warehouse.duckdb');
  const duckdb = await openWarehouse(`duckdb://${file}`);
  await duckdb.execute(TABLE(`range(${rows}) AS r(i)`));
  await duckdb.close();
  results.DuckDB = await measure(join(root, 'home-duckdb'), `duckdb://${file}`);
  process.stderr.write(`PostgreSQL: a table of ${rows.toLocaleString('en')} rows …\n`);
  const database = await freshPostgresDatabase('downbeat_explorer_memory', values.postgres);
  try {
    const postgres = await openWarehouse(database.url);
    await postgres.execute(TABLE(`generate_series(1, ${rows}) AS r(i)`));
    await postgres.close();
    results.PostgreSQL = await measure(join(root, 'home-postgres'), database.url);
  } finally {
    await database.drop();
  }
  const mb = (x: number | undefined) => `${Math.round(x ?? NaN)} MB`;
  const lines = [
    `${rows.toLocaleString('en')} rows, ${queries} queries of the 1,000-row limit, webserver RSS:`,
    '',
    '| warehouse | before | peak | after | per query |',
    '|---|---|---|---|---|',
    ...Object.entries(results).map(
      ([engine, r]) =>
        `| ${engine} | ${mb(r.before)} | ${mb(r.peak)} | ${mb(r.after)} | ${Math.round(r.ms_per_query ?? NaN)} ms |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
