import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dag, type Dag, type DagOptions } from '../../dag/index.ts';
import { Worker } from '../../executor/index.ts';
import { LocalObjectStore } from '../../storage/index.ts';
import { testDb, type TestDb } from '../../store/db/testing.ts';
import { claimTasks, requeueZombies } from '../../store/queue/index.ts';
import { createRun, startQueuedRuns, syncDags } from '../../store/runs/index.ts';
import { until } from '../../app/testing.ts';
import { fn } from '../fn.ts';
import { waitForObjects } from './wait-for-objects.ts';
import type { SensorOptions } from './sensor.ts';

const DAY = Date.parse('2018-11-15T00:00:00Z');
const KEY = 'in/2018-11-15.json';
const daily: Omit<DagOptions, 'id'> = { schedule: '@daily', startDate: '2018-11-01' };

describe.each(['sqlite', 'postgres'] as const)('a sensor in reschedule mode on %s', (dialect) => {
  let t: TestDb;
  let root: string;
  let worker: Worker | undefined;
  /** What ran, in order: `work` records the sensor's state while it ran. */
  const events: string[] = [];

  beforeEach(async () => {
    t = await testDb(dialect);
    root = await mkdtemp(join(tmpdir(), 'downbeat-sensor-'));
    events.length = 0;
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await t.drop();
    await rm(root, { recursive: true, force: true });
  });

  function sensing(options: SensorOptions & { retries?: number }): Dag {
    const { retries, ...sensor } = options;
    return dag({ id: 'sensing', ...daily }, (d) =>
      d.chain(
        d.task(
          'wait',
          waitForObjects({ connection: 'src', keys: 'in/{{ ds }}.json', mode: 'reschedule', ...sensor }),
          {
            retries,
          },
        ),
        d.task(
          'after',
          fn(() => void events.push('after')),
        ),
      ),
    );
  }
  const other = dag({ id: 'other', ...daily }, (d) =>
    d.task(
      'work',
      fn(async () => events.push(`work while the sensor is ${await sensorState()}`)),
    ),
  );

  async function sensorState(): Promise<string | undefined> {
    const [row] = await t.db.query<{ state: string }>(
      "SELECT state FROM task_instances WHERE dag_id = 'sensing' AND task_id = 'wait'",
    );
    return row?.state;
  }
  async function instance(dagId: string, taskId: string) {
    const [row] = await t.db.query<{ state: string; try_number: number; failures: number }>(
      'SELECT state, try_number, failures FROM task_instances WHERE dag_id = $1 AND task_id = $2',
      [dagId, taskId],
    );
    return row;
  }
  const runState = async (dagId: string) =>
    (await t.db.query<{ state: string }>('SELECT state FROM dag_runs WHERE dag_id = $1', [dagId]))[0]?.state;

  async function prepare(dags: readonly Dag[]): Promise<void> {
    const byId = new Map(dags.map((d) => [d.id, d]));
    await syncDags(t.db, { dags: byId, files: new Map(), errors: [] }, Date.now());
    for (const d of dags) await createRun(t.db, d, d.runFor(new Date(DAY)), Date.now());
    await startQueuedRuns(t.db, Date.now());
  }
  function startWorker(dags: readonly Dag[]): void {
    const store = new LocalObjectStore(root);
    worker = new Worker({
      db: t.db,
      dags: new Map(dags.map((d) => [d.id, d])),
      concurrency: 1,
      pollMs: 50,
      connectionsFor: () => ({
        objectStore: () => Promise.resolve(store),
        warehouse: () => Promise.reject(new Error('no warehouse here')),
      }),
    });
    worker.start();
  }
  async function start(dags: readonly Dag[]): Promise<void> {
    await prepare(dags);
    startWorker(dags);
  }
  const pokes = async (tryNumber: number) =>
    (
      await t.db.query("SELECT 1 FROM task_log_lines WHERE try_number = $1 AND text LIKE '%poking again%'", [
        tryNumber,
      ])
    ).length;
  const land = async () => {
    await mkdir(join(root, 'in'), { recursive: true });
    await writeFile(join(root, KEY), '{}\n');
  };

  it('frees its slot between pokes: another run runs on the only slot; the object lands, it succeeds on its first try', async () => {
    await start([sensing({ pokeInterval: '150ms', timeout: '1m' }), other]);
    await until(async () => (await instance('other', 'work'))?.state === 'success', 'the other task to run');
    expect(events).toEqual(['work while the sensor is up_for_reschedule']);
    await until(async () => (await pokes(1)) >= 2, 'two pokes');
    await land();
    await until(async () => (await runState('sensing')) === 'success', 'the sensing run to succeed');
    expect(events).toEqual(['work while the sensor is up_for_reschedule', 'after']);
    // Every poke belongs to one try: one row, one log, no retry used.
    expect(await instance('sensing', 'wait')).toMatchObject({ state: 'success', try_number: 1, failures: 0 });
    expect(
      await t.db.query(
        'SELECT state FROM task_tries WHERE ti_id = (SELECT id FROM task_instances WHERE task_id = $1)',
        ['wait'],
      ),
    ).toEqual([{ state: 'success' }]);
  });

  it('fails at its timeout with no retry, naming the key; with softFail it is skipped and so is what follows', async () => {
    await start([sensing({ pokeInterval: '100ms', timeout: '500ms', retries: 3 })]);
    await until(async () => (await runState('sensing')) === 'failed', 'the run to fail');
    expect(await instance('sensing', 'wait')).toMatchObject({ state: 'failed', try_number: 1 });
    const [tried] = await t.db.query<{ error_code: string; error_message: string }>(
      "SELECT error_code, error_message FROM task_tries WHERE ti_id = (SELECT id FROM task_instances WHERE task_id = 'wait')",
    );
    expect(tried?.error_code).toBe('sensor_timeout');
    expect(tried?.error_message).toContain(KEY);
    expect((await instance('sensing', 'after'))?.state).toBe('upstream_failed');

    await worker?.stop();
    await t.db.execute('DELETE FROM dag_runs');
    await start([sensing({ pokeInterval: '100ms', timeout: '500ms', softFail: true })]);
    await until(async () => (await runState('sensing')) === 'success', 'the soft-failing run to end');
    expect((await instance('sensing', 'wait'))?.state).toBe('skipped');
    expect((await instance('sensing', 'after'))?.state).toBe('skipped');
    expect(events).toEqual([]);
  });

  it('goes on poking after its worker is lost, its timeout still counted from its first try', async () => {
    const sensor = sensing({ pokeInterval: '100ms', timeout: '1m' });
    await prepare([sensor]);
    const firstStart = Date.now();
    // A worker claims the sensor and dies mid-poke: it never heartbeats again.
    expect(await claimTasks(t.db, 'dead', 1, firstStart)).toHaveLength(1);
    expect(await requeueZombies(t.db, firstStart + 5000, 1000)).toHaveLength(1);
    startWorker([sensor]);
    await until(async () => (await pokes(2)) >= 2, 'the next worker to poke');
    await land();
    await until(async () => (await runState('sensing')) === 'success', 'the run to succeed');
    const tries = await t.db.query<{ try_number: number; state: string }>(
      "SELECT try_number, state FROM task_tries WHERE ti_id = (SELECT id FROM task_instances WHERE task_id = 'wait') ORDER BY try_number",
    );
    expect(tries).toEqual([
      { try_number: 1, state: 'lost' },
      { try_number: 2, state: 'success' },
    ]);
    const [row] = await t.db.query<{ first_started_at: number }>(
      "SELECT first_started_at FROM task_instances WHERE task_id = 'wait'",
    );
    expect(Number(row?.first_started_at)).toBe(firstStart);
  });
});
