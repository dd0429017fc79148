/**
 * The Sparkify pipeline run interval by interval, as `downbeat dags test` runs it (in process, one
 * run at a time, every task once): hour by hour, or day by day with `daily` (sparkify_etl_daily).
 * Run as a child process by bench/run.ts.
 * Usage: hourly-pipeline.ts SOURCE_FOLDER WAREHOUSE START END [hourly|daily] [worker-staging]
 * → one JSON line. WAREHOUSE is a DuckDB file, or a connection URI (postgres://…).
 * `one-run` runs sparkify_etl_daily's tasks once over the whole range (an experiment).
 * `worker-staging` makes DuckDB leave every day file to the worker's reader, as before it read
 * clean files itself: the before of that change.
 */
import { loadConfig } from '../src/config/index.ts';
import { Connections } from '../src/connections/index.ts';
import { runInProcess } from '../src/executor/index.ts';
import hourly, { daily } from '../pipelines/sparkify/sparkify.dag.ts';
import { DuckDbWarehouse } from '../src/warehouse/index.ts';

const [source, file, start, end, variant = 'hourly', staging] = process.argv.slice(2);
if (staging === 'worker-staging') DuckDbWarehouse.prototype.canCopyFrom = () => false;
if (!source || !file || !start || !end || !['hourly', 'daily', 'one-run'].includes(variant))
  throw new Error('usage: hourly-pipeline.ts SOURCE WAREHOUSE START END [hourly|daily|one-run]');
const sparkify = variant === 'hourly' ? hourly : daily;
const schedule = sparkify.schedule;
if (!schedule) throw new Error(`${sparkify.id} has no schedule`);

const config = loadConfig({
  DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}`,
  DOWNBEAT_CONN_WAREHOUSE: file.includes('://') ? file : `duckdb://${file}`,
});
const connections = new Connections(config, sparkify.connectionDefaults);
const taskMs = new Map<string, number>();
// JavaScript's own memory (heap and buffers), apart from DuckDB's: staging streams, so it stays flat.
let maxHeap = 0;
const sampler = setInterval(() => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  maxHeap = Math.max(maxHeap, heapUsed + arrayBuffers);
}, 100);
let failed = 0;
const started = performance.now();
let runs = 0;
for (
  let logicalDate = new Date(start);
  logicalDate < new Date(end);
  logicalDate = variant === 'one-run' ? new Date(end) : schedule.next(logicalDate)
) {
  runs += 1;
  // one-run: the daily DAG's tasks run once over the whole range, as a backfill run as one run
  // would (an experiment: Downbeat has no such backfill yet).
  const run =
    variant === 'one-run'
      ? { ...sparkify.runFor(logicalDate), dataInterval: { start: new Date(start), end: new Date(end) } }
      : sparkify.runFor(logicalDate);
  const results = await runInProcess({ dag: sparkify, run, connections });
  for (const r of results) {
    if (r.state !== 'success') {
      failed += 1;
      if (r.state === 'failed')
        process.stderr.write(`${logicalDate.toISOString()} ${r.taskId}: ${r.error?.message}\n`);
      continue;
    }
    taskMs.set(r.taskId, (taskMs.get(r.taskId) ?? 0) + (r.endedAt.getTime() - r.startedAt.getTime()));
  }
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const warehouse = await connections.warehouse('warehouse');
const counts: Record<string, unknown> = {};
for (const table of ['staging_events', 'songplays', 'users', 'songs', 'artists', '"time"']) {
  counts[table.replaceAll('"', '')] = (await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n;
}
// DuckDB writes what its log holds into the file when it closes: part of the load's cost.
const closing = performance.now();
await connections.close();
const closeSeconds = (performance.now() - closing) / 1000;
process.stdout.write(
  `${JSON.stringify({ dag: sparkify.id, runs, seconds: seconds + closeSeconds, closeSeconds, failed, counts, taskSeconds: Object.fromEntries([...taskMs].map(([k, v]) => [k, v / 1000])), maxRssMb: process.resourceUsage().maxRSS / 1024, maxHeapMb: maxHeap / 2 ** 20 })}\n`,
);
