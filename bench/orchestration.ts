/**
 * Orchestration overhead, on SQLite and PostgreSQL: latency from an upstream task's work returning
 * to its downstream's work starting (stamped by the tasks themselves), and no-op task instances
 * per second with 1 and 4 workers (in process, each running up to 8 at once; the scheduler at its
 * default 1 s loop). Then, on the same
 * PostgreSQL, graphile-worker beside Downbeat at 1 and 4 slots in all (bench/graphile.ts): no-op
 * jobs per second and a chain's hop. Prints one JSON line.
 * Usage: orchestration.ts
 */
import { dag, type Dag, type Operator } from '../src/dag/index.ts';
import { Worker } from '../src/executor/index.ts';
import { Scheduler } from '../src/scheduler/index.ts';
import { createRun, syncDags } from '../src/store/runs/index.ts';
import type { Db, MetadataDialect } from '../src/store/db/index.ts';
import { testDb } from '../src/store/db/testing.ts';
import { graphileHops, graphileJobsPerSecond } from './graphile.ts';

const noop: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
/** When each chain task's work began and ended, in this process's clock: the hop is between them. */
const stamps = new Map<string, { start: number; end: number }>();
const stamped: Operator = {
  kind: 'noop',
  describe: () => ({}),
  execute: (context) => {
    const start = performance.now();
    stamps.set(`${context.runId} ${context.taskId}`, { start, end: performance.now() });
    return Promise.resolve({});
  },
};
const chain = dag({ id: 'chain', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 1 }, (d) => {
  const tasks = Array.from({ length: 10 }, (_, i) => d.task(`t${i}`, stamped));
  d.chain(...tasks);
});
const wide = dag({ id: 'wide', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 100 }, (d) => {
  for (let i = 0; i < 100; i += 1) d.task(`t${i}`, noop);
});

/** Runs every run of `target` to its end; the scheduler loops every `loopMs` (its default is 1000). */
async function runAll(
  db: Db,
  target: Dag,
  runs: number,
  workers: number,
  loopMs = 1000,
  concurrency = 8,
): Promise<number> {
  const dags = new Map([[target.id, target]]);
  await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
  for (let i = 0; i < runs; i += 1)
    await createRun(db, target, target.runFor(new Date(Date.UTC(2018, 10, 1, i))), Date.now());
  // Counted as the tries end, in process (as graphile's bench counts its jobs): a poll of the
  // metadata DB would load the server the queue is measured on.
  const tries = runs * target.tasks.size;
  let ended = 0;
  let allEnded: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allEnded = resolve));
  const onTryEnd = () => {
    ended += 1;
    if (ended === tries) allEnded();
  };
  const pool = Array.from(
    { length: workers },
    () => new Worker({ db, dags, connectionsFor: () => ({}) as never, concurrency, pollMs: 50, onTryEnd }),
  );
  const scheduler = new Scheduler({ db, dags, loopMs, onWork: () => pool.forEach((w) => w.wake()) });
  const started = performance.now();
  pool.forEach((w) => w.start());
  scheduler.start();
  await done;
  const seconds = (performance.now() - started) / 1000;
  const [left] = await db.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM dag_runs WHERE dag_id = $1 AND state <> 'success'",
    [target.id],
  );
  if (Number(left?.n) !== 0) throw new Error(`${left?.n} run(s) of ${target.id} did not succeed`);
  await scheduler.stop();
  await Promise.all(pool.map((w) => w.stop()));
  return seconds;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const results: Record<string, unknown> = {};
for (const dialect of ['sqlite', 'postgres'] as MetadataDialect[]) {
  process.stderr.write(`${dialect}: latency\n`);
  const latencyDb = await testDb(dialect);
  // One run at a time (max_active_runs 1): a fast scheduler loop starts the next without waiting.
  await runAll(latencyDb.db, chain, 30, 1, 20);
  await latencyDb.drop();
  // From an upstream's work returning to its downstream's work starting: what the queue adds
  // between them (the end's transaction, the claim, the upstream outputs' read), as graphile's hop.
  const sorted = [...stamps]
    .filter(([key]) => !key.endsWith(' t0'))
    .map(([key, down]) => {
      const [runId, taskId] = key.split(' ') as [string, string];
      const up = stamps.get(`${runId} t${Number(taskId.slice(1)) - 1}`);
      return down.start - (up?.end ?? NaN);
    })
    .sort((a, b) => a - b);
  stamps.clear();
  const throughput: Record<string, number> = {};
  for (const workers of [1, 4]) {
    process.stderr.write(`${dialect}: ${workers} worker(s)\n`);
    const t = await testDb(dialect);
    const seconds = await runAll(t.db, wide, 20, workers);
    throughput[`${workers}_workers_tis_per_second`] = Math.round(2000 / seconds);
    await t.drop();
  }
  results[dialect] = {
    latency_ms: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      edges: sorted.length,
    },
    ...throughput,
  };
}
// graphile-worker on the same server, side by side with Downbeat at the same total concurrency
// (Downbeat: one worker of that many slots), Downbeat first at each.
const side = {
  slots: [1, 4],
  downbeat_tis_per_second: [] as number[],
  graphile_jobs_per_second: [] as number[],
  downbeat_hop_p50_ms: (results.postgres as { latency_ms: { p50: number } }).latency_ms.p50,
  graphile_hop_p50_ms: 0,
};
for (const slots of side.slots) {
  process.stderr.write(`postgres and graphile-worker at ${slots} slot(s)\n`);
  const t = await testDb('postgres');
  side.downbeat_tis_per_second.push(Math.round(2000 / (await runAll(t.db, wide, 20, 1, 1000, slots))));
  await t.drop();
  side.graphile_jobs_per_second.push(await graphileJobsPerSecond(slots, 2000));
}
process.stderr.write('graphile-worker: a chain of 200 jobs\n');
const hops = await graphileHops(200);
side.graphile_hop_p50_ms = percentile(hops, 50);
results.graphile = {
  '1_worker_jobs_per_second': side.graphile_jobs_per_second[0],
  '4_workers_jobs_per_second': side.graphile_jobs_per_second[1],
  hop_ms: { p50: percentile(hops, 50), p99: percentile(hops, 99) },
};
results.side_by_side = side;
process.stdout.write(`${JSON.stringify(results)}\n`);
