/**
 * `npm run bench:scale`: how Downbeat's cost grows as Sparkify grows (issue #6).
 *
 * Data volume: for each month size, generated events (30 days) with a 15,000-song catalog, loaded
 * into DuckDB seven ways, each in a process of its own: the transformation done directly in the
 * engine (the reference, bench/direct-load.ts); the floor, the least a run per day or per hour can
 * do (bench/floor.ts); `sparkify_etl_daily` day by day, and `sparkify_etl` hour by hour, each run
 * after run in process as `dags test` runs them (bench/hourly-pipeline.ts) and as a backfill
 * through the scheduler, queue and a pool of 4 workers, as `downbeat standalone` runs it
 * (bench/backfill.ts). Then the smallest month with a 150,000-song catalog, and
 * on PostgreSQL daily against its own direct load. Then orchestration volume
 * (bench/scale-orchestration.ts). Writes bench/results/scale.json and the plots in bench/plots/,
 * and prints Markdown tables for BENCHMARKS.md.
 *
 *   npm run bench:scale                                        # 1M, 3M, 10M events (~40 min)
 *   npm run bench:scale -- --events 1000000 --no-orchestration # one size only
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSparkifyData } from '../pipelines/sparkify/generate/index.ts';
import { LocalObjectStore } from '../src/storage/index.ts';
import { freshPostgresDatabase, onPostgresServer } from '../src/util/testing.ts';
import { writeChart } from './svg-chart.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000,3000000,10000000' },
    songs: { type: 'string', default: '15000' },
    'big-catalog': { type: 'string', default: '150000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'no-postgres': { type: 'boolean', default: false },
    'no-orchestration': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const sizes = values.events.split(',').map(Number);
const songs = Number(values.songs);
const START = new Date('2018-11-01T00:00:00Z');
const END = new Date('2018-12-01T00:00:00Z');
const DAYS = 30;
const benchDir = new URL('.', import.meta.url).pathname;
const plots = join(benchDir, 'plots');
const root = await mkdtemp(join(tmpdir(), 'downbeat-scale-'));

type Mode =
  'direct' | 'floor daily' | 'floor hourly' | 'daily' | 'hourly' | 'daily backfill' | 'hourly backfill';
interface Measure {
  engine: 'duckdb' | 'postgres';
  mode: Mode;
  events: number;
  songs: number;
  seconds: number;
  eventsPerSecond: number;
  /** Peak RSS of the process that ran the load. */
  maxRssMb: number;
  /** Peak of its JavaScript heap and buffers (a pipeline's; DuckDB's memory is outside). */
  maxHeapMb?: number;
  /** PostgreSQL: the peak of its server processes' proportional set size, summed. */
  serverPeakMb?: number;
  diskMb: number;
  counts: Record<string, number>;
  taskSeconds?: Record<string, number>;
  /** Every table's row count equals the direct load's (a floor's: the two tables it loads). */
  sameAsDirect?: boolean;
}

/** Runs a bench script in a child process; its last stdout line is JSON. */
function child(script: string, args: string[], sampleServer = false): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(benchDir, script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    let serverPeakKb = 0;
    const sampler = sampleServer
      ? setInterval(() => {
          void postgresPssKb().then((kb) => (serverPeakKb = Math.max(serverPeakKb, kb)));
        }, 250)
      : undefined;
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));
      const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      resolve(sampleServer ? { ...result, serverPeakMb: serverPeakKb / 1024 } : result);
    });
  });
}

/** The PostgreSQL server's memory: its processes' proportional set sizes (shared pages split). */
async function postgresPssKb(): Promise<number> {
  let total = 0;
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if ((await readFile(`/proc/${pid}/comm`, 'utf8')).trim() !== 'postgres') continue;
      const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // The process ended while being read.
    }
  }
  return total;
}

async function sizeMb(...paths: string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) bytes += (await stat(path).catch(() => undefined))?.size ?? 0;
  return bytes / 2 ** 20;
}

/** A fresh PostgreSQL database for one load; its URL, its size on disk, and how to drop it. */
async function freshDatabase(
  prefix: string,
): Promise<{ url: string; diskMb: () => Promise<number>; drop: () => Promise<void> }> {
  const database = await freshPostgresDatabase(prefix, values.postgres);
  return {
    url: database.url,
    diskMb: () =>
      onPostgresServer(async (c) => {
        const { rows } = await c.query<{ bytes: string }>('SELECT pg_database_size($1) AS bytes', [
          database.name,
        ]);
        return Number(rows[0]?.bytes) / 2 ** 20;
      }, values.postgres),
    drop: () => database.drop(),
  };
}

function measure(
  raw: Record<string, unknown>,
  base: Pick<Measure, 'engine' | 'mode' | 'events' | 'songs'>,
  diskMb: number,
  direct?: Measure,
): Measure {
  const seconds = Number(raw.seconds);
  const counts = raw.counts as Record<string, number>;
  const result: Measure = {
    ...base,
    seconds,
    eventsPerSecond: Math.round(base.events / seconds),
    maxRssMb: Math.round(Number(raw.maxRssMb)),
    ...(raw.maxHeapMb !== undefined ? { maxHeapMb: Math.round(Number(raw.maxHeapMb)) } : {}),
    ...(raw.serverPeakMb !== undefined ? { serverPeakMb: Math.round(Number(raw.serverPeakMb)) } : {}),
    diskMb: Math.round(diskMb),
    counts,
    ...(raw.taskSeconds ? { taskSeconds: raw.taskSeconds as Record<string, number> } : {}),
  };
  if (direct) {
    const tables = Object.keys(direct.counts).filter((t) => !base.mode.startsWith('floor') || t in counts);
    result.sameAsDirect =
      tables.length === Object.keys(counts).length && tables.every((t) => direct.counts[t] === counts[t]);
  }
  process.stderr.write(
    `  ${base.engine} ${base.mode}: ${seconds.toFixed(1)} s, ${result.eventsPerSecond.toLocaleString('en')} events/s, ` +
      `peak RSS ${result.maxRssMb} MB${result.sameAsDirect === false ? ', TABLES DIFFER from the direct load' : ''}\n`,
  );
  return result;
}

async function generate(folder: string, events: number, catalog: number): Promise<number> {
  process.stderr.write(
    `generating ${events.toLocaleString('en')} events, ${catalog.toLocaleString('en')} songs …\n`,
  );
  const summary = await generateSparkifyData(new LocalObjectStore(folder), {
    start: START,
    end: END,
    eventsPerDay: Math.round(events / DAYS),
    songs: catalog,
    users: Math.max(1000, Math.round(events / 1000)),
  });
  return summary.events;
}

/** Direct, daily and (unless skipped) hourly loads of one generated month into DuckDB. */
async function duckdbLoads(
  source: string,
  events: number,
  catalog: number,
  modes: Mode[],
): Promise<Measure[]> {
  const results: Measure[] = [];
  const file = (mode: Mode) => join(root, `${mode}-${events}-${catalog}.duckdb`);
  const base = { engine: 'duckdb' as const, events, songs: catalog };
  const directFile = file('direct');
  const direct = measure(
    await child('direct-load.ts', [source, directFile]),
    { ...base, mode: 'direct' },
    await sizeMb(directFile, `${directFile}.wal`),
  );
  results.push(direct);
  for (const mode of modes) {
    const path = file(mode);
    if (mode === 'floor daily' || mode === 'floor hourly') {
      const raw = await child('floor.ts', [source, path, mode.split(' ')[1] ?? '']);
      results.push(measure(raw, { ...base, mode }, await sizeMb(path, `${path}.wal`), direct));
      continue;
    }
    if (mode === 'daily backfill' || mode === 'hourly backfill') {
      const home = `${path}.home`;
      const raw = await child('backfill.ts', [
        source,
        home,
        START.toISOString(),
        END.toISOString(),
        mode.split(' ')[0] ?? '',
      ]);
      if (raw.state !== 'success') throw new Error(`${mode}: the backfill ended ${String(raw.state)}`);
      const warehouse = String(raw.warehouse);
      results.push(measure(raw, { ...base, mode }, await sizeMb(warehouse, `${warehouse}.wal`), direct));
      await rm(home, { recursive: true, force: true });
      continue;
    }
    const raw = await child('hourly-pipeline.ts', [
      source,
      path,
      START.toISOString(),
      END.toISOString(),
      mode,
    ]);
    results.push(measure(raw, { ...base, mode }, await sizeMb(path, `${path}.wal`), direct));
  }
  for (const mode of ['direct', ...modes]) await rm(file(mode as Mode), { force: true });
  return results;
}

const measures: Measure[] = [];
try {
  for (const events of sizes) {
    const source = join(root, `source-${events}`);
    const generated = await generate(source, events, songs);
    measures.push(
      ...(await duckdbLoads(source, generated, songs, [
        'floor daily',
        'floor hourly',
        'daily',
        'hourly',
        'daily backfill',
        'hourly backfill',
      ])),
    );
    if (events === sizes[0] && !values['no-postgres']) {
      process.stderr.write('PostgreSQL: direct and daily …\n');
      const directDb = await freshDatabase('downbeat_scale_direct');
      const direct = measure(
        await child('direct-load-postgres.ts', [source, directDb.url], true),
        { engine: 'postgres', mode: 'direct', events: generated, songs },
        await directDb.diskMb(),
      );
      await directDb.drop();
      const dailyDb = await freshDatabase('downbeat_scale_daily');
      const daily = measure(
        await child(
          'hourly-pipeline.ts',
          [source, dailyDb.url, START.toISOString(), END.toISOString(), 'daily'],
          true,
        ),
        { engine: 'postgres', mode: 'daily', events: generated, songs },
        await dailyDb.diskMb(),
        direct,
      );
      await dailyDb.drop();
      measures.push(direct, daily);
    }
    if (!values.keep) await rm(source, { recursive: true, force: true });
  }
  const bigCatalog = Number(values['big-catalog']);
  if (bigCatalog > 0) {
    const events = sizes[0] ?? 1_000_000;
    const source = join(root, `source-${events}-${bigCatalog}`);
    const generated = await generate(source, events, bigCatalog);
    measures.push(...(await duckdbLoads(source, generated, bigCatalog, ['daily'])));
    if (!values.keep) await rm(source, { recursive: true, force: true });
  }

  let orchestration: Record<string, unknown> | undefined;
  if (!values['no-orchestration']) {
    process.stderr.write('orchestration volume …\n');
    orchestration = await child('scale-orchestration.ts', []);
  }

  await mkdir(join(benchDir, 'results'), { recursive: true });
  await writeFile(
    join(benchDir, 'results', 'scale.json'),
    JSON.stringify({ at: new Date().toISOString(), options: values, measures, orchestration }, null, 2),
  );
  await writeDataPlots(measures);
  process.stdout.write(`${markdown(measures)}\n`);
  if (measures.some((m) => m.sameAsDirect === false)) process.exitCode = 1;
} finally {
  if (!values.keep) await rm(root, { recursive: true, force: true });
}

function series(
  all: readonly Measure[],
  engine: Measure['engine'],
  mode: Mode,
  catalog: number,
  y: (m: Measure) => number,
) {
  const points = all
    .filter((m) => m.engine === engine && m.mode === mode && m.songs === catalog)
    .map((m) => [m.events, y(m)] as const);
  return { name: `${engine === 'duckdb' ? 'DuckDB' : 'PostgreSQL'} ${mode}`, points };
}

async function writeDataPlots(all: readonly Measure[]): Promise<void> {
  const directOf = (m: Measure) =>
    all.find(
      (d) => d.engine === m.engine && d.mode === 'direct' && d.events === m.events && d.songs === m.songs,
    );
  const ratio = (m: Measure) => m.seconds / (directOf(m)?.seconds ?? NaN);
  // The floors are on the ratio plot: nine lines would outrun the plots' eight colours.
  const modes: Mode[] = ['direct', 'daily', 'hourly', 'daily backfill', 'hourly backfill'];
  await writeChart(join(plots, 'data-events-per-second.svg'), {
    title: `Events loaded per second as the month grows (${songs.toLocaleString('en')} songs)`,
    xLabel: 'events in the month',
    yLabel: 'events per second',
    xLog: true,
    yLog: true,
    series: [
      ...modes.map((mode) => series(all, 'duckdb', mode, songs, (m) => m.eventsPerSecond)),
      ...(['direct', 'daily'] as Mode[]).map((mode) =>
        series(all, 'postgres', mode, songs, (m) => m.eventsPerSecond),
      ),
    ],
  });
  await writeChart(join(plots, 'data-ratio-to-direct.svg'), {
    title: 'Pipeline time over the direct load in the same engine',
    xLabel: 'events in the month',
    yLabel: 'times the direct load',
    xLog: true,
    yLog: true,
    series: [
      series(all, 'duckdb', 'floor daily', songs, ratio),
      series(all, 'duckdb', 'floor hourly', songs, ratio),
      series(all, 'duckdb', 'daily', songs, ratio),
      series(all, 'duckdb', 'hourly', songs, ratio),
      series(all, 'duckdb', 'daily backfill', songs, ratio),
      series(all, 'duckdb', 'hourly backfill', songs, ratio),
      series(all, 'postgres', 'daily', songs, ratio),
    ],
    guides: [
      { y: 1.5, label: 'daily goal 1.5x' },
      { y: 3, label: 'hourly goal 3x' },
    ],
  });
  await writeChart(join(plots, 'data-peak-memory.svg'), {
    title: 'Peak memory of the loading process as the month grows',
    xLabel: 'events in the month',
    yLabel: 'peak memory (MB)',
    xLog: true,
    series: [
      // The backfills' memory is in the table: nine lines would outrun the plot's eight colours.
      ...modes.slice(0, 3).map((mode) => series(all, 'duckdb', mode, songs, (m) => m.maxRssMb)),
      ...(['direct', 'daily'] as Mode[]).map((mode) =>
        series(all, 'postgres', mode, songs, (m) => m.maxRssMb),
      ),
      ...(['daily', 'hourly'] as Mode[]).map((mode) => ({
        ...series(all, 'duckdb', mode, songs, (m) => m.maxHeapMb ?? NaN),
        name: `DuckDB ${mode}, JS heap`,
      })),
    ],
  });
}

function markdown(all: readonly Measure[]): string {
  const rows = all.map((m) => {
    const find = (mode: Mode) =>
      all.find(
        (d) => d.engine === m.engine && d.mode === mode && d.events === m.events && d.songs === m.songs,
      );
    const over = (reference: Measure | undefined) =>
      reference ? `${(m.seconds / reference.seconds).toFixed(1)}x` : '';
    const ratio = m.mode === 'direct' ? '' : over(find('direct'));
    const cadence = m.mode.includes('hourly') ? 'hourly' : 'daily';
    const overFloor = m.mode === 'direct' || m.mode.startsWith('floor') ? '' : over(find(`floor ${cadence}`));
    const memory = [
      `${m.maxRssMb} MB`,
      m.maxHeapMb !== undefined ? `JS ${m.maxHeapMb} MB` : '',
      m.serverPeakMb !== undefined ? `server ${m.serverPeakMb} MB` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const equal = m.sameAsDirect === undefined ? '' : m.sameAsDirect ? 'yes' : '**NO**';
    return `| ${m.engine} | ${m.events.toLocaleString('en')} | ${m.songs.toLocaleString('en')} | ${m.mode} | ${m.seconds.toFixed(1)} s | ${m.eventsPerSecond.toLocaleString('en')} | ${ratio} | ${overFloor} | ${memory} | ${m.diskMb.toLocaleString('en')} MB | ${equal} |`;
  });
  return [
    '| engine | events | songs | load | wall time | events/s | × direct | × floor | peak memory | disk | tables equal |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
