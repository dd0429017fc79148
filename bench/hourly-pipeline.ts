/**
 * The Sparkify pipeline run hour by hour, as `downbeat dags test` runs it (in process, one run at a
 * time, every task once). Run as a child process by bench/run.ts.
 * Usage: hourly-pipeline.ts SOURCE_FOLDER WAREHOUSE_FILE START END  → prints one JSON line.
 */
import { loadConfig } from '../src/config/index.ts';
import { Connections } from '../src/connections/index.ts';
import { runInProcess } from '../src/executor/index.ts';
import sparkify from '../pipelines/sparkify/sparkify.dag.ts';

const [source, file, start, end] = process.argv.slice(2);
if (!source || !file || !start || !end)
  throw new Error('usage: hourly-pipeline.ts SOURCE WAREHOUSE START END');

const config = loadConfig({
  DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}`,
  DOWNBEAT_CONN_WAREHOUSE: `duckdb://${file}`,
});
const connections = new Connections(config, sparkify.connectionDefaults);
const taskMs = new Map<string, number>();
let failed = 0;
const started = performance.now();
for (let t = new Date(start).getTime(); t < new Date(end).getTime(); t += 3_600_000) {
  const logicalDate = new Date(t);
  const results = await runInProcess({
    dag: sparkify,
    run: sparkify.runFor(logicalDate),
    connections,
  });
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
const warehouse = await connections.warehouse('warehouse');
const counts: Record<string, unknown> = {};
for (const table of ['staging_events', 'songplays', 'users', 'songs', 'artists', '"time"']) {
  counts[table.replaceAll('"', '')] = (await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n;
}
await connections.close();
process.stdout.write(
  `${JSON.stringify({ seconds, failed, counts, taskSeconds: Object.fromEntries([...taskMs].map(([k, v]) => [k, v / 1000])), maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
