/**
 * DuckDB loads a local day file itself (`read_json`) when it can give exactly the rows the worker's
 * reader gives, and declines otherwise. Each case stages the same file twice, once letting DuckDB
 * load it and once through the worker (`warehouseCopy: false`), and compares the tables row by row.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../dag/index.ts';
import { testEnvironment, type TestEnvironment } from '../../executor/testing.ts';
import type { StagingColumn } from './columns.ts';
import { stageJson } from './stage-json.ts';
import { readAhead } from '../../warehouse/duckdb/copy-local-json.ts';

const DEFAULT_INTO_TABLE_FROM = readAhead.intoTableFrom;

let env: TestEnvironment;
let logged: string[];

const columns: StagingColumn[] = [
  { name: 'artist', type: 'text' },
  { name: 'userid', field: 'userId', type: 'text', emptyAsNull: true },
  // Sparkify's userId: digits in a string, "" when logged out; read twice, as `ts` is.
  { name: 'uid', field: 'userId', type: 'integer', emptyAsNull: true },
  { name: 'n', type: 'integer' },
  { name: 'big', type: 'bigint' },
  { name: 'length', type: 'double' },
  { name: 'ts', type: 'epoch_ms_timestamp', required: true },
];
const TABLE_COLUMNS =
  'artist VARCHAR, userid VARCHAR, uid INTEGER, n INTEGER, big BIGINT, length DOUBLE, ts TIMESTAMP, _source_key VARCHAR, _source_line BIGINT';

beforeEach(async () => {
  env = await testEnvironment();
  logged = [];
  const wh = await env.connections.warehouse('warehouse');
  await wh.execute(`CREATE TABLE fast (${TABLE_COLUMNS}); CREATE TABLE slow (${TABLE_COLUMNS})`);
});
afterEach(async () => env.close());

const stage = (table: 'fast' | 'slow', key = 'log/{{ ds }}.json') =>
  stageJson({
    source: 'source',
    table,
    objects: { every: 'day', key },
    framing: 'ndjson',
    columns,
    rejectLimit: 1000,
    rejectWhere: [{ condition: 'n = 666', reason: 'n: unlucky' }],
    validate: (record) => (record.n === 666 ? 'n: unlucky' : undefined),
    warehouseCopy: table === 'fast',
  });

function context(start: string): TaskContext {
  const base = env.context('stage', start);
  const log = (m: string) => void logged.push(m);
  return { ...base, log: { info: log, warn: log, error: log } };
}

/** Stages `text` as one day's file both ways; whether DuckDB loaded it, and both tables' rows. */
async function stageBothWays(text: string | Buffer) {
  const store = await env.connections.objectStore('source');
  await store.put('log/2018-11-15.json', typeof text === 'string' ? text : new Uint8Array(text));
  logged = [];
  const fast = await stage('fast').execute(context('2018-11-15T10:00:00Z'));
  const declined = logged.find((m) => m.includes('read by the worker'));
  const loadedByDuckDb = logged.some((m) => /loaded by duckdb/.test(m));
  const slow = await stage('slow').execute(context('2018-11-15T10:00:00Z'));
  const wh = await env.connections.warehouse('warehouse');
  const rows = (table: string) =>
    wh.query(`SELECT * EXCLUDE (_source_key) FROM ${table} ORDER BY _source_line`);
  const rejects = (table: string) =>
    wh.query(`SELECT line, reason FROM _downbeat_rejects WHERE table_name = '${table}' ORDER BY line`);
  return {
    loadedByDuckDb,
    declined,
    fast: { outcome: fast, rows: await rows('fast'), rejects: await rejects('fast') },
    slow: { outcome: slow, rows: await rows('slow'), rejects: await rejects('slow') },
  };
}

/** Tables of files read ahead of their load and not yet released. */
async function scratchTables(): Promise<number> {
  const wh = await env.connections.warehouse('warehouse');
  const [row] = await wh.query<{ n: number }>(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = 'downbeat_scratch'",
  );
  return Number(row?.n);
}

const clean = (i: number) => ({
  artist: i % 3 === 0 ? null : `Artist ${i} "quoted" \\ é ✓ 𝄞`,
  userId: i % 4 === 0 ? '' : String(i),
  n: i,
  big: 9_007_199_254_740_991 - i,
  length: i % 5 === 0 ? 0.1 + i : -1.5e-300 * i,
  ts: 1_541_030_414_299 + i * 1000,
});
const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe.each([
  ['read twice', Number.POSITIVE_INFINITY],
  ['read into a table', 0],
])('stageJson into DuckDB from a local folder, each file %s', (_, intoTableFrom) => {
  beforeEach(() => {
    readAhead.intoTableFrom = intoTableFrom;
  });
  afterEach(() => {
    readAhead.intoTableFrom = DEFAULT_INTO_TABLE_FROM;
  });

  it('lets DuckDB load a clean file, giving the rows and line numbers the worker gives', async () => {
    const records = Array.from({ length: 500 }, (_, i) => clean(i + 1));
    // A missing field is null, as JSON null is; an extra field is ignored.
    records.push({ ts: 1_541_030_414_299, extra: [1, { a: 2 }] } as never);
    const result = await stageBothWays(ndjson(records));
    expect(result.declined).toBeUndefined();
    expect(result.loadedByDuckDb).toBe(true);
    expect(result.fast.rows).toHaveLength(501);
    expect(result.fast.rows).toEqual(result.slow.rows);
    expect(result.fast.outcome.rowsWritten).toEqual({ fast: 501 });
    expect(result.fast.rows[500]).toMatchObject({ artist: null, userid: null, _source_line: 501 });
  });

  const clear: [string, string][] = [
    ['no final newline', ndjson([clean(1), clean(2)]).trimEnd()],
    ['CRLF line ends', ndjson([clean(1), clean(2)]).replaceAll('\n', '\r\n')],
    ['digits in a string for a whole number', ndjson([clean(1), { ...clean(2), n: '-42' }])],
  ];
  it.each(clear)('lets DuckDB load a file with %s, with the same result', async (_, text) => {
    const result = await stageBothWays(text);
    expect(result.declined).toBeUndefined();
    expect(result.loadedByDuckDb).toBe(true);
    expect(result.fast.rows).toEqual(result.slow.rows);
  });

  const doubtful: [string, string | Buffer][] = [
    ['an empty line', `${JSON.stringify(clean(1))}\n\n${JSON.stringify(clean(2))}\n`],
    ['a line of spaces', `${JSON.stringify(clean(1))}\n   \n${JSON.stringify(clean(2))}\n`],
    ['a number where text is expected', ndjson([clean(1), { ...clean(2), artist: 112.0 }])],
    ['digits with a space for a whole number', ndjson([clean(1), { ...clean(2), userId: ' 42' }])],
    ['digits past 32 bits for a whole number', ndjson([clean(1), { ...clean(2), userId: '4294967296' }])],
    ['a fraction for a whole number', ndjson([clean(1), { ...clean(2), n: 1.5 }])],
    ['a whole number as 1.0', ndjson([clean(1)]) + '{"n": 1.0, "ts": 5}\n'],
    ['a 32-bit overflow', ndjson([clean(1), { ...clean(2), n: 2 ** 31 }])],
    ['an integer past 2^53', ndjson([clean(1)]) + '{"big": 9007199254740993, "ts": 5}\n'],
    ['an infinite double', ndjson([clean(1)]) + '{"length": 1e400, "ts": 5}\n'],
    ['a boolean for text', ndjson([clean(1), { ...clean(2), artist: true }])],
    ['an object for text', ndjson([clean(1), { ...clean(2), artist: { name: 'x' } }])],
    ['a timestamp as text', ndjson([clean(1), { ...clean(2), ts: '2018-11-01' }])],
    ['a missing required field', ndjson([clean(1), { n: 3 }])],
    ['a record the rules reject', ndjson([clean(1), clean(666)])],
    ['malformed JSON', `${JSON.stringify(clean(1))}\n{"ts": 5,\n`],
    ['an array for a record', `${JSON.stringify(clean(1))}\n[1, 2]\n`],
    ['a duplicate key', `${JSON.stringify(clean(1))}\n{"ts": 1, "ts": 2}\n`],
    ['a byte order mark', `\uFEFF${ndjson([clean(1)])}`],
    ['a lone surrogate', `${JSON.stringify(clean(1))}\n{"artist": "\\ud800", "ts": 5}\n`],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from('{"artist": "'), Buffer.from([0xff]), Buffer.from('", "ts": 5}\n')]),
    ],
    ['a record over the size limit', ndjson([clean(1), { ...clean(2), artist: 'x'.repeat(1 << 20) }])],
  ];
  it.each(doubtful)('leaves a file with %s to the worker, with the same result', async (_, text) => {
    const result = await stageBothWays(text);
    expect(result.declined).toBeDefined();
    expect(result.loadedByDuckDb).toBe(false);
    expect(result.fast.rows).toEqual(result.slow.rows);
    expect(result.fast.rejects).toEqual(result.slow.rejects);
    expect(await scratchTables()).toBe(0);
  });

  it('leaves a file whose name DuckDB would read as a pattern to the worker', async () => {
    const store = await env.connections.objectStore('source');
    await store.put('log/[x]2018-11-15.json', ndjson([clean(1), clean(2)]));
    // Another file the pattern [x]… matches: DuckDB would read both as one.
    await store.put('log/x2018-11-15.json', ndjson([clean(3), clean(4)]));
    const oddName = stage('fast', 'log/[x]{{ ds }}.json');
    logged = [];
    const outcome = await oddName.execute(context('2018-11-15T10:00:00Z'));
    expect(outcome.rowsWritten).toEqual({ fast: 2 });
    const wh = await env.connections.warehouse('warehouse');
    expect((await wh.query('SELECT n FROM fast ORDER BY _source_line')).map((r) => r.n)).toEqual([1, 2]);
    expect(logged.join('\n')).toContain('characters DuckDB reads as a pattern');
  });

  it('fails a gzip file as the worker does, though DuckDB would unpack a .gz by its name', async () => {
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-15.json.gz', new Uint8Array(gzipSync(ndjson([clean(1), clean(2)]))));
    const gz = stage('fast', 'log/{{ ds }}.json.gz');
    await expect(gz.execute(context('2018-11-15T10:00:00Z'))).rejects.toThrow(
      'log/2018-11-15.json.gz:1: gzip-compressed, not JSON text',
    );
    const wh = await env.connections.warehouse('warehouse');
    expect(await wh.query('SELECT * FROM fast')).toEqual([]);
  });

  it('gives the same rows either way on random files', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] as T;
    const texts = ['', ' ', 'a', 'é', '\u0000', '\n', '"', '\\', '𝄞', '\u2028', 'x'.repeat(300)];
    const numbers = [0, -0, 1, -1, 0.1, 5e-324, 1.7976931348623157e308, 2 ** 31 - 1, -(2 ** 31), 123456.789];
    const wholes = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53 - 1)];
    let loaded = 0;
    for (let file = 0; file < 12; file += 1) {
      const records = Array.from({ length: 40 }, () => {
        const record: Record<string, unknown> = { ts: pick([0, 1, -1, 8.64e15, 1_541_030_414_299]) };
        if (random() < 0.8) record.artist = pick([...texts, null]);
        if (random() < 0.8) record.userId = pick(['', '12', '-7', '2147483647', null]);
        if (random() < 0.8) record.n = pick([...wholes.filter((w) => Math.abs(w) < 2 ** 31), null]);
        if (random() < 0.8) record.big = pick([...wholes, null]);
        if (random() < 0.8) record.length = pick([...numbers, ...wholes, null]);
        return record;
      });
      // Half the files get one odd value somewhere.
      if (file % 2 === 1) {
        const odd = records[Math.floor(random() * records.length)] as Record<string, unknown>;
        odd[pick(['artist', 'userId', 'n', 'big', 'length', 'ts'])] = pick([
          '7',
          ' 7',
          7.5,
          true,
          [],
          2 ** 40,
          '',
          2 ** 64,
        ]);
      }
      const result = await stageBothWays(ndjson(records));
      if (result.loadedByDuckDb) loaded += 1;
      expect(result.fast.rows).toEqual(result.slow.rows);
      expect(result.fast.rejects).toEqual(result.slow.rejects);
    }
    expect(loaded).toBeGreaterThanOrEqual(6);
  });
});

describe('stageJson into DuckDB, a file read into a table', () => {
  // The large file would be anyway; the small one is made to.
  beforeEach(() => {
    readAhead.intoTableFrom = 0;
  });
  afterEach(() => {
    readAhead.intoTableFrom = DEFAULT_INTO_TABLE_FROM;
  });

  it('keeps the line numbers of a file DuckDB reads on several threads, and holds nothing read after', async () => {
    // ~90 MB: DuckDB splits a newline-delimited file this large between its threads (one of
    // 46 MB it reads on one). Each record's `big` is its line.
    const store = await env.connections.objectStore('source');
    const records = Array.from({ length: 250_000 }, (_, i) => ({
      ...clean(i + 1),
      n: 1000 + i,
      big: i + 1,
      artist: `${'x'.repeat(250)} ${i}`,
    }));
    await store.put('log/2018-11-15.json', ndjson(records));
    logged = [];
    await stage('fast').execute(context('2018-11-15T10:00:00Z'));
    expect(logged.some((m) => /loaded by duckdb/.test(m))).toBe(true);
    const wh = await env.connections.warehouse('warehouse');
    const [row] = await wh.query<{ rows: number; misplaced: number }>(
      'SELECT count(*) AS rows, count(*) FILTER (WHERE _source_line <> big) AS misplaced FROM fast',
    );
    expect(row).toEqual({ rows: 250_000, misplaced: 0 });
    expect(await scratchTables()).toBe(0);
  });

  it('declines when DuckDB may reorder rows (preserve_insertion_order off), with the same result', async () => {
    const wh = await env.connections.warehouse('warehouse');
    await wh.execute('SET preserve_insertion_order = false');
    const result = await stageBothWays(ndjson([clean(1), clean(2), clean(3)]));
    expect(result.declined).toMatch(/preserve_insertion_order is off/);
    expect(result.fast.rows).toEqual(result.slow.rows);
    await wh.execute('SET preserve_insertion_order = true');
  });
});

describe("stageJson into DuckDB, a range run's day files read together", () => {
  it('loads clean files in one read and one insert, and leaves a rejecting or doubtful file to the worker, with the same rows', async () => {
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-14.json', ndjson(Array.from({ length: 300 }, (_, i) => clean(i + 1))));
    // A record the stage's rule rejects (n = 666), at line 3.
    await store.put('log/2018-11-15.json', ndjson([clean(1), clean(2), { ...clean(3), n: 666 }, clean(4)]));
    // A value in doubt (a fraction for a whole number): the worker's reader rejects it, at line 2.
    await store.put('log/2018-11-16.json', ndjson([clean(5), { ...clean(6), n: 1.5 }]));
    await store.put('log/2018-11-17.json', '');
    const range = (): TaskContext => {
      const start = new Date('2018-11-14T00:00:00Z');
      const end = new Date('2018-11-18T00:00:00Z');
      return { ...context(start.toISOString()), dataInterval: { start, end } };
    };
    logged = [];
    const fast = await stage('fast').execute(range());
    const loaded = logged.filter((m) => /loaded by duckdb/.test(m)).map((m) => m.slice(0, 19));
    const declined = logged.filter((m) => m.includes('read by the worker')).map((m) => m.slice(0, 19));
    expect(loaded).toEqual(['log/2018-11-14.json', 'log/2018-11-17.json']); // an empty day: 0 rows
    expect(declined).toEqual(['log/2018-11-15.json', 'log/2018-11-16.json']);
    const slow = await stage('slow').execute(range());
    expect(fast.rowsWritten).toEqual({ fast: 304 });
    expect(slow.rowsWritten).toEqual({ slow: 304 });
    const wh = await env.connections.warehouse('warehouse');
    const rows = (table: string) => wh.query(`SELECT * FROM ${table} ORDER BY _source_key, _source_line`);
    expect(await rows('fast')).toEqual(await rows('slow'));
    const rejects = (table: string) =>
      wh.query(`SELECT object_key, line FROM _downbeat_rejects WHERE table_name = '${table}' ORDER BY 1, 2`);
    expect(await rejects('fast')).toEqual([
      { object_key: 'log/2018-11-15.json', line: 3 },
      { object_key: 'log/2018-11-16.json', line: 2 },
    ]);
    expect(await rejects('fast')).toEqual(await rejects('slow'));
    expect(await scratchTables()).toBe(0);
  });
});
