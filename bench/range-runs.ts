/**
 * `npm run bench:range`: a generated month of Sparkify (30 days, hourly) loaded by whole
 * processes, side by side and alternating, round after round: the direct DuckDB statements
 * (bench/direct-load.ts) against `downbeat dags backfill sparkify_etl` from a fresh DOWNBEAT_HOME
 * (start-up, migrations and the warehouse's close included) in range runs of each size asked for
 * (`all`: one range run over the month; `1`: a run per hour). Wall time from spawn to exit; memory
 * is the process's peak resident set, read from /proc while it runs. Every load's table counts
 * must equal the direct load's.
 *
 *   npm run bench:range                                  # 1M events, all and 24, 3 rounds
 *   npm run bench:range -- --events 10000000 --modes all --rounds 2
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSparkifyData } from '../pipelines/sparkify/generate/index.ts';
import { LocalObjectStore } from '../src/storage/index.ts';
import { DuckDbWarehouse } from '../src/warehouse/index.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    songs: { type: 'string', default: '15000' },
    modes: { type: 'string', default: 'all,24' },
    rounds: { type: 'string', default: '3' },
  },
});
const START = new Date('2018-11-01T00:00:00Z');
const END = new Date('2018-12-01T00:00:00Z');
const repository = new URL('..', import.meta.url).pathname;
const root = await mkdtemp(join(tmpdir(), 'downbeat-range-bench-'));
const TABLES = ['staging_events', 'songplays', 'users', 'songs', 'artists', '"time"'];

/** Runs a whole process; its wall time and peak RSS (polled from /proc every 50 ms). */
function timed(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ seconds: number; peakMb: number; out: string }> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const proc = spawn(process.execPath, args, { cwd: repository, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    let peakKb = 0;
    const poll = setInterval(() => {
      void readFile(`/proc/${proc.pid}/status`, 'utf8').then(
        (status) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))),
        () => undefined,
      );
    }, 50);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearInterval(poll);
      const seconds = (performance.now() - began) / 1000;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}:\n${out.slice(-2000)}`));
      resolve({ seconds, peakMb: peakKb / 1024, out });
    });
  });
}

async function counts(file: string): Promise<Record<string, number>> {
  const warehouse = await DuckDbWarehouse.open({ path: file });
  try {
    const result: Record<string, number> = {};
    for (const table of TABLES)
      result[table.replaceAll('"', '')] = Number(
        (await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n,
      );
    return result;
  } finally {
    await warehouse.close();
  }
}

try {
  const source = join(root, 'source');
  const events = Number(values.events);
  process.stderr.write(`generating ${events.toLocaleString('en')} events …\n`);
  await generateSparkifyData(new LocalObjectStore(source), {
    start: START,
    end: END,
    songs: Number(values.songs),
    eventsPerDay: Math.round(events / 30),
    seed: 6,
  });
  const modes = values.modes.split(',');
  const seconds: Record<string, number[]> = { direct: [], ...Object.fromEntries(modes.map((m) => [m, []])) };
  const peaks: Record<string, number[]> = { direct: [], ...Object.fromEntries(modes.map((m) => [m, []])) };
  let same = true;
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const mode of ['direct', ...modes]) {
      const home = join(root, `home-${mode}-${round}`);
      const warehouse = join(home, 'warehouse.duckdb');
      const run =
        mode === 'direct'
          ? await timed(['--import', 'tsx', 'bench/direct-load.ts', source, warehouse], process.env)
          : await timed(
              [
                'bin/downbeat.js',
                'dags',
                'backfill',
                'sparkify_etl',
                '--start',
                START.toISOString(),
                '--end',
                END.toISOString(),
                '--max-intervals-per-run',
                mode,
              ],
              { ...process.env, DOWNBEAT_HOME: home, DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}` },
            );
      seconds[mode]?.push(run.seconds);
      peaks[mode]?.push(run.peakMb);
      if (mode !== 'direct') {
        const [direct, loaded] = [
          await counts(join(root, `home-direct-${round}`, 'warehouse.duckdb')),
          await counts(warehouse),
        ];
        if (JSON.stringify(direct) !== JSON.stringify(loaded)) {
          same = false;
          process.stderr.write(
            `${mode}: tables differ from the direct load: ${JSON.stringify({ direct, loaded })}\n`,
          );
        }
      }
      process.stderr.write(
        `round ${round + 1} ${mode}: ${run.seconds.toFixed(1)} s, ${Math.round(run.peakMb)} MB\n`,
      );
      if (mode !== 'direct') await rm(home, { recursive: true, force: true });
    }
    await rm(join(root, `home-direct-${round}`), { recursive: true, force: true });
  }
  const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const direct = median(seconds.direct ?? []);
  const lines = [
    `${events.toLocaleString('en')} events, ${values.rounds} rounds alternating, medians:`,
    '',
    '| load (whole process) | wall time | / direct | peak RSS |',
    '|---|---|---|---|',
    ...['direct', ...modes].map((mode) => {
      const s = median(seconds[mode] ?? []);
      const label =
        mode === 'direct' ? 'direct DuckDB statements' : `dags backfill --max-intervals-per-run ${mode}`;
      return `| ${label} | ${s.toFixed(1)} s | ${(s / direct).toFixed(2)}x | ${Math.round(median(peaks[mode] ?? []))} MB |`;
    }),
    '',
    `tables equal to the direct load's: ${same ? 'yes' : 'NO'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify({ events, seconds, peaks, same })}\n`);
  if (!same) process.exitCode = 1;
} finally {
  await rm(root, { recursive: true, force: true });
}
