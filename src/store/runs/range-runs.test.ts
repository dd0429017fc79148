import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/index.ts';
import { dag, TaskFailure, type Dag, type Operator, type TaskContext } from '../../dag/index.ts';
import { Worker } from '../../executor/index.ts';
import { Scheduler } from '../../scheduler/index.ts';
import { listRuns, runWindow } from '../read/index.ts';
import { testDb, type TestDb } from '../db/testing.ts';
import { cancelBackfill, clearTasks, createBackfill, markDagRun, planBackfill, syncDags } from './index.ts';

const HOUR = 3_600_000;
const START = Date.parse('2018-11-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** What each execution of a task saw: its union interval and how many intervals it covered. */
interface Seen {
  readonly task: string;
  readonly start: string;
  readonly end: string;
  readonly intervals: number;
}

/** extract → load (→ check): load fails in any run whose interval holds one of the bad hours. */
function pipeline(seen: Seen[], badHours: ReadonlySet<number>, retries = 2): Dag {
  const recorder = (fail: boolean): Operator => ({
    kind: 'recorder',
    describe: () => ({}),
    execute(context: TaskContext) {
      const { start, end } = context.dataInterval;
      seen.push({
        task: context.taskId,
        start: start.toISOString(),
        end: end.toISOString(),
        intervals: context.intervals?.length ?? 1,
      });
      const bad = [...badHours].find(
        (h) => START + h * HOUR >= start.getTime() && START + h * HOUR < end.getTime(),
      );
      if (fail && bad !== undefined)
        throw new TaskFailure('bad_hour', `hour ${iso(START + bad * HOUR)} is bad`);
      return Promise.resolve({ rowsWritten: { t: 1 } });
    },
  });
  return dag(
    {
      id: 'ranged',
      schedule: '@hourly',
      startDate: '2018-11-01',
      backfillPolicy: { maxIntervalsPerRun: 'all' },
      defaultArgs: { retries, retryDelay: '0s' },
    },
    (d) => {
      d.chain(d.task('extract', recorder(false)), d.task('load', recorder(true)));
    },
  );
}

describe.each(['sqlite', 'postgres'] as const)('range runs on %s', (dialect) => {
  let t: TestDb;
  const clock = new FakeClock('2019-01-01T00:00:00Z');
  const stoppers: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    t = await testDb(dialect);
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0)) await stop();
    await t.drop();
  });

  /** A started worker and a scheduler that wakes it, for `d` (scoped to one backfill if given). */
  function engine(d: Dag, id: string, backfillId?: number) {
    const dags = new Map([[d.id, d]]);
    const scope = backfillId === undefined ? {} : { backfillId };
    const worker = new Worker({
      db: t.db,
      dags,
      connectionsFor: () => ({}) as never,
      clock,
      id,
      pollMs: 20,
      ...scope,
    });
    worker.start();
    stoppers.push(() => worker.stop());
    return new Scheduler({ db: t.db, dags, clock, onWork: () => worker.wake(), ...scope });
  }

  /** Backfills `hours` hours of `d` and runs scheduler and worker until the backfill ends. */
  async function backfill(
    d: Dag,
    hours: number,
    options: { perRun?: number | 'all'; reprocess?: 'none' | 'completed' } = {},
  ) {
    const dags = new Map([[d.id, d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    const scheduler = engine(d, 'w');
    const { id } = await createBackfill(
      t.db,
      d,
      {
        start: new Date(START),
        end: new Date(START + hours * HOUR),
        reprocess: options.reprocess ?? 'none',
        maxActiveRuns: 4,
        ...(options.perRun === undefined ? {} : { maxIntervalsPerRun: options.perRun }),
      },
      clock.now(),
    );
    for (let i = 0; i < 3000; i += 1) {
      await scheduler.tick();
      const [b] = await t.db.query<{ state: string }>('SELECT state FROM backfills WHERE id = $1', [id]);
      if (b && b.state !== 'running') return b.state;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('the backfill did not end');
  }

  const intervalRuns = async () =>
    (await listRuns(t.db, 'ranged', { limit: 1000, offset: 0 })).runs
      .map((r) => ({ at: iso(Number(r.logical_date)), state: r.state, range: r.range_run_id }))
      .reverse();
  const rangeRuns = async () =>
    (await listRuns(t.db, 'ranged', { limit: 1000, offset: 0, rangeRuns: true })).runs
      .map((r) => ({ id: r.run_id, state: r.state, intervals: Number(r.intervals) }))
      .reverse();

  it('runs each task once over the union of a backfill, and every interval run succeeds with it', async () => {
    const seen: Seen[] = [];
    expect(await backfill(pipeline(seen, new Set()), 8)).toBe('success');
    expect(seen).toEqual(
      ['extract', 'load'].map((task) => ({
        task,
        start: iso(START),
        end: iso(START + 8 * HOUR),
        intervals: 8,
      })),
    );
    const runs = await intervalRuns();
    expect(runs).toHaveLength(8);
    const range = `range__${iso(START)}--${iso(START + 8 * HOUR)}__b1`;
    expect(runs.every((r) => r.state === 'success' && r.range === range)).toBe(true);
    expect(await rangeRuns()).toEqual([{ id: range, state: 'success', intervals: 8 }]);
    // The grid's window shows the range run's task instances on every covered interval.
    const window = await runWindow(t.db, 'ranged', 100);
    expect(new Set(window.map((r) => Number(r.tasks_pk))).size).toBe(1);
    expect((await listRuns(t.db, 'ranged', { limit: 1, offset: 0 })).total).toBe(8);
  });

  it('splits a failed range in halves down to the bad interval, which alone fails, after its own retries', async () => {
    const seen: Seen[] = [];
    expect(await backfill(pipeline(seen, new Set([5])), 8)).toBe('failed');
    const runs = await intervalRuns();
    expect(runs.filter((r) => r.state === 'failed').map((r) => r.at)).toEqual([iso(START + 5 * HOUR)]);
    expect(runs.filter((r) => r.state === 'success')).toHaveLength(7);
    const loads = seen.filter((s) => s.task === 'load').map((s) => `${s.start.slice(11, 13)}+${s.intervals}`);
    // [0,8) fails without a retry; [0,4) and [4,8); [4,6) and [6,8); [4,5) and [5,6); [5,6) retried twice.
    expect(loads.sort()).toEqual(
      ['00+4', '00+8', '04+1', '04+2', '04+4', '05+1', '05+1', '05+1', '06+2'].sort(),
    );
    const ranges = await rangeRuns();
    expect(ranges.filter((r) => r.state === 'failed').map((r) => r.intervals)).toEqual([8, 4, 2, 1]);
    expect(
      ranges
        .filter((r) => r.state === 'success')
        .map((r) => r.intervals)
        .sort(),
    ).toEqual([1, 2, 4]);
  });

  it('groups at most maxIntervalsPerRun intervals, and only consecutive ones to run', async () => {
    const seen: Seen[] = [];
    const d = pipeline(seen, new Set());
    expect(await backfill(d, 3, { perRun: 1 })).toBe('success');
    seen.length = 0;
    // Hours 0-2 have runs: a backfill of 10 hours runs 3-9 in ranges of at most 4.
    const plan = await planBackfill(t.db, d, {
      start: new Date(START),
      end: new Date(START + 10 * HOUR),
      reprocess: 'none',
      maxActiveRuns: 4,
    });
    expect(plan.filter((p) => p.action === 'create')).toHaveLength(7);
    expect(await backfill(d, 10, { perRun: 4 })).toBe('success');
    const extracts = seen
      .filter((s) => s.task === 'extract')
      .map((s) => `${s.start.slice(11, 13)}+${s.intervals}`);
    expect(extracts.sort()).toEqual(['03+4', '07+3']);
    expect((await intervalRuns()).map((r) => r.state)).toEqual(Array(10).fill('success'));
  });

  it('reprocesses covered and uncovered runs into a range, and a clear or mark of a covered run is its own', async () => {
    const seen: Seen[] = [];
    const d = pipeline(seen, new Set());
    expect(await backfill(d, 2, { perRun: 1 })).toBe('success');
    expect(await backfill(d, 4, { reprocess: 'completed' })).toBe('success');
    const runs = await intervalRuns();
    expect(runs.map((r) => r.state)).toEqual(Array(4).fill('success'));
    expect(new Set(runs.map((r) => r.range)).size).toBe(1);
    // Clearing hour 2's load: the run takes its range run's tasks for its own and runs load again alone.
    const [hour2] = (await runWindow(t.db, 'ranged', 100)).filter(
      (r) => Number(r.logical_date) === START + 2 * HOUR,
    );
    seen.length = 0;
    expect(await clearTasks(t.db, Number(hour2?.id), ['load'])).toEqual(['load']);
    const scheduler = engine(d, 'w2');
    for (let i = 0; i < 1000 && seen.length === 0; i += 1) {
      await scheduler.tick();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen).toEqual([
      { task: 'load', start: iso(START + 2 * HOUR), end: iso(START + 3 * HOUR), intervals: 1 },
    ]);
    const after = await intervalRuns();
    expect(after[2]?.range).toBeNull();
    expect(after.filter((r) => r.range !== null)).toHaveLength(3);
    // Marking hour 3 failed marks it alone.
    const [hour3] = (await runWindow(t.db, 'ranged', 100)).filter(
      (r) => Number(r.logical_date) === START + 3 * HOUR,
    );
    await markDagRun(t.db, Number(hour3?.id), 'failed', 'tester', clock.now());
    expect((await intervalRuns()).map((r) => r.state)).toEqual([
      'success',
      'success',
      expect.any(String),
      'failed',
    ]);
  });

  it('cancels a backfill of range runs: ranges not started go with their intervals, nothing is left running', async () => {
    const d = pipeline([], new Set());
    await syncDags(t.db, { dags: new Map([[d.id, d]]), files: new Map(), errors: [] }, clock.now());
    const { id } = await createBackfill(
      t.db,
      d,
      {
        start: new Date(START),
        end: new Date(START + 6 * HOUR),
        reprocess: 'none',
        maxActiveRuns: 1,
        maxIntervalsPerRun: 2,
      },
      clock.now(),
    );
    // The scheduler starts one range run (max active runs 1); its covered runs start with it.
    const scheduler = new Scheduler({ db: t.db, dags: new Map([[d.id, d]]), clock });
    await scheduler.tick();
    expect((await rangeRuns()).map((r) => r.state)).toEqual(['running', 'queued', 'queued']);
    expect(await cancelBackfill(t.db, id, clock.now())).toBe(true);
    expect((await rangeRuns()).map((r) => [r.state, r.intervals])).toEqual([['running', 2]]);
    expect((await intervalRuns()).map((r) => r.state)).toEqual(['running', 'running']);
  });

  it("adopts an interrupted backfill's range runs into the backfill that resumes it", async () => {
    const d = pipeline([], new Set());
    const dags = new Map([[d.id, d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    const request = {
      start: new Date(START),
      end: new Date(START + 4 * HOUR),
      reprocess: 'none' as const,
      maxActiveRuns: 1,
      maxIntervalsPerRun: 2,
    };
    await createBackfill(t.db, d, request, clock.now());
    await new Scheduler({ db: t.db, dags, clock }).tick(); // one range started, then the command is killed
    const again = await createBackfill(t.db, d, request, clock.now());
    expect(again.plan.map((p) => p.action)).toEqual(['adopt', 'adopt', 'adopt', 'adopt']);
    const [moved] = await t.db.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM dag_runs WHERE kind = 'range' AND backfill_id = $1",
      [again.id],
    );
    expect(Number(moved?.n)).toBe(2);
    // The resuming command's own engine, scoped to its backfill, runs everything to the end.
    const scheduler = engine(d, 'w', again.id);
    for (let i = 0; i < 1000; i += 1) {
      await scheduler.tick();
      const [b] = await t.db.query<{ state: string }>('SELECT state FROM backfills WHERE id = $1', [
        again.id,
      ]);
      if (b?.state === 'success') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await intervalRuns()).map((r) => r.state)).toEqual(Array(4).fill('success'));
  });
});
