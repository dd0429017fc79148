/**
 * 1,000 sensors in reschedule mode waiting at once, on PostgreSQL, with 2 workers of concurrency
 * 4: no-op task instances per second beside them against beside none (measured alternately, twice
 * each), how many sensors held a worker slot in between (sampled), and the scheduler's loop time
 * meanwhile. The sensors poke every minute (Airflow's default) and find nothing. Prints one JSON line.
 * Usage: sensors.ts
 */
import { dag, type Dag, type Operator } from '../src/dag/index.ts';
import { Worker } from '../src/executor/index.ts';
import { sensorOperator } from '../src/operators/index.ts';
import { Scheduler } from '../src/scheduler/index.ts';
import { createRun, startQueuedRuns, syncDags } from '../src/store/runs/index.ts';
import type { Db } from '../src/store/db/index.ts';
import { testDb } from '../src/store/db/testing.ts';

const SENSORS_PER_RUN = 100;
const SENSOR_RUNS = 10;
const noop: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
const never = sensorOperator('never', {}, { mode: 'reschedule', pokeInterval: '1m', timeout: '7d' }, () =>
  Promise.resolve({ met: false, detail: 'nothing yet' }),
);
const sensing = dag(
  { id: 'sensing', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 100 },
  (d) => {
    for (let i = 0; i < SENSORS_PER_RUN; i += 1) d.task(`s${i}`, never);
  },
);
const wide = (id: string) =>
  dag({ id, schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 100 }, (d) => {
    for (let i = 0; i < 100; i += 1) d.task(`t${i}`, noop);
  });

const count = async (db: Db, sql: string, params: readonly string[] = []) =>
  Number((await db.query<{ n: number }>(sql, params))[0]?.n ?? 0);

/** Runs 20 runs of 100 no-op tasks to their end with the workers running; TIs per second. */
async function throughput(
  db: Db,
  target: Dag,
  scheduler: Scheduler,
  sample: () => Promise<void>,
): Promise<number> {
  for (let i = 0; i < 20; i += 1)
    await createRun(db, target, target.runFor(new Date(Date.UTC(2018, 10, 1, i))), Date.now());
  const started = performance.now();
  await scheduler.tick();
  while (
    (await count(
      db,
      "SELECT COUNT(*) AS n FROM dag_runs WHERE dag_id = $1 AND state IN ('queued', 'running')",
      [target.id],
    )) > 0
  ) {
    await sample();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Math.round(2000 / ((performance.now() - started) / 1000));
}

const t = await testDb('postgres');
const targets = [wide('none_1'), wide('waiting_1'), wide('none_2'), wide('waiting_2')];
const dags = new Map<string, Dag>([sensing, ...targets].map((d) => [d.id, d]));
await syncDags(t.db, { dags, files: new Map(), errors: [] }, Date.now());
const workers = Array.from(
  { length: 2 },
  () => new Worker({ db: t.db, dags, connectionsFor: () => ({}) as never, concurrency: 4, pollMs: 50 }),
);
const scheduler = new Scheduler({ db: t.db, dags, onWork: () => workers.forEach((w) => w.wake()) });
workers.forEach((w) => w.start());
scheduler.start();

const results: Record<string, number[]> = { none: [], waiting: [] };
const held: number[] = [];
const loops: number[] = [];
for (const target of targets) {
  const waiting = target.id.startsWith('waiting');
  if (
    waiting &&
    (await count(t.db, "SELECT COUNT(*) AS n FROM task_instances WHERE dag_id = 'sensing'")) === 0
  ) {
    process.stderr.write(`starting ${SENSORS_PER_RUN * SENSOR_RUNS} sensors …\n`);
    for (let i = 0; i < SENSOR_RUNS; i += 1)
      await createRun(t.db, sensing, sensing.runFor(new Date(Date.UTC(2018, 9, 1, i))), Date.now());
    await startQueuedRuns(t.db, Date.now());
    while (
      (await count(
        t.db,
        "SELECT COUNT(*) AS n FROM task_instances WHERE dag_id = 'sensing' AND state = 'up_for_reschedule'",
      )) <
      SENSORS_PER_RUN * SENSOR_RUNS
    )
      await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.stderr.write(`${target.id} …\n`);
  const sample = async () => {
    if (!waiting) return;
    held.push(
      await count(
        t.db,
        "SELECT COUNT(*) AS n FROM task_instances WHERE dag_id = 'sensing' AND state = 'running'",
      ),
    );
    if (scheduler.lastLoop) loops.push(scheduler.lastLoop.ms);
  };
  results[waiting ? 'waiting' : 'none']?.push(await throughput(t.db, target, scheduler, sample));
}
const still = await count(
  t.db,
  "SELECT COUNT(*) AS n FROM task_instances WHERE dag_id = 'sensing' AND state = 'up_for_reschedule'",
);
await scheduler.stop();
await Promise.all(workers.map((w) => w.stop()));
await t.drop();
loops.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    sensors_waiting: still,
    tis_per_second_beside_none: results.none,
    tis_per_second_beside_1000_sensors: results.waiting,
    sensors_holding_a_slot_max: Math.max(0, ...held),
    samples: held.length,
    scheduler_loop_ms: { p50: loops[Math.floor(loops.length / 2)] ?? null, max: loops.at(-1) ?? null },
  })}\n`,
);
