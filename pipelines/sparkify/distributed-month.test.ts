/**
 * The full Sparkify month in distributed mode — PostgreSQL metadata DB and warehouse, the sources
 * over the S3 protocol (fauxqs in this process, on loopback), a `downbeat scheduler` and three
 * `downbeat worker` processes — gives the same star schema, row for row, as the embedded mode
 * (SQLite, DuckDB, a local folder) on the same files. Both sides run `downbeat dags backfill` as a
 * user does; the tables are compared as canonical text dumps, since the engines hash differently.
 * The embedded month is Sparkify's policy, one range run over the month; the distributed one runs
 * range runs of a day (`--max-intervals-per-run 24`), 30 of them across the workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, downbeat, until as waitUntil } from '../../src/app/testing.ts';
import type { Warehouse } from '../../src/ports/index.ts';
import { LocalObjectStore, S3ObjectStore } from '../../src/storage/index.ts';
import { testDb, type TestDb } from '../../src/store/db/testing.ts';
import { freshPostgresDatabase, type FreshDatabase } from '../../src/util/testing.ts';
import { openWarehouse } from '../../src/warehouse/index.ts';
import { generateSparkifyData, type GenerateSummary } from './generate/index.ts';
import { canonicalDump, dumpDifferences, stopProcess, type CanonicalDump } from './testing.ts';

// November 2018, small: 720 hourly runs over ~9,000 events and 300 songs.
const MONTH = ['--start', '2018-11-01', '--end', '2018-12-01'];
const DATA = {
  start: new Date('2018-11-01T00:00:00Z'),
  end: new Date('2018-12-01T00:00:00Z'),
  users: 40,
  songs: 300,
  eventsPerDay: 300,
  matchRate: 0.3,
  seed: 2018,
};
const BUCKET = 'sparkify';
const PREFIX = 'udacity-dend';

let root: string;
let source: string;
let generated: GenerateSummary;
let fauxqs: Awaited<ReturnType<typeof startFauxqs>> | undefined;
let metadata: TestDb | undefined;
let warehouseDb: FreshDatabase | undefined;
const children = new Set<ChildProcess>();
const open: Warehouse[] = [];
/** What the distributed processes printed, for failure messages. */
let output = '';

// The children see only the configuration this test gives them, not the caller's DOWNBEAT_*.
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('DOWNBEAT_')),
);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-month-'));
  source = join(root, 'source');
  const local = new LocalObjectStore(source);
  generated = await generateSparkifyData(local, DATA);

  // The same bytes, key for key, in a bucket of an S3-protocol server on loopback.
  fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  fauxqs.createBucket(BUCKET);
  const s3 = S3ObjectStore.fromUri(s3Uri());
  let copied = 0;
  for await (const object of local.list('')) {
    await s3.put(object.key, (await local.get(object.key)).body);
    copied += 1;
  }
  await s3.close();
  expect(copied).toBe(generated.files);

  metadata = await testDb('postgres');
  warehouseDb = await freshPostgresDatabase('downbeat_warehouse');
}, 120_000);

afterAll(async () => {
  await Promise.all([...children].map((child) => stopProcess(child, 'SIGKILL')));
  await Promise.all(open.map((w) => w.close()));
  await warehouseDb?.drop();
  await metadata?.drop();
  await fauxqs?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** The source connection: path-style URLs to the loopback server, static keys. */
function s3Uri(): string {
  const endpoint = encodeURIComponent(fauxqs?.address ?? '');
  return `s3://${BUCKET}/${PREFIX}?endpoint=${endpoint}&region=us-east-1&path_style=true&access_key_id=test&secret_access_key=test`;
}

/** Polls `check` until it holds; the error says what for, with what the processes printed. */
const until = (check: () => Promise<boolean>, what: string, ms = 60_000) =>
  waitUntil(check, what, ms, () => `the processes printed:\n${output}`);

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const name = `${args[0] ?? ''}[${child.pid ?? ''}]`;
  child.stdout?.on('data', (chunk: Buffer) => (output += `${name} ${chunk.toString()}`));
  child.stderr?.on('data', (chunk: Buffer) => (output += `${name} ${chunk.toString()}`));
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Opens a warehouse in this process, closed after the tests. */
async function dumpOf(uri: string): Promise<CanonicalDump> {
  const warehouse = await openWarehouse(uri);
  open.push(warehouse);
  return canonicalDump(warehouse);
}

/** The embedded mode as a user runs it: no scheduler alive, so the backfill command runs one. */
async function embeddedMonth(): Promise<CanonicalDump> {
  const home = join(root, 'embedded');
  const env = { ...baseEnv, DOWNBEAT_HOME: home, DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}` };
  const result = await downbeat(['dags', 'backfill', 'sparkify_etl', ...MONTH], env);
  expect(result.stdout, `${result.stdout}${result.stderr}`).toContain(
    'no scheduler is running: running this backfill here',
  );
  expect(result.stdout, `${result.stdout}${result.stderr}`).toMatch(/backfill 1: 720 succeeded, 0 failed/);
  expect(result.status).toBe(0);
  // The defaults: a SQLite metadata DB and a DuckDB warehouse under DOWNBEAT_HOME.
  return dumpOf(`duckdb://${join(home, 'warehouse.duckdb')}`);
}

/** The distributed mode: a scheduler and three workers as processes; the backfill command only waits. */
async function distributedMonth(): Promise<CanonicalDump> {
  if (!metadata || !warehouseDb) throw new Error('beforeAll did not finish');
  const db = metadata.db;
  const env = {
    ...baseEnv,
    DOWNBEAT_HOME: join(root, 'distributed'),
    DOWNBEAT_DATABASE_URL: metadata.url,
    DOWNBEAT_CONN_WAREHOUSE: warehouseDb.url,
    DOWNBEAT_CONN_SPARKIFY_SOURCE: s3Uri(),
  };
  const migrated = await downbeat(['db', 'migrate'], env);
  expect(migrated.status, `${migrated.stdout}${migrated.stderr}`).toBe(0);
  const scheduler = start(['scheduler'], env);
  const workers = [1, 2, 3].map(() => start(['worker', '--concurrency', '2'], env));
  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql))[0]?.n);
  // The scheduler heartbeats into the metadata DB; a worker says when it is ready.
  await until(
    async () =>
      (await count("SELECT COUNT(*) AS n FROM processes WHERE kind = 'scheduler'")) === 1 &&
      output.match(/running 2 at a time/g)?.length === 3,
    'the scheduler and three workers to start',
  );

  const result = await downbeat(
    ['dags', 'backfill', 'sparkify_etl', ...MONTH, '--max-intervals-per-run', '24'],
    env,
  );
  const printed = `${result.stdout}${result.stderr}\nthe processes printed:\n${output}`;
  expect(result.stdout, printed).toContain('a scheduler is running');
  expect(result.stdout, printed).toMatch(/backfill 1: 720 succeeded, 0 failed/);
  expect(result.status).toBe(0);
  // Every worker process took part, and no task needed a second try.
  expect(await count('SELECT COUNT(DISTINCT worker) AS n FROM task_tries')).toBe(3);
  expect(
    await db.query(
      "SELECT i.task_id, r.run_id, t.try_number, t.state, t.error_message FROM task_tries t JOIN task_instances i ON i.id = t.ti_id JOIN dag_runs r ON r.id = i.run_pk WHERE t.state <> 'success'",
    ),
  ).toEqual([]);
  // 30 range runs of a day, each of the 10 tasks once; every hour has its own run, in its day's range.
  expect(await count('SELECT COUNT(*) AS n FROM task_tries')).toBe(300);
  expect(
    await count("SELECT COUNT(*) AS n FROM dag_runs WHERE kind = 'interval' AND state = 'success'"),
  ).toBe(720);
  expect(
    await count(
      "SELECT COUNT(DISTINCT range_run_pk) AS n FROM dag_runs WHERE kind = 'interval' AND range_run_pk IS NOT NULL",
    ),
  ).toBe(30);

  await Promise.all([scheduler, ...workers].map((child) => stopProcess(child, 'SIGTERM')));
  // PostgreSQL's tables have the indexes every run selects by (sql.ts: createTablesPostgres).
  const warehouse = await openWarehouse(warehouseDb.url);
  try {
    const indexes = await warehouse.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE indexname IN ('staging_events_event_time', 'songplays_start_time') ORDER BY 1",
    );
    expect(indexes.map((i) => i.indexname)).toEqual(['songplays_start_time', 'staging_events_event_time']);
  } finally {
    await warehouse.close();
  }
  return dumpOf(warehouseDb.url);
}

describe('the Sparkify month, distributed and embedded', () => {
  it('gives the same star schema: PostgreSQL + S3 + processes as SQLite + DuckDB + a folder', async () => {
    // Side by side: they share nothing but the generated files, and the machine's cores.
    const [embedded, distributed] = await Promise.all([embeddedMonth(), distributedMonth()]);

    // Not vacuous: every play is loaded, as many matched a catalog song as the generator made match.
    const rows = (dump: CanonicalDump) =>
      Object.fromEntries(Object.entries(dump).map(([table, { rows }]) => [table, rows.length]));
    expect(rows(embedded).songplays).toBe(generated.nextSongEvents);
    expect(rows(embedded)).toMatchObject({ users: generated.users, songs: generated.songs });
    expect(rows(embedded).artists).toBe(generated.artists);
    expect(rows(embedded).time).toBeGreaterThan(0);
    const plays = embedded.songplays;
    const songid = plays?.columns.indexOf('songid') ?? -1;
    expect(plays?.rows.filter((r) => r.split(' | ')[songid] !== 'NULL').length).toBe(
      generated.matchedNextSongEvents,
    );

    // Row counts first, then the first rows that differ, then everything.
    expect(rows(distributed)).toEqual(rows(embedded));
    expect(dumpDifferences(embedded, distributed)).toEqual({});
    expect(distributed).toEqual(embedded);
  }, 600_000);
});
