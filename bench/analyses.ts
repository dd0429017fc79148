/**
 * The warehouse explorer's reads on a loaded Sparkify warehouse (issue #19): the tables listing
 * (`GET /api/v1/warehouse/tables`) and each of the Sparkify page's analyses
 * (pipelines/sparkify/analyses.ts) as the explorer runs them — the engine's check, a read-only
 * transaction, the row limit — timed `--rounds` times each, p50 and p99, on DuckDB and on
 * PostgreSQL. The warehouses are built by the direct statements (bench/direct-load*.ts) from one
 * generated month: the same tables the pipeline loads, built faster.
 *
 *   node --import tsx bench/analyses.ts                        # 1M events, 20 rounds
 *   node --import tsx bench/analyses.ts --events 10000000 --rounds 10
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sparkifyAnalyses } from '../pipelines/sparkify/analyses.ts';
import { generateSparkifyData } from '../pipelines/sparkify/generate/index.ts';
import type { Warehouse } from '../src/ports/index.ts';
import { LocalObjectStore } from '../src/storage/index.ts';
import { freshPostgresDatabase, TEST_POSTGRES_URL } from '../src/util/testing.ts';
import { openWarehouse } from '../src/warehouse/index.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '20' },
    postgres: { type: 'string', default: TEST_POSTGRES_URL },
  },
});
const rounds = Number(values.rounds);
const root = await mkdtemp(join(tmpdir(), 'downbeat-analyses-bench-'));

function child(script: string, args: string[]): void {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', new URL(script, import.meta.url).pathname, ...args],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}):\n${result.stderr}`);
}

const percentile = (xs: readonly number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

/** Each read's p50 and p99 in ms, `rounds` rounds, the reads alternating within a round. */
async function timeReads(warehouse: Warehouse): Promise<Map<string, number[]>> {
  const reads: [string, () => Promise<unknown>][] = [
    ['tables listing', () => warehouse.listTables()],
    ...sparkifyAnalyses.map((a): [string, () => Promise<unknown>] => [
      a.title,
      () => warehouse.readOnlyQuery(a.sql, { limit: a.limit, timeoutMs: 60_000 }),
    ]),
  ];
  const times = new Map(reads.map(([name]) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, read] of reads) {
      const began = performance.now();
      await read();
      times.get(name)?.push(performance.now() - began);
    }
  }
  return times;
}

try {
  const source = join(root, 'source');
  const events = Number(values.events);
  process.stderr.write(`generating ${events.toLocaleString('en')} events …\n`);
  await generateSparkifyData(new LocalObjectStore(source), {
    start: new Date('2018-11-01T00:00:00Z'),
    end: new Date('2018-12-01T00:00:00Z'),
    songs: 15_000,
    eventsPerDay: Math.round(events / 30),
    seed: 19,
  });
  const results: Record<string, Map<string, number[]>> = {};
  process.stderr.write('DuckDB: direct load, then the reads …\n');
  const file = join(root, 'warehouse.duckdb');
  child('./direct-load.ts', [source, file]);
  const duckdb = await openWarehouse(`duckdb://${file}`);
  try {
    results.DuckDB = await timeReads(duckdb);
  } finally {
    await duckdb.close();
  }
  process.stderr.write('PostgreSQL: direct load, then the reads …\n');
  const database = await freshPostgresDatabase('downbeat_analyses_bench', values.postgres);
  try {
    child('./direct-load-postgres.ts', [source, database.url]);
    const postgres = await openWarehouse(database.url);
    try {
      results.PostgreSQL = await timeReads(postgres);
    } finally {
      await postgres.close();
    }
  } finally {
    await database.drop();
  }
  const names = [...(results.DuckDB?.keys() ?? [])];
  const cell = (engine: string, name: string) => {
    const xs = results[engine]?.get(name) ?? [];
    return `${Math.round(percentile(xs, 50))} / ${Math.round(percentile(xs, 99))} ms`;
  };
  const lines = [
    `${events.toLocaleString('en')} events, ${rounds} rounds, p50 / p99 (through the explorer's read path):`,
    '',
    '| read | DuckDB | PostgreSQL |',
    '|---|---|---|',
    ...names.map((name) => `| ${name} | ${cell('DuckDB', name)} | ${cell('PostgreSQL', name)} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
