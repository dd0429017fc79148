/**
 * A catalog of JSON documents (Sparkify's song files) staged into DuckDB from a local folder, with
 * `warehouseCopy: true`: DuckDB reads each batch of files in one statement and loads the files of
 * one document; the others (several documents, an array, a value in doubt, a reject, text that is
 * not JSON) go through the worker's reader. Each case stages the same catalog twice, once so and
 * once all through the worker, and compares the tables row by row, lines and rejects included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../dag/index.ts';
import { testEnvironment, type TestEnvironment } from '../../executor/testing.ts';
import type { StagingColumn } from './columns.ts';
import { stageJson } from './stage-json.ts';

let env: TestEnvironment;
let logged: string[];

const columns: StagingColumn[] = [
  { name: 'song_id', type: 'text', required: true },
  { name: 'title', type: 'text' },
  { name: 'year', type: 'integer' },
  { name: 'duration', type: 'double' },
];
const TABLE_COLUMNS =
  'song_id VARCHAR, title VARCHAR, year INTEGER, duration DOUBLE, _source_key VARCHAR, _source_line BIGINT';

beforeEach(async () => {
  env = await testEnvironment();
  const wh = await env.connections.warehouse('warehouse');
  await wh.execute(`CREATE TABLE fast (${TABLE_COLUMNS}); CREATE TABLE slow (${TABLE_COLUMNS})`);
});
afterEach(async () => env.close());

const stage = (table: 'fast' | 'slow') =>
  stageJson({
    source: 'source',
    table,
    objects: { prefix: 'songs/', suffix: '.json' },
    framing: 'json',
    columns,
    rejectLimit: 1000,
    rejectWhere: [{ condition: 'year = 666', reason: 'year: unlucky' }],
    // A catalog's default is the worker: DuckDB reading thousands of small files in order costs
    // as much (BENCHMARKS.md).
    warehouseCopy: table === 'fast',
  });

function context(): TaskContext {
  const base = env.context('stage', '2018-11-15T10:00:00Z');
  const log = (m: string) => void logged.push(m);
  return { ...base, log: { info: log, warn: log, error: log } };
}

const song = (i: number, extra: Record<string, unknown> = {}) => ({
  song_id: `SO${String(i).padStart(6, '0')}`,
  title: i % 7 === 0 ? null : `Title ${i} "quoted" \\ é ✓ 𝄞`,
  year: 1950 + (i % 70),
  duration: 100 + i / 8,
  ...extra,
});
const BOM = '\ufeff';

/** A song file in each shape a catalog may hold, and whether DuckDB may load it itself. */
const SHAPES: { name: string; text: (i: number) => string; duckdb: boolean }[] = [
  { name: 'one line', text: (i) => JSON.stringify(song(i)), duckdb: true },
  { name: 'a line and its newline', text: (i) => `${JSON.stringify(song(i))}\n`, duckdb: true },
  { name: 'pretty-printed', text: (i) => JSON.stringify(song(i), null, 4), duckdb: true },
  { name: 'after blank lines', text: (i) => `\n \n\t${JSON.stringify(song(i), null, 2)}\n\n`, duckdb: true },
  { name: 'after a byte-order mark', text: (i) => BOM + JSON.stringify(song(i), null, 2), duckdb: true },
  { name: 'no document', text: () => ' \n ', duckdb: true },
  {
    name: 'two lines',
    text: (i) => `${JSON.stringify(song(i))}\n${JSON.stringify(song(i + 1))}`,
    duckdb: false,
  },
  {
    name: 'two concatenated',
    text: (i) => JSON.stringify(song(i)) + JSON.stringify(song(i + 1)),
    duckdb: false,
  },
  { name: 'an array', text: (i) => JSON.stringify([song(i), song(i + 1)]), duckdb: false },
  { name: 'a year in a string', text: (i) => JSON.stringify(song(i, { year: '1999' })), duckdb: true },
  { name: 'a year with a fraction', text: (i) => JSON.stringify(song(i, { year: 1999.5 })), duckdb: false },
  { name: 'a rejected year', text: (i) => JSON.stringify(song(i, { year: 666 })), duckdb: false },
  { name: 'no song id', text: (i) => JSON.stringify(song(i, { song_id: null })), duckdb: false },
  { name: 'stray text', text: (i) => `${JSON.stringify(song(i))} and more`, duckdb: false },
  { name: 'a BOM cut short', text: (i) => `\u00ef${JSON.stringify(song(i))}`, duckdb: false },
];

/** Writes the files, stages them both ways; how many DuckDB loaded, and both tables' rows. */
async function stageBothWays(files: readonly { key: string; text: string }[]) {
  const store = await env.connections.objectStore('source');
  for (const { key, text } of files) await store.put(key, text);
  logged = [];
  const fast = await stage('fast').execute(context());
  const byDuckDb = logged.filter((m) => /loaded by duckdb/.test(m)).length;
  const slow = await stage('slow').execute(context());
  const wh = await env.connections.warehouse('warehouse');
  const rows = (table: string) => wh.query(`SELECT * FROM ${table} ORDER BY _source_key, _source_line`);
  const rejects = (table: string) =>
    wh.query(
      `SELECT object_key, line, reason FROM _downbeat_rejects WHERE table_name = '${table}' ORDER BY ALL`,
    );
  return {
    byDuckDb,
    fast: { outcome: fast.rowsWritten, rows: await rows('fast'), rejects: await rejects('fast') },
    slow: { outcome: slow.rowsWritten, rows: await rows('slow'), rejects: await rejects('slow') },
  };
}

describe('a catalog of JSON documents staged into DuckDB from a local folder', () => {
  it('loads the files of one document itself, in any layout, and leaves the others to the worker, with the same rows', async () => {
    const files = SHAPES.map((shape, i) => ({
      key: `songs/${String(i).padStart(2, '0')}.json`,
      text: shape.text(i * 10),
    }));
    const result = await stageBothWays(files);
    expect(result.byDuckDb).toBe(SHAPES.filter((s) => s.duckdb).length);
    expect(result.fast.rows).toEqual(result.slow.rows);
    expect(result.fast.rejects).toEqual(result.slow.rejects);
    expect(result.fast.outcome?.fast).toBe(result.slow.outcome?.slow);
    // The lines are the documents' own: the one after blank lines starts on line 3.
    expect(result.fast.rows.find((r) => r.song_id === 'SO000030')?._source_line).toBe(3);
  });

  it('gives the same rows on a random catalog of every shape, its bad files found by halving the list', async () => {
    let seed = 19;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const files = Array.from({ length: 300 }, (_, i) => {
      // Mostly files DuckDB loads, as in Sparkify's catalog; now and then one it cannot read.
      const shape =
        random() < 0.9 ? SHAPES[Math.floor(random() * 7)] : SHAPES[Math.floor(random() * SHAPES.length)];
      return { key: `songs/${String(i).padStart(3, '0')}.json`, text: shape?.text(i * 10) ?? '', shape };
    });
    const result = await stageBothWays(files);
    expect(result.byDuckDb).toBe(files.filter((f) => f.shape?.duckdb).length);
    expect(result.fast.rows).toEqual(result.slow.rows);
    expect(result.fast.rejects).toEqual(result.slow.rejects);
  });
});
