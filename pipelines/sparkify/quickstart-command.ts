/**
 * `downbeat sparkify quickstart` (what `npm start` runs until the scheduler and web UI exist):
 * writes the sample month when no source is configured, then loads it hour by hour in process.
 */
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/index.ts';
import { Connections, envName } from '../../src/connections/index.ts';
import type { CommandIo, PipelineCommand } from '../../src/dag/index.ts';
import { runInProcess } from '../../src/executor/index.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { generateSparkifyData } from './generate/index.ts';
import sparkify from './sparkify.dag.ts';

const HELP = `Usage: downbeat sparkify quickstart [--start 2018-11-01] [--end 2018-12-01]

Loads Sparkify's warehouse hour by hour, each hour a run like \`downbeat dags test\`. When
${envName('sparkify_source')} is not set, it first writes a sample month (November 2018) into
DOWNBEAT_HOME/sample/sparkify, once; a configured source is only read, never written.
The warehouse is ${envName('warehouse')}, by default DOWNBEAT_HOME/warehouse.duckdb.

  --start DATE   first hour, YYYY-MM-DD (default 2018-11-01)
  --end DATE     end, exclusive (default 2018-12-01)
`;

const HOUR = 3_600_000;

export const quickstartCommand: PipelineCommand = {
  name: ['sparkify', 'quickstart'],
  summary: 'Write the sample month if no source is configured, then load it hour by hour',
  help: HELP,
  run: quickstart,
};

async function quickstart(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { start: { type: 'string' }, end: { type: 'string' } },
    strict: true,
  });
  const start = Date.parse(`${values.start ?? '2018-11-01'}T00:00:00Z`);
  const end = Date.parse(`${values.end ?? '2018-12-01'}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    io.stderr.write('downbeat: --start and --end must be dates YYYY-MM-DD with --start before --end\n');
    return 2;
  }
  const config = loadConfig(io.env);
  const connections = new Connections(config, sparkify.connectionDefaults);
  try {
    const uri = connections.uri('sparkify_source');
    if (!io.env[envName('sparkify_source')]) await ensureSample(fileURLToPath(uri), io);
    else io.stdout.write(`Reading the source ${uri} (configured by ${envName('sparkify_source')}).\n`);

    const total = Math.ceil((end - start) / HOUR);
    const began = Date.now();
    const failed: string[] = [];
    for (let i = 0; i < total; i += 1) {
      const logicalDate = new Date(start + i * HOUR);
      const results = await runInProcess({
        dag: sparkify,
        run: sparkify.runFor(logicalDate),
        connections,
      });
      for (const r of results) {
        if (r.state === 'failed')
          failed.push(`${logicalDate.toISOString()} ${r.taskId}: ${r.error?.message ?? ''}`);
      }
      progress(
        io,
        `loading ${logicalDate.toISOString().slice(0, 13)}h: ${i + 1}/${total} runs, ${failed.length} failed task(s)`,
        i + 1 === total,
      );
    }
    const warehouse = await connections.warehouse('warehouse');
    io.stdout.write(
      `\nLoaded ${total} hourly runs in ${((Date.now() - began) / 1000).toFixed(1)} s into ${warehouse.location}:\n`,
    );
    for (const table of ['songplays', 'users', 'songs', 'artists', 'time']) {
      const [row] = await warehouse.query(`SELECT COUNT(*) AS n FROM "${table}"`);
      io.stdout.write(`  ${table.padEnd(10)} ${String(row?.n)} rows\n`);
    }
    for (const line of failed.slice(0, 20)) io.stderr.write(`failed: ${line}\n`);
    io.stdout.write('\nRun one hour again with: npx downbeat dags test sparkify_etl 2018-11-15T10:00:00Z\n');
    return failed.length === 0 ? 0 : 1;
  } finally {
    await connections.close();
  }
}

/** Writes the sample month into `folder` unless a previous quickstart did. */
async function ensureSample(folder: string, io: CommandIo): Promise<void> {
  const done = await stat(`${folder}/log_data/2018/11/2018-11-30-events.json`).then(
    () => true,
    () => false,
  );
  if (done) {
    io.stdout.write(`Using the sample data in ${folder}.\n`);
    return;
  }
  io.stdout.write(`Writing the sample month into ${folder} …\n`);
  const summary = await generateSparkifyData(new LocalObjectStore(folder), {}, (p) =>
    progress(
      io,
      `writing sample data: day ${p.daysDone}/${p.daysTotal}, ${p.events} events`,
      p.daysDone === p.daysTotal,
    ),
  );
  io.stdout.write(`${summary.events} events, ${summary.songs} songs, ${summary.users} users.\n`);
}

/** One updating line on a terminal; every tenth step (and the last) as its own line elsewhere. */
let lastLogged = 0;
function progress(io: CommandIo, text: string, last: boolean): void {
  if (io.stderr.isTTY) {
    io.stderr.write(`\r${text}\u001b[K${last ? '\n' : ''}`);
  } else if (last || Date.now() - lastLogged > 5000) {
    lastLogged = Date.now();
    io.stderr.write(`${text}\n`);
  }
}
