/**
 * A backfill through the orchestrator — metadata DB, scheduler, queue, workers — gives the same
 * warehouse as running every hour with `dags test`, in one range run (Sparkify's policy), run by
 * run, and in range runs of 24 hours; reprocessing it changes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { runInProcess, Worker } from '../../src/executor/index.ts';
import { Scheduler } from '../../src/scheduler/index.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { backfillProgress, listRuns } from '../../src/store/read/index.ts';
import { createBackfill, syncDags } from '../../src/store/runs/index.ts';
import { migrate, openDb, type Db } from '../../src/store/db/index.ts';
import { generateSparkifyData } from './generate/index.ts';
import sparkify from './sparkify.dag.ts';
import { checksums } from './testing.ts';

const START = new Date('2018-11-01T00:00:00Z');
const END = new Date('2018-11-02T12:00:00Z');
let root: string;
let source: string;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-backfill-'));
  source = join(root, 'source');
  await generateSparkifyData(new LocalObjectStore(source), {
    start: START,
    end: END,
    users: 20,
    songs: 200,
    eventsPerDay: 300,
    seed: 11,
  });
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await rm(root, { recursive: true, force: true });
});

function connections(name: string): Connections {
  const c = new Connections(
    loadConfig({ DOWNBEAT_HOME: join(root, name), DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}` }),
    sparkify.connectionDefaults,
  );
  cleanup.push(() => c.close());
  return c;
}

async function waitForBackfill(db: Db, id: number): Promise<void> {
  for (let i = 0; i < 1200; i += 1) {
    const progress = await backfillProgress(db, id);
    if (progress && progress.state !== 'running') {
      expect(progress).toMatchObject({ state: 'success', failed: 0 });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`backfill ${id} did not end`);
}

describe('dags backfill sparkify_etl', () => {
  it('gives the same warehouse as dags test hour by hour, in range runs of all, 1 and 24 intervals', async () => {
    const reference = connections('reference');
    for (let t = START.getTime(); t < END.getTime(); t += 3_600_000) {
      const results = await runInProcess({
        dag: sparkify,
        run: sparkify.runFor(new Date(t)),
        connections: reference,
      });
      expect(results.filter((r) => r.state !== 'success')).toEqual([]);
    }
    const expected = await checksums(await reference.warehouse('warehouse'));

    const orchestrated = connections('orchestrated');
    const db = openDb(undefined, join(root, 'orchestrated'));
    cleanup.push(() => db.close());
    await migrate(db);
    const dags = new Map([[sparkify.id, sparkify]]);
    await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
    const worker = new Worker({ db, dags, connectionsFor: () => orchestrated, concurrency: 4, pollMs: 100 });
    const scheduler = new Scheduler({ db, dags, loopMs: 50, onWork: () => worker.wake() });
    worker.start();
    scheduler.start();
    cleanup.push(async () => {
      await scheduler.stop();
      await worker.stop();
    });

    // The DAG stays paused: backfills run anyway.
    const request = { start: START, end: END, reprocess: 'none' as const, maxActiveRuns: 4 };
    const first = await createBackfill(db, sparkify, request, Date.now());
    expect(first.plan.filter((p) => p.action === 'create')).toHaveLength(36);
    await waitForBackfill(db, first.id);
    expect(await checksums(await orchestrated.warehouse('warehouse'))).toEqual(expected);
    const successes = async () =>
      Number(
        (await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM task_tries WHERE state = 'success'"))[0]?.n,
      );
    // One range run over the 36 hours: each of the 10 tasks ran once, and every hour has its run.
    expect(await successes()).toBe(10);
    const hours = await listRuns(db, sparkify.id, { limit: 100, offset: 0 });
    expect(hours.total).toBe(36);
    expect(hours.runs.every((r) => r.state === 'success' && r.range_run_id !== null)).toBe(true);

    for (const [perRun, tries] of [
      [1, 360],
      [24, 20],
    ] as const) {
      const again = await createBackfill(
        db,
        sparkify,
        { ...request, reprocess: 'completed', maxIntervalsPerRun: perRun },
        Date.now(),
      );
      expect(again.plan.every((p) => p.action === 'rerun')).toBe(true);
      const before = await successes();
      await waitForBackfill(db, again.id);
      expect(await checksums(await orchestrated.warehouse('warehouse'))).toEqual(expected);
      expect((await successes()) - before).toBe(tries);
    }
    const ranges = await listRuns(db, sparkify.id, { limit: 100, offset: 0, rangeRuns: true });
    expect(ranges.runs.map((r) => Number(r.intervals)).sort((a, b) => a - b)).toEqual([12, 24, 36]);
  });
});
