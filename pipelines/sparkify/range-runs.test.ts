/**
 * Sparkify's month backfilled as one range run (its policy) over a month whose 15th has a line no
 * reader can parse: the range is split in halves down to single hours, every hour of the other 29
 * days succeeds, and each hour of the 15th fails alone, naming the file and the line. The hours
 * that succeed have their own figures: rows loaded and data-quality results per hour.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { Worker } from '../../src/executor/index.ts';
import { Scheduler } from '../../src/scheduler/index.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { backfillProgress, checksOfRun, listRuns, outcomesOf } from '../../src/store/read/index.ts';
import { createBackfill, syncDags } from '../../src/store/runs/index.ts';
import { migrate, openDb, type Db } from '../../src/store/db/index.ts';
import { generateSparkifyData } from './generate/index.ts';
import { sparkifyDag } from './sparkify.dag.ts';

const START = new Date('2018-11-01T00:00:00Z');
const END = new Date('2018-12-01T00:00:00Z');
const BAD_FILE = 'log_data/2018/11/2018-11-15-events.json';
const sparkify = sparkifyDag({
  id: 'sparkify_etl',
  schedule: '0 * * * *',
  description: 'test',
  retryDelay: '0s',
});
let root: string;
let source: string;
let badLine: number;
const closing: (() => Promise<void>)[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-range-'));
  source = join(root, 'source');
  await generateSparkifyData(new LocalObjectStore(source), {
    start: START,
    end: END,
    users: 30,
    songs: 200,
    eventsPerDay: 200,
    seed: 15,
  });
  const path = join(source, BAD_FILE);
  const lines = (await readFile(path, 'utf8')).split('\n');
  badLine = 42;
  lines.splice(badLine - 1, 0, '{"artist": "Cut off", "ts": 15422');
  await writeFile(path, lines.join('\n'));
});
afterAll(async () => {
  for (const close of closing.reverse()) await close();
  await rm(root, { recursive: true, force: true });
});

async function until(db: Db, id: number): Promise<string> {
  for (let i = 0; i < 6000; i += 1) {
    const progress = await backfillProgress(db, id);
    if (progress && progress.state !== 'running') return progress.state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`backfill ${id} did not end`);
}

describe('a range run over a month with a corrupt day', () => {
  it('fails only the hours of the bad day, each naming the file and line; the others load with their own figures', async () => {
    const home = join(root, 'home');
    const connections = new Connections(
      loadConfig({ DOWNBEAT_HOME: home, DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}` }),
      sparkify.connectionDefaults,
    );
    const db = openDb(undefined, home);
    closing.push(
      () => db.close(),
      () => connections.close(),
    );
    await migrate(db);
    const dags = new Map([[sparkify.id, sparkify]]);
    await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
    const worker = new Worker({ db, dags, connectionsFor: () => connections, concurrency: 4, pollMs: 100 });
    const scheduler = new Scheduler({ db, dags, loopMs: 50, onWork: () => worker.wake() });
    worker.start();
    scheduler.start();
    closing.push(async () => {
      await scheduler.stop();
      await worker.stop();
    });

    const { id } = await createBackfill(
      db,
      sparkify,
      { start: START, end: END, reprocess: 'none', maxActiveRuns: 16 },
      Date.now(),
    );
    expect(await until(db, id)).toBe('failed');

    const { runs, total } = await listRuns(db, sparkify.id, { limit: 1000, offset: 0 });
    expect(total).toBe(720);
    const failed = runs.filter((r) => r.state === 'failed').map((r) => new Date(Number(r.logical_date)));
    expect(failed).toHaveLength(24);
    expect(failed.every((d) => d.toISOString().startsWith('2018-11-15'))).toBe(true);
    expect(runs.filter((r) => r.state === 'success')).toHaveLength(696);

    // Each bad hour failed in a range run of its own, Stage_events naming the file and the line.
    for (const run of runs.filter((r) => r.state === 'failed')) {
      const [range] = await db.query<{ intervals: number }>('SELECT intervals FROM dag_runs WHERE id = $1', [
        Number(run.tasks_pk),
      ]);
      expect(Number(range?.intervals)).toBe(1);
      const [error] = await db.query<{ error_message: string }>(
        `SELECT t.error_message FROM task_tries t JOIN task_instances i ON i.id = t.ti_id
         WHERE i.run_pk = $1 AND i.task_id = 'Stage_events' ORDER BY t.try_number DESC LIMIT 1`,
        [Number(run.tasks_pk)],
      );
      expect(error?.error_message).toContain(`${BAD_FILE}:${badLine}: not valid JSON`);
    }

    // An hour that succeeded shows its own rows loaded and its own checks, beside the range's.
    const warehouse = await connections.warehouse('warehouse');
    const hour = runs.find(
      (r) => new Date(Number(r.logical_date)).toISOString() === '2018-11-03T10:00:00.000Z',
    );
    if (!hour) throw new Error('no run for 2018-11-03T10:00');
    const [plays] = await warehouse.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM songplays WHERE start_time >= TIMESTAMP '2018-11-03 10:00:00' AND start_time < TIMESTAMP '2018-11-03 11:00:00'",
    );
    const fact = (await outcomesOf(db, [Number(hour.tasks_pk)])).find(
      (o) => o.task_id === 'Load_songplays_fact_table',
    );
    const figures = JSON.parse(fact?.outcome ?? '{}') as {
      intervals?: Record<string, { rowsWritten: Record<string, number> }>;
    };
    expect(Number(plays?.n)).toBeGreaterThan(0);
    expect(figures.intervals?.['2018-11-03T10:00:00.000Z']?.rowsWritten.songplays).toBe(Number(plays?.n));
    const checks = await checksOfRun(db, Number(hour.tasks_pk), Number(hour.logical_date));
    const perHour = checks.filter((c) => c.interval_start !== null);
    // The reconciliation is the hour's own; the counts of offending rows were 0 over the range.
    expect(perHour.map((c) => c.name)).toEqual([
      'NextSong events in the interval = songplays in the interval',
    ]);
    expect(perHour.every((c) => Number(c.interval_start) === Number(hour.logical_date))).toBe(true);
    expect(checks.filter((c) => c.interval_start === null).length).toBeGreaterThan(0);
    expect(checks.every((c) => Number(c.passed) === 1)).toBe(true);
    const reconcile = perHour.find((c) => c.name.startsWith('NextSong events in the interval'));
    expect(reconcile?.actual).toBe(String(plays?.n));
  });
});
