/**
 * Source lineage (issue #19), on a real DuckDB file and a real PostgreSQL warehouse: three days
 * loaded in one range run (Sparkify's policy), then the second day's file replaced at the source.
 * The sweep (`downbeat sources check` on PostgreSQL, the function on DuckDB, whose file this
 * process holds) marks exactly that day's 24 hours stale, as the API shows; a second sweep marks
 * nothing new; `--reprocess stale` reruns those 24 in one range run and nothing else; the marks are
 * cleared, and the tables equal a clean load of the sources as they are now. The third day's file
 * then removed, an engine's scheduler marks its hours stale at its first loop.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  openRuntime,
  serve,
  startEngine,
  sweepSources,
  type DagSweep,
} from '../../src/app/index.ts';
import { downbeat } from '../../src/app/testing.ts';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { runInProcess, Worker } from '../../src/executor/index.ts';
import { Scheduler } from '../../src/scheduler/index.ts';
import type * as Api from '../../src/server/api/types.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { backfillProgress } from '../../src/store/read/index.ts';
import { createBackfill, planBackfill, syncDags } from '../../src/store/runs/index.ts';
import { migrate, openDb, type Db } from '../../src/store/db/index.ts';
import { freshPostgresDatabase } from '../../src/util/testing.ts';
import { generateSparkifyData } from './generate/index.ts';
import sparkify from './sparkify.dag.ts';
import { canonicalDump } from './testing.ts';

const START = new Date('2018-11-01T00:00:00Z');
const END = new Date('2018-11-04T00:00:00Z');
const DAY = 'log_data/2018/11/2018-11-02-events.json';
const AUTH = `Basic ${Buffer.from('ada:lovelace-1815').toString('base64')}`;
const PIPELINES = new URL('../', import.meta.url).pathname;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-stale-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const ENGINES: Record<
  string,
  () => Promise<{ uri: (home: string) => string; drop?: () => Promise<void> }[]>
> = {
  duckdb: () => Promise.resolve([0, 1].map(() => ({ uri: (home) => `duckdb://${join(home, 'wh.duckdb')}` }))),
  postgres: () =>
    Promise.all(
      [0, 1].map(async () => {
        const database = await freshPostgresDatabase('downbeat_stale');
        return { uri: () => database.url, drop: () => database.drop() };
      }),
    ),
};

async function until(db: Db, id: number): Promise<void> {
  for (let i = 0; i < 3000; i += 1) {
    const progress = await backfillProgress(db, id);
    if (progress && progress.state !== 'running') {
      expect(progress).toMatchObject({ state: 'success', failed: 0 });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`backfill ${id} did not end`);
}

const onDay2 = (iso: string) => iso.startsWith('2018-11-02');

describe.each(['duckdb', 'postgres'] as const)('a day file replaced at the source, on %s', (engine) => {
  const closing: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
  });

  it('marks its 24 hours stale; --reprocess stale reruns those 24 only; the tables equal a clean load', async () => {
    const [main, clean] = await (ENGINES[engine] as (typeof ENGINES)[string])();
    if (!main || !clean) throw new Error('no warehouses');
    for (const w of [main, clean]) if (w.drop) closing.push(w.drop);
    const home = await mkdtemp(join(root, `${engine}-`));
    // Each engine's own source: the day file is replaced in it.
    const source = join(home, 'source');
    await generateSparkifyData(new LocalObjectStore(source), {
      start: START,
      end: END,
      users: 20,
      songs: 100,
      eventsPerDay: 200,
      seed: 23,
    });
    const env = {
      DOWNBEAT_HOME: home,
      DOWNBEAT_DAGS_FOLDER: PIPELINES,
      DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}`,
      DOWNBEAT_CONN_WAREHOUSE: main.uri(home),
    };
    const connections = new Connections(loadConfig(env), sparkify.connectionDefaults);
    closing.push(() => connections.close());
    const db = openDb(undefined, home);
    closing.push(() => db.close());
    await migrate(db);
    const dags = new Map([[sparkify.id, sparkify]]);
    await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
    await addUser(db, 'ada', 'lovelace-1815', Date.now());
    const worker = new Worker({ db, dags, connectionsFor: () => connections, concurrency: 4, pollMs: 100 });
    const scheduler = new Scheduler({ db, dags, loopMs: 50, onWork: () => worker.wake() });
    worker.start();
    scheduler.start();
    closing.push(async () => {
      await scheduler.stop();
      await worker.stop();
    });
    const server = await serve({ db, dags, port: 0 });
    closing.push(() => server.close());
    const runs = async (): Promise<readonly Api.DagRun[]> => {
      const response = await fetch(`${server.url}/api/v1/dags/${sparkify.id}/dagRuns?limit=1000`, {
        headers: { authorization: AUTH },
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as Api.Page<Api.DagRun>).items;
    };
    const sweep = () => sweepSources({ db, dags, connectionsFor: () => connections, now: Date.now() });
    const request = { start: START, end: END, maxActiveRuns: 4 };

    const first = await createBackfill(db, sparkify, { ...request, reprocess: 'none' }, Date.now());
    await until(db, first.id);
    expect((await sweep())[0]).toMatchObject({ runsChecked: 72, marked: [], alreadyStale: 0 });

    // The day file replaced: every location of the day's events differs, nothing else.
    const path = join(source, DAY);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replaceAll(/"location":"[^"]*"/g, '"location":"Replaced, ZZ"'));
    const before = await canonicalDump(await connections.warehouse('warehouse'));

    let swept: DagSweep | undefined;
    if (engine === 'postgres') {
      const cli = await downbeat(['sources', 'check', '--dag', sparkify.id, '--json'], env);
      expect(cli.status, cli.stderr).toBe(0);
      const [out] = JSON.parse(cli.stdout) as {
        dag_id: string;
        marked: { logical_date: string; objects: { key: string; current_version: string | null }[] }[];
      }[];
      expect(out?.dag_id).toBe(sparkify.id);
      expect(out?.marked).toHaveLength(24);
      expect(out?.marked.every((m) => onDay2(m.logical_date))).toBe(true);
      expect(out?.marked.every((m) => m.objects.length === 1 && m.objects[0]?.key === DAY)).toBe(true);
      const text = await downbeat(['sources', 'check', '--dag', sparkify.id], env);
      expect(text.stdout).toContain(
        `${sparkify.id}: 48 run(s) checked, 2 object(s) looked at, 0 marked stale now, 24 stale already`,
      );
    } else {
      swept = (await sweep())[0];
      expect(swept?.marked.map((m) => new Date(m.logicalDate).toISOString()).filter(onDay2)).toHaveLength(24);
      expect(swept?.marked).toHaveLength(24);
      expect(swept?.marked[0]?.objects).toEqual([
        {
          table: 'staging_events',
          key: DAY,
          read: expect.any(String) as string,
          now: expect.any(String) as string,
        },
      ]);
    }
    const stale = (await runs()).filter((r) => r.stale);
    expect(stale.map((r) => r.logical_date).sort()).toEqual(
      Array.from({ length: 24 }, (_, h) => new Date(Date.UTC(2018, 10, 2, h)).toISOString()),
    );
    expect(stale[0]?.stale_objects).toEqual([
      expect.objectContaining({ table: 'staging_events', key: DAY }) as Api.StaleObject,
    ]);
    expect(stale[0]?.stale_objects[0]?.current_version).not.toBe(stale[0]?.stale_objects[0]?.read_version);
    // Twice: nothing new.
    expect((await sweep())[0]).toMatchObject({ runsChecked: 48, marked: [], alreadyStale: 24 });

    // --reprocess stale: the plan (a dry run) is those 24; the rerun is one range run over them.
    const plan = await planBackfill(db, sparkify, { ...request, reprocess: 'stale' });
    const reruns = plan.filter((p) => p.action === 'rerun').map((p) => p.logicalDate.toISOString());
    expect(reruns).toEqual(stale.map((r) => r.logical_date).sort());
    expect(plan.filter((p) => p.action !== 'rerun' && p.action !== 'skip')).toEqual([]);
    const preview = await fetch(`${server.url}/api/v1/backfills/dry_run`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({
        dag_id: sparkify.id,
        from_date: START.toISOString(),
        to_date: END.toISOString(),
        reprocess_behavior: 'stale',
      }),
    });
    expect(preview.status).toBe(200);
    const previewed = (await preview.json()) as Api.BackfillPreview;
    expect(previewed.runs.filter((r) => r.action === 'rerun').map((r) => r.logical_date)).toEqual(reruns);
    expect(previewed.range_runs).toEqual([
      { from_date: '2018-11-02T00:00:00.000Z', to_date: '2018-11-03T00:00:00.000Z', intervals: 24 },
    ]);
    if (engine === 'postgres') {
      const dry = await downbeat(
        [
          'dags',
          'backfill',
          sparkify.id,
          '--start',
          '2018-11-01',
          '--end',
          '2018-11-04',
          '--reprocess',
          'stale',
          '--dry-run',
        ],
        env,
      );
      expect(dry.status, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(
        '72 intervals: 0 to create, 24 to rerun, 0 unfinished to resume, 48 to skip, in 1 range run(s)',
      );
    }
    const [counted] = await db.query<{ runs: number; tries: number }>(
      'SELECT (SELECT COUNT(*) FROM dag_runs) AS runs, (SELECT COUNT(*) FROM task_tries) AS tries',
    );
    const ended = await db.query<{ logical_date: number; ended_at: number }>(
      "SELECT logical_date, ended_at FROM dag_runs WHERE kind = 'interval' ORDER BY logical_date",
    );
    const second = await createBackfill(db, sparkify, { ...request, reprocess: 'stale' }, Date.now());
    await until(db, second.id);
    const [after] = await db.query<{ runs: number; tries: number }>(
      'SELECT (SELECT COUNT(*) FROM dag_runs) AS runs, (SELECT COUNT(*) FROM task_tries) AS tries',
    );
    expect(Number(after?.runs)).toBe(Number(counted?.runs) + 1);
    expect(Number(after?.tries)).toBe(Number(counted?.tries) + sparkify.tasks.size);
    const [range] = await db.query<{ intervals: number; interval_start: number }>(
      "SELECT intervals, interval_start FROM dag_runs WHERE kind = 'range' AND backfill_id = $1",
      [second.id],
    );
    expect(Number(range?.intervals)).toBe(24);
    expect(new Date(Number(range?.interval_start)).toISOString()).toBe('2018-11-02T00:00:00.000Z');
    const endedNow = await db.query<{ logical_date: number; ended_at: number }>(
      "SELECT logical_date, ended_at FROM dag_runs WHERE kind = 'interval' ORDER BY logical_date",
    );
    const rerun = endedNow.filter((r, i) => Number(r.ended_at) !== Number(ended[i]?.ended_at));
    expect(rerun.map((r) => new Date(Number(r.logical_date)).toISOString())).toEqual(reruns);

    expect((await runs()).filter((r) => r.stale)).toEqual([]);
    expect((await sweep())[0]).toMatchObject({ runsChecked: 72, marked: [], alreadyStale: 0 });

    // A clean load of the sources as they are now.
    const cleanHome = await mkdtemp(join(root, `${engine}-clean-`));
    const fresh = new Connections(
      loadConfig({ ...env, DOWNBEAT_HOME: cleanHome, DOWNBEAT_CONN_WAREHOUSE: clean.uri(cleanHome) }),
      sparkify.connectionDefaults,
    );
    closing.push(() => fresh.close());
    for (let t = START.getTime(); t < END.getTime(); t += 3_600_000) {
      const results = await runInProcess({
        dag: sparkify,
        run: sparkify.runFor(new Date(t)),
        connections: fresh,
      });
      expect(results.filter((r) => r.state !== 'success')).toEqual([]);
    }
    const expected = await canonicalDump(await fresh.warehouse('warehouse'));
    expect(before.songplays).not.toEqual(expected.songplays);
    expect(await canonicalDump(await connections.warehouse('warehouse'))).toEqual(expected);

    // The third day's file removed: the scheduler of an engine, at its first loop, marks its 24
    // hours stale, each saying the file is gone.
    await rm(join(source, 'log_data/2018/11/2018-11-03-events.json'));
    const runtime = await openRuntime({ env });
    closing.push(() => runtime.close());
    const lines: string[] = [];
    const engineOfRuntime = startEngine(runtime, {
      scheduler: true,
      worker: false,
      log: (line) => lines.push(line),
    });
    closing.push(() => engineOfRuntime.stop());
    for (let i = 0; i < 600 && lines.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual([
      `sources check: 24 run(s) of ${sparkify.id} marked stale (an object they read changed)`,
    ]);
    const gone = (await runs()).filter((r) => r.stale);
    expect(gone.map((r) => r.logical_date.slice(0, 10))).toEqual(Array<string>(24).fill('2018-11-03'));
    expect(gone.every((r) => r.stale_objects[0]?.current_version === null)).toBe(true);
  }, 300_000);
});
