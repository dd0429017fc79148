/**
 * Staging throughput (issue #5). A generated log_data month is put in a fauxqs bucket (its own
 * process, on loopback) and in a folder, then, each in its own process so that its peak RSS is its
 * own:
 *
 *  (a) S3 staging: Sparkify's Stage_events (stageJson) over the whole month from the bucket into
 *      DuckDB and into PostgreSQL, and for reference the raw S3 read of the same objects and the
 *      same stage from the folder (no S3) into DuckDB;
 *  (b) PostgreSQL COPY against psql: the same rows loaded by `psql \copy` from a file in COPY's text
 *      format (the rows Downbeat staged, exported), by PostgresWarehouse.bulkInsert from rows
 *      already parsed in memory, and by Stage_events end to end from the JSON files in the folder
 *      (read, parse, check, COPY FROM STDIN, bookkeeping).
 *
 * Usage: node --import tsx bench/staging.ts [--events-per-day 33334] [--days 30]  → one JSON line.
 * Run by `npm run bench`; parts run as `bench/staging.ts --part NAME …`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.ts';
import { Connections } from '../src/connections/index.ts';
import { runIdFor, type TaskContext } from '../src/dag/index.ts';
import { readJsonRecords } from '../src/operators/stage/index.ts';
import { coerceRecord } from '../src/operators/stage/columns.ts';
import type { BulkRow } from '../src/ports/index.ts';
import { LocalObjectStore, S3ObjectStore } from '../src/storage/index.ts';
import { PostgresWarehouse } from '../src/warehouse/index.ts';
import sparkify from '../pipelines/sparkify/sparkify.dag.ts';
import { generateSparkifyData } from '../pipelines/sparkify/generate/index.ts';
import { freshPostgresDatabase, type FreshDatabase } from '../src/util/testing.ts';
import { eventColumns } from '../pipelines/sparkify/staging-columns.ts';
import { createTables } from '../pipelines/sparkify/sql.ts';

const { values } = parseArgs({
  options: {
    'events-per-day': { type: 'string', default: '33334' },
    days: { type: 'string', default: '30' },
    /** Each measurement this many times; medians are reported (the machine is shared and noisy). */
    trials: { type: 'string', default: '3' },
    part: { type: 'string' },
    source: { type: 'string' },
    warehouse: { type: 'string' },
    tsv: { type: 'string' },
  },
});
const START = new Date('2018-11-01T00:00:00Z');
const end = new Date(START.getTime() + Number(values.days) * 86_400_000);
const STAGING_DDL = createTables.find((s) => /staging_events\s*\(/.test(s)) ?? '';
const COLUMNS = [...eventColumns.map((c) => c.name), '_source_key', '_source_line'];
const BUCKET = 'sparkify-bench';

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};
const round = (x: number) => Number(x.toFixed(2));
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const elapsed = (started: number) => (performance.now() - started) / 1000;

// ---------------------------------------------------------------------------------------------
// Parts, each in its own process.

/** Reads every log_data object from the store, counting bytes: the S3 read alone. */
async function partRead(sourceUri: string) {
  const store = S3ObjectStore.fromUri(sourceUri);
  const keys: string[] = [];
  for await (const info of store.list('log_data/')) keys.push(info.key);
  const started = performance.now();
  let bytes = 0;
  for (const key of keys) for await (const chunk of (await store.get(key)).body) bytes += chunk.length;
  const seconds = elapsed(started);
  await store.close();
  return { objects: keys.length, bytes, seconds, maxRssMb: maxRssMb() };
}

/** Sparkify's Stage_events for the whole interval [START, end): each day file once. */
async function partStage(sourceUri: string, warehouseUri: string) {
  const connections = new Connections(
    loadConfig({ DOWNBEAT_CONN_SPARKIFY_SOURCE: sourceUri, DOWNBEAT_CONN_WAREHOUSE: warehouseUri }),
  );
  const warehouse = await connections.warehouse('warehouse');
  await warehouse.execute(STAGING_DDL);
  await connections.objectStore('sparkify_source');
  const task = sparkify.tasks.get('Stage_events');
  if (!task) throw new Error('sparkify_etl has no Stage_events');
  const context: TaskContext = {
    dagId: sparkify.id,
    runId: runIdFor('manual', START),
    runType: 'manual',
    logicalDate: START,
    dataInterval: { start: START, end },
    conf: {},
    taskId: 'Stage_events',
    tryNumber: 1,
    firstTryStartedAt: new Date(),
    runs: { state: () => Promise.resolve(undefined) },
    log: { info: () => undefined, warn: (m) => process.stderr.write(`${m}\n`), error: () => undefined },
    signal: new AbortController().signal,
    now: () => new Date(),
    output: () => undefined,
    params: {},
    connections,
    variables: { get: () => Promise.resolve(undefined) },
  };
  const started = performance.now();
  const outcome = await task.operator.execute(context);
  const seconds = elapsed(started);
  const rows = Number((await warehouse.query('SELECT COUNT(*) AS n FROM staging_events'))[0]?.n);
  await connections.close();
  return { rows, written: outcome.rowsWritten?.staging_events, seconds, maxRssMb: maxRssMb() };
}

/**
 * The month's rows parsed as Stage_events parses them (untimed), then, in turns, `trials` times:
 * PostgresWarehouse.bulkInsert of those rows, and psql's \copy of the same rows from `tsv`, each
 * into the emptied table, so each pair ran under the same load.
 */
async function partBulk(folder: string, url: string, tsv: string) {
  const files = (await listFiles(join(folder, 'log_data'))).sort();
  const rows: BulkRow[] = [];
  for (const file of files) {
    const key = file.slice(folder.length + 1);
    for await (const record of readJsonRecords(createReadStream(file), { framing: 'ndjson' })) {
      if (record.error !== undefined) continue;
      const coerced = coerceRecord(record.value, eventColumns);
      if (coerced.row) rows.push([...coerced.row, key, record.line]);
    }
  }
  const warehouse = new PostgresWarehouse(url);
  await warehouse.execute(STAGING_DDL);
  const bulk: number[] = [];
  const copy: number[] = [];
  let count = 0;
  for (let trial = 0; trial < Number(values.trials); trial += 1) {
    await warehouse.execute('TRUNCATE staging_events');
    const started = performance.now();
    count = await warehouse.bulkInsert('staging_events', COLUMNS, rows);
    bulk.push(elapsed(started));
    await warehouse.execute('TRUNCATE staging_events');
    copy.push(psql(url, `\\copy staging_events (${COLUMNS.join(', ')}) FROM '${tsv}'`));
  }
  await warehouse.close();
  return { rows: count, bulk, psql: copy, maxRssMb: maxRssMb() };
}

async function listFiles(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.name.endsWith('.json')) out.push(path);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The orchestration: data, servers, databases, and the parts in order.

function part(name: string, args: string[]): Record<string, unknown> {
  const result = spawnSync(
    process.execPath,
    [
      '--no-warnings',
      '--import',
      'tsx',
      new URL(import.meta.url).pathname,
      '--part',
      name,
      '--days',
      String(values.days),
      '--trials',
      String(values.trials),
      ...args,
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } },
  );
  if (result.status !== 0) throw new Error(`part ${name} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

function psql(url: string, command: string): number {
  const started = performance.now();
  const result = spawnSync('/usr/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', command], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql ${command}: ${result.stderr}`);
  return elapsed(started);
}

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'downbeat-bench-staging-'));
  const folder = join(root, 'source');
  const databases: FreshDatabase[] = [];
  const database = async () => {
    const fresh = await freshPostgresDatabase('downbeat_bench_staging');
    databases.push(fresh);
    return fresh.url;
  };
  // fauxqs in its own process: the objects it holds in memory are not the stager's.
  const server = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { startFauxqs } from 'fauxqs';
       const s = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
       s.createBucket('${BUCKET}');
       console.log(s.address);`,
    ],
    { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim()));
      server.once('exit', (code) => reject(new Error(`fauxqs exited (${code})`)));
    });
    const s3Uri = `s3://${BUCKET}?endpoint=${encodeURIComponent(endpoint)}&access_key_id=bench&secret_access_key=bench`;

    process.stderr.write(`staging: generating ${values.days} days × ${values['events-per-day']} events …\n`);
    const generated = await generateSparkifyData(new LocalObjectStore(folder), {
      start: START,
      end,
      eventsPerDay: Number(values['events-per-day']),
      songs: 10,
      users: 1000,
    });
    const files = (await listFiles(join(folder, 'log_data'))).sort();
    let bytes = 0;
    const bucket = S3ObjectStore.fromUri(s3Uri);
    for (const file of files) {
      bytes += (await stat(file)).size;
      await bucket.put(file.slice(folder.length + 1), createReadStream(file));
    }
    await bucket.close();
    const mb = bytes / 1e6;

    const trials = Number(values.trials);
    /** A measurement run `trials` times, each in its own process: median, fastest, slowest, peak RSS. */
    const repeat = async (label: string, run: () => Promise<Record<string, unknown>>) => {
      const runs: Record<string, unknown>[] = [];
      for (let trial = 1; trial <= trials; trial += 1) {
        process.stderr.write(`staging: ${label} (${trial}/${trials}) …\n`);
        runs.push(await run());
      }
      return summary(
        runs.map((r) => Number(r.seconds)),
        runs.map((r) => Number(r.maxRssMb)),
        { rows: runs[0]?.rows },
      );
    };
    const summary = (seconds: number[], rss: number[], extra: Record<string, unknown> = {}) => ({
      ...extra,
      seconds: round(median(seconds)),
      fastest: round(Math.min(...seconds)),
      slowest: round(Math.max(...seconds)),
      mbPerSecond: Number((mb / median(seconds)).toFixed(1)),
      ...(rss.length > 0 ? { maxRssMb: Math.max(...rss) } : {}), // psql's is not measured
    });
    const duckdbFile = () => `duckdb://${join(root, `stage-${randomBytes(4).toString('hex')}.duckdb`)}`;
    const folderUri = `file://${folder}`;

    process.stderr.write(`staging: ${mb.toFixed(0)} MB in ${files.length} objects\n`);
    // (a) from S3; a folder source for reference.
    const s3Read = await repeat('S3 read', () => Promise.resolve(part('read', ['--source', s3Uri])));
    const stageS3DuckDb = await repeat('Stage_events from S3 into DuckDB', () =>
      Promise.resolve(part('stage', ['--source', s3Uri, '--warehouse', duckdbFile()])),
    );
    const stageFileDuckDb = await repeat('Stage_events from the folder into DuckDB', () =>
      Promise.resolve(part('stage', ['--source', folderUri, '--warehouse', duckdbFile()])),
    );
    const stageS3Postgres = await repeat('Stage_events from S3 into PostgreSQL', async () =>
      part('stage', ['--source', s3Uri, '--warehouse', await database()]),
    );

    // (b) PostgreSQL against psql's \copy of exactly the rows Downbeat staged, in COPY's text format.
    const tsv = join(root, 'staging_events.tsv');
    const columnList = COLUMNS.join(', ');
    const stageSeconds: number[] = [];
    const stageRss: number[] = [];
    const psqlAfterStage: number[] = [];
    for (let trial = 1; trial <= trials; trial += 1) {
      process.stderr.write(
        `staging: Stage_events from the folder into PostgreSQL, then psql (${trial}/${trials}) …\n`,
      );
      const url = await database();
      const staged = part('stage', ['--source', folderUri, '--warehouse', url]);
      stageSeconds.push(Number(staged.seconds));
      stageRss.push(Number(staged.maxRssMb));
      if (trial === 1) psql(url, `\\copy staging_events (${columnList}) TO '${tsv}'`);
      const psqlUrl = await database();
      psql(psqlUrl, STAGING_DDL);
      psqlAfterStage.push(psql(psqlUrl, `\\copy staging_events (${columnList}) FROM '${tsv}'`));
    }
    process.stderr.write(`staging: PostgresWarehouse.bulkInsert of parsed rows, then psql (×${trials}) …\n`);
    const bulk = part('bulk', ['--source', folder, '--warehouse', await database(), '--tsv', tsv]);
    const bulkSeconds = bulk.bulk as number[];
    const psqlAfterBulk = bulk.psql as number[];
    const ratios = (mine: number[], theirs: number[]) =>
      Number(median(mine.map((seconds, i) => seconds / (theirs[i] ?? NaN))).toFixed(2));

    return {
      events: generated.events,
      objects: files.length,
      mb: Number(mb.toFixed(1)),
      tsvMb: Number(((await stat(tsv)).size / 1e6).toFixed(1)),
      trials,
      s3Read,
      stageS3DuckDb,
      stageFileDuckDb,
      stageS3Postgres,
      stageFilePostgres: summary(stageSeconds, stageRss, { rows: generated.events }),
      bulkInsertPostgres: summary(bulkSeconds, [Number(bulk.maxRssMb)], { rows: bulk.rows }),
      psqlCopy: summary([...psqlAfterStage, ...psqlAfterBulk], [], { rows: generated.events }),
      /** Medians of the ratios of each pair run back to back. */
      ratioStageToPsql: ratios(stageSeconds, psqlAfterStage),
      ratioBulkInsertToPsql: ratios(bulkSeconds, psqlAfterBulk),
    };
  } finally {
    server.kill('SIGTERM');
    for (const fresh of databases) await fresh.drop();
    await rm(root, { recursive: true, force: true });
  }
}

const result =
  values.part === 'read'
    ? await partRead(values.source ?? '')
    : values.part === 'stage'
      ? await partStage(values.source ?? '', values.warehouse ?? '')
      : values.part === 'bulk'
        ? await partBulk(values.source ?? '', values.warehouse ?? '', values.tsv ?? '')
        : await main();
process.stdout.write(`${JSON.stringify(result)}\n`);
