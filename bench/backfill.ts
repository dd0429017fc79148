/**
 * The month's backfill through the orchestrator, as `downbeat standalone` runs it: a SQLite
 * metadata DB, the scheduler and a worker pool of 4 in one process. Run as a child process by
 * bench/run.ts and bench/scale.ts. Usage: backfill.ts SOURCE_FOLDER HOME START END [hourly|daily]
 * [INTERVALS_PER_RUN] → prints one JSON line (`daily`: sparkify_etl_daily). INTERVALS_PER_RUN is
 * 1 (a run per interval, the default here) or a number or `all` (range runs, DESIGN §5.1).
 */
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.ts';
import { Connections } from '../src/connections/index.ts';
import { Worker } from '../src/executor/index.ts';
import { Scheduler } from '../src/scheduler/index.ts';
import { backfillProgress } from '../src/store/read/index.ts';
import { createBackfill, syncDags } from '../src/store/runs/index.ts';
import { migrate, openDb } from '../src/store/db/index.ts';
import { parseIntervalsPerRun } from '../src/lifecycle/index.ts';
import hourly, { daily } from '../pipelines/sparkify/sparkify.dag.ts';

const [source, home, start, end, variant = 'hourly', perRunText = '1'] = process.argv.slice(2);
const perRun = parseIntervalsPerRun(perRunText);
if (perRun === undefined)
  throw new Error(`INTERVALS_PER_RUN must be a whole number ≥ 1 or all, got ${perRunText}`);
if (!source || !home || !start || !end || !['hourly', 'daily'].includes(variant))
  throw new Error('usage: backfill.ts SOURCE HOME START END [hourly|daily]');
const sparkify = variant === 'daily' ? daily : hourly;

const config = loadConfig({ DOWNBEAT_HOME: home, DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}` });
const connections = new Connections(config, sparkify.connectionDefaults);
const db = openDb(undefined, home);
await migrate(db);
const dags = new Map([[sparkify.id, sparkify]]);
await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
const worker = new Worker({ db, dags, connectionsFor: () => connections, concurrency: 4 });
const scheduler = new Scheduler({ db, dags, loopMs: 200, onWork: () => worker.wake() });
const began = performance.now();
const { id } = await createBackfill(
  db,
  sparkify,
  {
    start: new Date(start),
    end: new Date(end),
    reprocess: 'none',
    maxActiveRuns: sparkify.maxActiveRuns,
    maxIntervalsPerRun: perRun,
  },
  Date.now(),
);
worker.start();
scheduler.start();
let progress = await backfillProgress(db, id);
while (progress?.state === 'running') {
  await new Promise((resolve) => setTimeout(resolve, 100));
  progress = await backfillProgress(db, id);
}
const backfillSeconds = (performance.now() - began) / 1000;
await scheduler.stop();
await worker.stop();
const warehouse = await connections.warehouse('warehouse');
const counts: Record<string, unknown> = {};
for (const table of ['staging_events', 'songplays', 'users', 'songs', 'artists', '"time"']) {
  counts[table.replaceAll('"', '')] = (await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n;
}
const tis = (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM task_instances'))[0]?.n;
// The warehouse's close writes its log into the file (a checkpoint): counted, as the other benches do.
const closing = performance.now();
await connections.close();
const closeSeconds = (performance.now() - closing) / 1000;
await db.close();
process.stdout.write(
  `${JSON.stringify({ seconds: backfillSeconds + closeSeconds, closeSeconds, state: progress?.state, runs: progress?.total, failedRuns: progress?.failed, taskInstances: tis, counts, maxRssMb: process.resourceUsage().maxRSS / 1024, metadata: join(home, 'metadata.sqlite'), warehouse: join(home, 'warehouse.duckdb') })}\n`,
);
