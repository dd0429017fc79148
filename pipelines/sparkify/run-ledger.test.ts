/**
 * A run's rejects and ledger in the API (DESIGN §8), on a real DuckDB file and a real PostgreSQL
 * warehouse: Sparkify stages a day file with two bad lines (its reject limit allowing them), once
 * in a range run over three hours and once in a run of its own; the rejects route names the file,
 * the lines and the reasons, and the ledger's numbers balance and equal the warehouse's counts.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, serve, warehouseSource } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { dag, noop } from '../../src/index.ts';
import { Worker } from '../../src/executor/index.ts';
import { Scheduler } from '../../src/scheduler/index.ts';
import type * as Api from '../../src/server/api/types.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { createBackfill, syncDags } from '../../src/store/runs/index.ts';
import { migrate, openDb, type Db } from '../../src/store/db/index.ts';
import { freshPostgresDatabase } from '../../src/util/testing.ts';
import { generateSparkifyData } from './generate/index.ts';
import { sparkifyDag } from './sparkify.dag.ts';

const DAY = 'log_data/2018/11/2018-11-02-events.json';
const AUTH = `Basic ${Buffer.from('ada:lovelace-1815').toString('base64')}`;
const SECRET = 'ledger-s3cret';
const RECONCILE = 'NextSong events in the interval = songplays in the interval';
const sparkify = sparkifyDag({
  id: 'sparkify_etl',
  schedule: '0 * * * *',
  description: 'test',
  retryDelay: '0s',
  eventsRejectLimit: 5,
});
/** A DAG that stages nothing: its runs read no object. */
const quiet = dag({ id: 'quiet', schedule: null, startDate: '2018-11-01' }, (d) => {
  d.task('only', noop());
});

let root: string;
let source: string;
/** The day file's records: its lines that are not empty. */
let lines: number;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-ledger-'));
  source = join(root, 'source');
  await generateSparkifyData(new LocalObjectStore(source), {
    start: new Date('2018-11-02T00:00:00Z'),
    end: new Date('2018-11-03T00:00:00Z'),
    users: 20,
    songs: 60,
    eventsPerDay: 300,
    seed: 19,
  });
  const path = join(source, DAY);
  const text = (await readFile(path, 'utf8')).split('\n');
  // Line 10: JSON cut off. Line 20: a time that is text.
  text.splice(9, 0, '{"artist": "Cut off", "ts": 15422');
  text.splice(19, 0, (text[25] ?? '').replace(/"ts":\s*\d+/, '"ts": "soon"'));
  await writeFile(path, text.join('\n'));
  lines = text.filter((line) => line.trim() !== '').length;
});
afterAll(() => rm(root, { recursive: true, force: true }));

const ENGINES: Record<string, (home: string) => Promise<{ uri: string; drop?: () => Promise<void> }>> = {
  duckdb: (home) => Promise.resolve({ uri: `duckdb://${join(home, 'warehouse.duckdb')}` }),
  postgres: async () => {
    const database = await freshPostgresDatabase('downbeat_ledger');
    const url = new URL(database.url);
    url.password = SECRET; // trust authentication: never checked, and never to be shown
    return { uri: url.toString(), drop: () => database.drop() };
  },
};

describe.each(['duckdb', 'postgres'] as const)("a run's rejects and ledger on %s", (engine) => {
  const closing: (() => Promise<void>)[] = [];
  let url: string;
  let connections: Connections;
  let db: Db;
  const bodies: string[] = [];

  beforeAll(async () => {
    const home = await mkdtemp(join(root, `${engine}-`));
    const { uri, drop } = await (ENGINES[engine] as (typeof ENGINES)[string])(home);
    if (drop) closing.push(drop);
    const config = loadConfig({
      DOWNBEAT_HOME: home,
      DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}`,
      DOWNBEAT_CONN_WAREHOUSE: uri,
    });
    db = openDb(undefined, home);
    closing.push(() => db.close());
    await migrate(db);
    const dags = new Map([
      [sparkify.id, sparkify],
      [quiet.id, quiet],
    ]);
    await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
    await addUser(db, 'ada', 'lovelace-1815', Date.now());
    connections = new Connections(config, sparkify.connectionDefaults);
    closing.push(() => connections.close());
    const worker = new Worker({ db, dags, connectionsFor: () => connections, concurrency: 4, pollMs: 100 });
    const scheduler = new Scheduler({ db, dags, loopMs: 50, onWork: () => worker.wake() });
    worker.start();
    scheduler.start();
    closing.push(async () => {
      await scheduler.stop();
      await worker.stop();
    });
    const warehouse = warehouseSource({ config, db, access: 'shared' });
    closing.push(() => warehouse.close());
    const server = await serve({ db, dags, port: 0, warehouse });
    closing.push(() => server.close());
    url = server.url;
  }, 60_000);
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
    expect(bodies.some((b) => b.includes(SECRET))).toBe(false);
  });

  const send = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${url}/api/v1${path}`, {
      ...init,
      headers: { authorization: AUTH, 'content-type': 'application/json' },
    });
    const text = await response.text();
    bodies.push(text);
    return { status: response.status, body: JSON.parse(text) as unknown };
  };
  const get = async <T>(path: string): Promise<T> => {
    const { status, body } = await send(path);
    if (status !== 200) throw new Error(`${path}: ${status} ${JSON.stringify(body)}`);
    return body as T;
  };
  const runPath = (dagId: string, runId: string) => `/dags/${dagId}/dagRuns/${encodeURIComponent(runId)}`;
  const ended = async (dagId: string, runId: string): Promise<Api.DagRun> => {
    for (let i = 0; i < 1200; i += 1) {
      const run = await get<Api.DagRun>(runPath(dagId, runId));
      if (run.state === 'success' || run.state === 'failed') return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${runId} did not end`);
  };
  const count = async (sql: string): Promise<number> => {
    const warehouse = await connections.warehouse('warehouse');
    const [row] = await warehouse.query<{ n: number | string }>(sql);
    return Number(row?.n);
  };
  const plays = (from: string, to: string) =>
    count(
      `SELECT COUNT(*) AS n FROM songplays WHERE start_time >= TIMESTAMP '${from}' AND start_time < TIMESTAMP '${to}'`,
    );

  it('answers a run of a warehouse without bookkeeping with empty lists, or 503 naming the connection', async () => {
    // Before any stage has run (the DAGs are paused; the backfill starts in the next test): on
    // DuckDB the warehouse file is not there yet, PostgreSQL's database is empty.
    const created = await send('/dags/quiet/dagRuns', {
      method: 'POST',
      body: JSON.stringify({ logical_date: '2018-11-05T00:00:00Z' }),
    });
    expect(created.status).toBe(201);
    const runId = (created.body as Api.DagRun).dag_run_id;
    await ended('quiet', runId);
    const rejects = await send(`${runPath('quiet', runId)}/rejects`);
    if (engine === 'duckdb') {
      expect(rejects.status).toBe(503);
      expect((rejects.body as Api.ApiError).error.message).toContain('connection "warehouse"');
    } else {
      expect(rejects.status).toBe(200);
      expect(rejects.body).toEqual({ items: [], total_entries: 0, scope: 'run', rejected: 0 });
    }
  });

  it('names the file, line and reason of each reject; the ledger balances and equals the warehouse', async () => {
    // Three hours in one range run; the sixth hour in a run of its own.
    await createBackfill(
      db,
      sparkify,
      {
        start: new Date('2018-11-02T00:00:00Z'),
        end: new Date('2018-11-02T03:00:00Z'),
        reprocess: 'none',
        maxActiveRuns: 4,
      },
      Date.now(),
    );
    const hours = ['2018-11-02T00:00:00.000Z', '2018-11-02T01:00:00.000Z', '2018-11-02T02:00:00.000Z'];
    for (const hour of hours)
      expect((await ended('sparkify_etl', `backfill__${hour}`)).state).toBe('success');
    const own = await send('/dags/sparkify_etl/dagRuns', {
      method: 'POST',
      body: JSON.stringify({ logical_date: '2018-11-02T05:00:00Z' }),
    });
    const ownId = (own.body as Api.DagRun).dag_run_id;
    expect((await ended('sparkify_etl', ownId)).state).toBe('success');

    const staged = await count(`SELECT COUNT(*) AS n FROM staging_events WHERE _source_key = '${DAY}'`);
    const kept = await count(`SELECT COUNT(*) AS n FROM _downbeat_rejects WHERE object_key = '${DAY}'`);
    expect(kept).toBe(2);
    expect(staged).toBe(lines - 2);
    const expectedRejects = [
      {
        table: 'staging_events',
        object_key: DAY,
        line: 10,
        reason: expect.stringContaining('not valid JSON') as unknown,
      },
      {
        table: 'staging_events',
        object_key: DAY,
        line: 20,
        reason: expect.stringMatching(/^ts: .*"soon"/) as unknown,
      },
    ];
    const ledgerTable = { table: 'staging_events', objects: 1, lines_read: lines, rows_staged: staged };

    // The run of its own: what it read.
    const rejects = await get<Api.RunRejects>(`${runPath('sparkify_etl', ownId)}/rejects`);
    expect(rejects).toEqual({ items: expectedRejects, total_entries: 2, scope: 'run', rejected: 2 });
    const second = await get<Api.RunRejects>(`${runPath('sparkify_etl', ownId)}/rejects?limit=1&offset=1`);
    expect(second.items).toEqual([expectedRejects[1]]);
    expect(second.total_entries).toBe(2);
    const ledger = await get<Api.RunLedger>(`${runPath('sparkify_etl', ownId)}/ledger`);
    expect(ledger.tables).toEqual([
      { ...ledgerTable, scope: 'run', rejected: 2, restaged: 0, balanced: true },
    ]);
    const ownPlays = await plays('2018-11-02 05:00:00', '2018-11-02 06:00:00');
    expect(ledger.reconciliations).toEqual([
      {
        task_id: 'Run_data_quality_checks',
        try_number: 1,
        name: RECONCILE,
        expected: String(ownPlays),
        actual: String(ownPlays),
        passed: true,
        for_range: false,
      },
    ]);
    expect(ledger.passed).toBe(true);

    // An hour of the range run: what the range read of its interval, and its own reconciliation.
    const hour = `backfill__${hours[1]}`;
    const covered = await get<Api.RunRejects>(`${runPath('sparkify_etl', hour)}/rejects`);
    expect(covered).toEqual({ items: expectedRejects, total_entries: 2, scope: 'interval', rejected: 2 });
    const hourLedger = await get<Api.RunLedger>(`${runPath('sparkify_etl', hour)}/ledger`);
    expect(hourLedger.tables).toEqual([
      { ...ledgerTable, scope: 'interval', rejected: 2, restaged: 0, balanced: true },
    ]);
    const hourPlays = await plays('2018-11-02 01:00:00', '2018-11-02 02:00:00');
    expect(hourPlays).toBeGreaterThan(0);
    expect(
      hourLedger.reconciliations.map((r) => [r.name, r.expected, r.actual, r.passed, r.for_range]),
    ).toEqual([[RECONCILE, String(hourPlays), String(hourPlays), true, false]]);

    // A run that read nothing of the warehouse: empty lists, now that the bookkeeping exists.
    const quietRuns = await get<Api.Page<Api.DagRun>>('/dags/quiet/dagRuns');
    const quietId = quietRuns.items[0]?.dag_run_id ?? '';
    expect(await get<Api.RunRejects>(`${runPath('quiet', quietId)}/rejects`)).toEqual({
      items: [],
      total_entries: 0,
      scope: 'run',
      rejected: 0,
    });
    expect(await get<Api.RunLedger>(`${runPath('quiet', quietId)}/ledger`)).toEqual({
      tables: [],
      reconciliations: [],
      passed: null,
    });
    expect((await send(`${runPath('sparkify_etl', ownId)}/rejects?limit=0`)).status).toBe(400);
  }, 180_000);

  it('fails the ledger when the staging table lost a row the manifest counts', async () => {
    const warehouse = await connections.warehouse('warehouse');
    await warehouse.execute(
      `DELETE FROM staging_events WHERE _source_key = $key AND _source_line = (SELECT MIN(_source_line) FROM staging_events WHERE _source_key = $key)`,
      { key: DAY },
    );
    const runs = await get<Api.Page<Api.DagRun>>(
      '/dags/sparkify_etl/dagRuns?logical_date_gte=2018-11-02T05:00:00Z&logical_date_lte=2018-11-02T05:00:00Z',
    );
    const ledger = await get<Api.RunLedger>(
      `${runPath('sparkify_etl', runs.items[0]?.dag_run_id ?? '')}/ledger`,
    );
    expect(ledger.tables[0]).toMatchObject({ lines_read: lines, rows_staged: lines - 3, balanced: false });
    expect(ledger.passed).toBe(false);
  });
});
