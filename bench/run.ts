/**
 * `npm run bench`: the hourly Sparkify pipeline against the same transformation done directly in
 * DuckDB, on a generated month. Each side runs in its own process, so its peak memory is its own.
 * Then orchestration overhead, 1,000 sensors waiting in reschedule mode (bench/sensors.ts), API latency with 720 and 10,000 runs of history (bench/api.ts), the
 * CLI's start-up (bench/cli-startup.ts), and staging throughput from S3 and PostgreSQL COPY against
 * psql (bench/staging.ts).
 *
 *   npm run bench                       # 1,000,000 events (33,334 a day), 5,000 songs, 1,000 users
 *   npm run bench -- --events-per-day 3000 --days 7
 *
 * Prints a Markdown table (for BENCHMARKS.md) and writes bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalObjectStore } from '../src/storage/index.ts';
import { generateSparkifyData } from '../pipelines/sparkify/generate/index.ts';

const { values } = parseArgs({
  options: {
    'events-per-day': { type: 'string', default: '33334' },
    days: { type: 'string', default: '30' },
    songs: { type: 'string', default: '5000' },
    users: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
  },
});
const start = new Date('2018-11-01T00:00:00Z');
const end = new Date(start.getTime() + Number(values.days) * 86_400_000);
const root = await mkdtemp(join(tmpdir(), 'downbeat-bench-'));
const source = join(root, 'source');

function child(script: string, args: string[]): Record<string, unknown> {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', new URL(script, import.meta.url).pathname, ...args],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

try {
  process.stderr.write(
    `generating ${values.days} days × ${values['events-per-day']} events into ${source} …\n`,
  );
  const generated = await generateSparkifyData(new LocalObjectStore(source), {
    start,
    end,
    eventsPerDay: Number(values['events-per-day']),
    songs: Number(values.songs),
    users: Number(values.users),
  });
  process.stderr.write('direct load in DuckDB …\n');
  const direct = child('./direct-load.ts', [source, join(root, 'direct.duckdb')]);
  process.stderr.write(`hourly pipeline, ${Number(values.days) * 24} runs …\n`);
  const hourly = child('./hourly-pipeline.ts', [
    source,
    join(root, 'hourly.duckdb'),
    start.toISOString(),
    end.toISOString(),
  ]);
  process.stderr.write(`the @daily variant, ${values.days} runs …\n`);
  const daily = child('./hourly-pipeline.ts', [
    source,
    join(root, 'daily.duckdb'),
    start.toISOString(),
    end.toISOString(),
    'daily',
  ]);
  process.stderr.write('the same as a backfill through the scheduler and workers …\n');
  const backfill = child('./backfill.ts', [
    source,
    join(root, 'backfill-home'),
    start.toISOString(),
    end.toISOString(),
  ]);
  process.stderr.write('the same backfill in range runs (one over the whole range) …\n');
  const rangeBackfill = child('./backfill.ts', [
    source,
    join(root, 'range-backfill-home'),
    start.toISOString(),
    end.toISOString(),
    'hourly',
    'all',
  ]);
  process.stderr.write('orchestration overhead on SQLite and PostgreSQL …\n');
  const orchestration = child('./orchestration.ts', []);
  process.stderr.write('1,000 reschedule sensors waiting beside no-op tasks on PostgreSQL …\n');
  const sensors = child('./sensors.ts', []);
  process.stderr.write('API latency and grid time-to-interactive at 720 and 10,000 runs …\n');
  const api = child('./api.ts', []);
  process.stderr.write('CLI start-up: --help, dags list, dags test of a Sparkify hour …\n');
  const cli = child('./cli-startup.ts', []);
  process.stderr.write('staging from S3 into DuckDB and PostgreSQL, COPY against psql …\n');
  const staging = child('./staging.ts', [
    '--events-per-day',
    String(values['events-per-day']),
    '--days',
    String(values.days),
  ]);

  const events = generated.events;
  const rate = (seconds: unknown) => Math.round(events / Number(seconds));
  const sameCounts =
    JSON.stringify(direct.counts) === JSON.stringify(hourly.counts) &&
    JSON.stringify(direct.counts) === JSON.stringify(daily.counts) &&
    JSON.stringify(direct.counts) === JSON.stringify(backfill.counts) &&
    JSON.stringify(direct.counts) === JSON.stringify(rangeBackfill.counts);
  const table = [
    '| load | wall time | events/s | peak RSS | tables equal |',
    '|---|---|---|---|---|',
    `| direct, a few DuckDB statements | ${Number(direct.seconds).toFixed(1)} s | ${rate(direct.seconds).toLocaleString('en')} | ${Math.round(Number(direct.maxRssMb))} MB | |`,
    `| hourly pipeline, ${Number(values.days) * 24} runs, in process | ${Number(hourly.seconds).toFixed(1)} s | ${rate(hourly.seconds).toLocaleString('en')} | ${Math.round(Number(hourly.maxRssMb))} MB | ${sameCounts ? 'yes' : 'NO'} |`,
    `| daily pipeline (sparkify_etl_daily), ${values.days} runs, in process | ${Number(daily.seconds).toFixed(1)} s | ${rate(daily.seconds).toLocaleString('en')} | ${Math.round(Number(daily.maxRssMb))} MB | ${sameCounts ? 'yes' : 'NO'} |`,
    `| backfill through scheduler + 4 workers (SQLite) | ${Number(backfill.seconds).toFixed(1)} s | ${rate(backfill.seconds).toLocaleString('en')} | ${Math.round(Number(backfill.maxRssMb))} MB | ${sameCounts ? 'yes' : 'NO'} |`,
    `| the same backfill in one range run (--max-intervals-per-run all) | ${Number(rangeBackfill.seconds).toFixed(1)} s | ${rate(rangeBackfill.seconds).toLocaleString('en')} | ${Math.round(Number(rangeBackfill.maxRssMb))} MB | ${sameCounts ? 'yes' : 'NO'} |`,
    '',
    `ratio hourly / direct: ${(Number(hourly.seconds) / Number(direct.seconds)).toFixed(1)}x; ` +
      `daily / direct: ${(Number(daily.seconds) / Number(direct.seconds)).toFixed(1)}x; ` +
      `backfill / direct: ${(Number(backfill.seconds) / Number(direct.seconds)).toFixed(1)}x; ${events.toLocaleString('en')} events, ` +
      `${generated.songs.toLocaleString('en')} songs, failed tasks: ${String(hourly.failed)}`,
  ].join('\n');
  process.stdout.write(
    `${table}\n\ntask seconds (summed over runs): ${JSON.stringify(hourly.taskSeconds)}\n`,
  );
  process.stdout.write(
    `orchestration (latency in ms, no-op task instances per second): ${JSON.stringify(orchestration)}\n`,
  );
  process.stdout.write(`1,000 sensors in reschedule mode waiting: ${JSON.stringify(sensors)}\n`);
  process.stdout.write(
    `API latency in ms (p50/p99) and grid interactive in Chromium: ${JSON.stringify(api)}\n`,
  );
  process.stdout.write(`CLI start-up, median of 10 whole processes in ms: ${JSON.stringify(cli)}\n`);
  const mbps = (part: unknown) => (part as { mbPerSecond?: number }).mbPerSecond;
  process.stdout.write(
    `staging ${String(staging.mb)} MB: S3 read ${mbps(staging.s3Read)} MB/s; Stage_events from S3 into DuckDB ` +
      `${mbps(staging.stageS3DuckDb)} MB/s, into PostgreSQL ${mbps(staging.stageS3Postgres)} MB/s; ` +
      `PostgreSQL against psql's \\copy: stage from JSON ${String(staging.ratioStageToPsql)}x, ` +
      `bulkInsert of parsed rows ${String(staging.ratioBulkInsertToPsql)}x\n  ${JSON.stringify(staging)}\n`,
  );
  const results = new URL('./results/', import.meta.url).pathname;
  await mkdir(results, { recursive: true });
  await writeFile(
    join(results, 'latest.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        options: values,
        generated,
        direct,
        hourly,
        backfill,
        rangeBackfill,
        orchestration,
        sensors,
        api,
        cli,
        staging,
      },
      null,
      2,
    ),
  );
  if (!sameCounts) process.exitCode = 1;
} finally {
  if (!values.keep) await rm(root, { recursive: true, force: true });
}
