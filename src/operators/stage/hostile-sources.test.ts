/**
 * Hostile sources (issue #7): what Stage_events and Stage_songs answer when a source object is
 * not what it should be. Each is refused with its key and line, in bounded memory, and leaves the
 * staging tables as they were; the odd-but-valid ones (a BOM, an empty day, many tiny files) load.
 * RELIABILITY.md tabulates the answers and the figures measured here.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventColumns, songColumns, validateEvent } from '../../../pipelines/sparkify/staging-columns.ts';
import { createTables } from '../../../pipelines/sparkify/sql.ts';
import { TaskFailure, type Operator, type TaskContext } from '../../dag/index.ts';
import { testEnvironment, type TestEnvironment } from '../../executor/testing.ts';
import type { ObjectBody, ObjectStore, Warehouse } from '../../ports/index.ts';
import { readJsonRecords, type JsonFraming } from './json-records.ts';
import { stageJson } from './stage-json.ts';
import { tinySong, tinySongKey, withPeakMemory, writeTinySongFiles } from './testing.ts';

const MiB = 1 << 20;
const DAY_KEY = 'log_data/2018/11/2018-11-02-events.json';
const DAY_HOUR = '2018-11-02T10:00:00Z';
const SONG_KEY = 'song_data/B/B/B/TRBBB128F0000001.json';

// Sparkify's two stages as its DAG declares them, reading the test's `source` connection.
const stageEvents = stageJson({
  source: 'source',
  table: 'staging_events',
  objects: { every: 'day', key: 'log_data/{{ YYYY }}/{{ MM }}/{{ ds }}-events.json' },
  framing: 'ndjson',
  columns: eventColumns,
  validate: validateEvent,
});
const stageSongs = stageJson({
  source: 'source',
  table: 'staging_songs',
  objects: { prefix: 'song_data/', suffix: '.json' },
  framing: 'json',
  columns: songColumns,
});

const event = (i: number, extra: Record<string, unknown> = {}) => ({
  artist: "Des'ree",
  auth: 'Logged In',
  firstName: 'Kaylee',
  gender: 'F',
  itemInSession: i,
  lastName: 'Summers',
  length: 246.30812,
  level: 'free',
  location: 'Phoenix-Mesa-Scottsdale, AZ',
  method: 'PUT',
  page: 'NextSong',
  registration: 1540344794796,
  sessionId: 139,
  song: 'You Gotta Be',
  status: 200,
  ts: Date.parse('2018-11-01T10:00:00Z') + i * 1000,
  userAgent: 'Mozilla/5.0',
  userId: '8',
  ...extra,
});
const ndjson = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

let env: TestEnvironment;
let store: ObjectStore;
let warehouse: Warehouse;
let logged: string[];
/** Bytes the stages have read from the store since the test began. */
let bytesRead: number;
let before: string;

beforeEach(async () => {
  env = await testEnvironment();
  store = await env.connections.objectStore('source');
  warehouse = await env.connections.warehouse('warehouse');
  for (const statement of createTables) await warehouse.execute(statement);
  // A good day and a good song, staged: what every hostile case must leave untouched.
  await store.put('log_data/2018/11/2018-11-01-events.json', ndjson([event(0), event(1), event(2)]));
  await store.put('song_data/A/A/A/TRAAA128F0000001.json', tinySong(1));
  logged = [];
  await run(stageEvents, '2018-11-01T10:00:00Z');
  await run(stageSongs, '2018-11-01T10:00:00Z');
  before = await stagingTables();
  bytesRead = 0;
  const get = store.get.bind(store);
  store.get = async (key: string): Promise<ObjectBody> => {
    const object = await get(key);
    return { info: object.info, body: counted(object.body) };
  };
});
afterEach(async () => env.close());

async function* counted(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    bytesRead += chunk.length;
    yield chunk;
  }
}

function context(taskId: string, start: string): TaskContext {
  const base = env.context(taskId, start);
  const log = (line: string) => void logged.push(line);
  return { ...base, log: { info: log, warn: log, error: log } };
}
const run = (stage: Operator, start: string) => stage.execute(context('stage', start));
async function failure(stage: Operator, start = DAY_HOUR): Promise<Error & { code?: string }> {
  const error = await run(stage, start).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error('expected the stage to fail');
  return error;
}

/** Both staging tables, every row, as text. */
async function stagingTables(): Promise<string> {
  const events = await warehouse.query('SELECT * FROM staging_events ORDER BY _source_key, _source_line');
  const songs = await warehouse.query('SELECT * FROM staging_songs ORDER BY _source_key, _source_line');
  return JSON.stringify({ events, songs });
}
/** Everything the warehouse holds, bookkeeping included, as text. */
async function everything(): Promise<string> {
  const tables = await warehouse.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'",
  );
  const dump: Record<string, unknown> = {};
  for (const { name } of tables) dump[name] = await warehouse.query(`SELECT * FROM "${name}"`);
  return JSON.stringify(dump);
}

/** Writes `head`, then `megabytes` MiB of `x`, to a file, never holding more than 1 MiB. */
async function writeHugeFile(key: string, head: string, megabytes: number): Promise<void> {
  const path = join(env.sourceFolder, key);
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const filler = Buffer.alloc(MiB, 'x');
  out.write(head);
  for (let i = 0; i < megabytes; i += 1) if (!out.write(filler)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** `length` bytes from a seeded PRNG (mulberry32): the same every run. */
function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let a = seed;
  for (let i = 0; i < length; i += 1) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return bytes;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytesOf = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

describe('refused with the key and line, and nothing staged', () => {
  it('random bytes (1 MiB, seeded) as a day file and as a song file: binary data', async () => {
    const random = randomBytes(MiB, 7);
    const nul = random.indexOf(0);
    const line = 1 + random.subarray(0, nul).filter((b) => b === 0x0a).length;
    const reason = `binary data, not JSON text (a NUL byte at byte ${nul + 1})`;
    await store.put(DAY_KEY, random);
    await store.put(SONG_KEY, random);
    const { result: day, peak } = await withPeakMemory(() => failure(stageEvents));
    expect(day).toMatchObject({ code: 'source_unreadable' });
    expect(day.message).toBe(`${DAY_KEY}:${line}: ${reason}. Nothing of it was staged into staging_events`);
    const song = await failure(stageSongs);
    expect(song).toMatchObject({ code: 'source_unreadable' });
    expect(song.message).toBe(`${SONG_KEY}:${line}: ${reason}. Nothing of it was staged into staging_songs`);
    expect(await stagingTables()).toBe(before);
    expect(peak.heapMb).toBeLessThan(200);
  });

  it('random bytes with no NUL byte: every line rejected as not UTF-8, the first ones named', async () => {
    const random = randomBytes(MiB, 11).map((b) => (b === 0 ? 1 : b));
    await store.put(DAY_KEY, random);
    const error = await failure(stageEvents);
    expect(error).toBeInstanceOf(TaskFailure);
    expect(error).toMatchObject({ code: 'source_rejected' });
    expect(error.message).toMatch(/^\d{4} source record\(s\) could not be loaded into staging_events/);
    expect(error.message).toMatch(
      /\n {2}log_data\/2018\/11\/2018-11-02-events\.json:1: not valid UTF-8 \(byte 0x[0-9a-f]{2} at byte \d+ of the line\)\n/,
    );
    expect(await stagingTables()).toBe(before);
  });

  it('a 100 MiB line that never ends, as NDJSON: rejected as too long, skipped without being held', async () => {
    await writeHugeFile(DAY_KEY, '{"ts":1541152800000,"artist":"', 100);
    const { result: error, peak } = await withPeakMemory(() => failure(stageEvents));
    expect(error).toMatchObject({ code: 'source_rejected' });
    expect(error.message).toContain(`\n  ${DAY_KEY}:1: line longer than 1048576 bytes`);
    expect(await stagingTables()).toBe(before);
    // NDJSON's lines after it would still be records, so the file is read to its end, 1 MiB at
    // a time, and none of the line is kept.
    expect(bytesRead).toBe(100 * MiB + 30);
    expect(peak.heapMb).toBeLessThan(64);
    expect(peak.rssMb).toBeLessThan(200);
  });

  it('a 100 MiB record that never ends, in a song file: refused after reading little more than 1 MiB', async () => {
    await writeHugeFile(SONG_KEY, '{"song_id":"SOHUGE","title":"', 100);
    const { result: error, peak } = await withPeakMemory(() => failure(stageSongs));
    expect(error).toMatchObject({ code: 'source_unreadable' });
    expect(error.message).toBe(
      `${SONG_KEY}:1: record longer than 1048576 bytes, so the file cannot be read past it. ` +
        'Nothing of it was staged into staging_songs',
    );
    expect(bytesRead).toBeLessThanOrEqual(3 * MiB);
    expect(peak.heapMb).toBeLessThan(64);
    expect(peak.rssMb).toBeLessThan(200);
    expect(await stagingTables()).toBe(before);
  });

  it('invalid UTF-8 inside an otherwise valid line or record: named with the byte and where it is', async () => {
    const line = JSON.stringify(event(0));
    const at = line.indexOf('Des');
    await store.put(DAY_KEY, bytesOf(line.slice(0, at), [0xc3, 0x28], line.slice(at), '\n'));
    const day = await failure(stageEvents);
    expect(day).toMatchObject({ code: 'source_rejected' });
    expect(day.message).toBe(
      '1 source record(s) could not be loaded into staging_events (reject limit 0):\n' +
        `  ${DAY_KEY}:1: not valid UTF-8 (byte 0xc3 at byte ${utf8(line.slice(0, at)).length + 1} of the line)`,
    );
    await store.put(SONG_KEY, bytesOf('{\n  "song_id": "SOBAD",\n  "title": "caf', [0xe9], '"\n}\n'));
    const song = await failure(stageSongs);
    expect(song.message).toContain(`\n  ${SONG_KEY}:1: not valid UTF-8 (byte 0xe9 at byte 40 of the record)`);
    expect(await stagingTables()).toBe(before);
  });

  it('a record with invalid UTF-8 among good ones is rejected alone: the records after it still load', async () => {
    // Before, the json framing stopped at the bad byte: the records after it were never read,
    // and a reject limit of 1 let half the file pass as the whole.
    const songs = [tinySong(10), tinySong(11), tinySong(12)];
    await store.put(
      SONG_KEY,
      bytesOf(
        songs[0] ?? '',
        '\n',
        '{"song_id":"SOBAD","title":"',
        [0xff],
        '"}\n',
        songs[1] ?? '',
        songs[2] ?? '',
      ),
    );
    const error = await failure(stageSongs);
    expect(error.message).toContain(
      `\n  ${SONG_KEY}:2: not valid UTF-8 (byte 0xff at byte 29 of the record)`,
    );
    const staged = await warehouse.query(
      `SELECT song_id, _source_line FROM staging_songs WHERE _source_key = '${SONG_KEY}' ORDER BY song_id`,
    );
    expect(staged).toEqual([
      { song_id: 'SO00000010', _source_line: 1 },
      { song_id: 'SO00000011', _source_line: 3 },
      { song_id: 'SO00000012', _source_line: 3 },
    ]);
  });

  it('a line that is one huge JSON string: the reject quotes 40 characters of it, not all', async () => {
    await store.put(DAY_KEY, `"${'x'.repeat(500_000)}"\n`);
    const error = await failure(stageEvents);
    expect(error.message).toBe(
      '1 source record(s) could not be loaded into staging_events (reject limit 0):\n' +
        `  ${DAY_KEY}:1: expected a JSON object, got "${'x'.repeat(40)}…"`,
    );
  });

  it('JSON nested 100,000 levels deep: rejected unparsed, no stack overflow', async () => {
    const depth = 100_000;
    await store.put(DAY_KEY, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}\n`);
    const day = await failure(stageEvents);
    expect(day.message).toContain(`\n  ${DAY_KEY}:1: nested deeper than 1000 levels`);
    await store.put(SONG_KEY, `${'['.repeat(depth)}${']'.repeat(depth)}`);
    const song = await failure(stageSongs);
    expect(song.message).toContain(`\n  ${SONG_KEY}:1: nested deeper than 1000 levels`);
    // A top-level array whose elements nest deep, and one that never closes.
    await store.put(SONG_KEY, `[${'{"a":'.repeat(999)}1${'}'.repeat(999)}, ${'['.repeat(depth)}`);
    const open = await failure(stageSongs);
    expect(open.message).toContain(`\n  ${SONG_KEY}:1: truncated JSON: the file ends inside this record`);
    expect(await stagingTables()).toBe(before);
  });

  it('a gzip file with a .json name: said to be gzip-compressed, and the files staged with it wait', async () => {
    await store.put(DAY_KEY, gzipSync(ndjson([event(5), event(6)])));
    const day = await failure(stageEvents);
    expect(day).toMatchObject({ code: 'source_unreadable' });
    expect(day.message).toBe(
      `${DAY_KEY}:1: gzip-compressed, not JSON text (it starts with the bytes 1f 8b): decompress it before ` +
        'staging it. Nothing of it was staged into staging_events',
    );
    await store.put(SONG_KEY, gzipSync(tinySong(20)));
    await store.put('song_data/C/C/C/TRCCC128F0000001.json', tinySong(21));
    const song = await failure(stageSongs);
    expect(song.message).toBe(
      `${SONG_KEY}:1: gzip-compressed, not JSON text (it starts with the bytes 1f 8b): decompress it before ` +
        'staging it. Nothing of it was staged into staging_songs (nor of the 1 other object(s) staged with it)',
    );
    expect(await stagingTables()).toBe(before);
    // Once it is fixed, the next run stages both.
    await store.put(SONG_KEY, tinySong(20));
    expect((await run(stageSongs, DAY_HOUR)).rowsWritten).toEqual({ staging_songs: 2 });
  });
});

describe('keys and links that lead outside the source root: refused, and nothing outside is read', () => {
  const SECRET = 'SECRET-2b7e1516-outside-the-root';
  let outside: string;
  beforeEach(async () => {
    outside = join(env.root, 'outside');
    await mkdir(join(outside, 'songs'), { recursive: true });
    // Valid records: had any of them been read, they would have been staged.
    await writeFile(join(outside, 'secret-events.json'), ndjson([event(7, { artist: SECRET })]));
    await writeFile(join(outside, '2018-12-01-events.json'), ndjson([event(8, { artist: SECRET })]));
    await writeFile(
      join(outside, 'songs', 'TRSECRET.json'),
      JSON.stringify({ ...JSON.parse(tinySong(30)), title: SECRET }),
    );
  });
  afterEach(async () => {
    expect(await everything()).not.toContain(SECRET);
    expect(logged.join('\n')).not.toContain(SECRET);
    await rm(outside, { recursive: true, force: true });
  });

  const dayStage = (key: string) =>
    stageJson({
      source: 'source',
      table: 'staging_events',
      objects: { every: 'day', key },
      framing: 'ndjson',
      columns: eventColumns,
    });
  const catalogStage = (prefix: string) =>
    stageJson({
      source: 'source',
      table: 'staging_songs',
      objects: { prefix },
      framing: 'json',
      columns: songColumns,
    });

  it.each([
    ['../../etc/passwd', 'contains a "." or ".." segment'],
    ['log_data/../../outside/secret-events.json', 'contains a "." or ".." segment'],
    ['/etc/passwd', 'keys are relative, not absolute'],
    [`${'/'}${'x'}/../../etc/passwd`, 'keys are relative, not absolute'],
  ])('a key %j: invalid_key, %s', async (key, reason) => {
    const error = await failure(dayStage(key));
    expect(error).toMatchObject({ code: 'invalid_key', message: `invalid object key "${key}": ${reason}` });
    expect(error.message).not.toContain(SECRET);
    expect(bytesRead).toBe(0);
  });

  it('a catalog prefix that leaves the root: invalid_key', async () => {
    for (const [prefix, folder] of [
      ['../outside/', '../outside'],
      ['/etc/', '/etc'],
    ] as const) {
      const error = await failure(catalogStage(prefix));
      expect(error).toMatchObject({ code: 'invalid_key' });
      expect(error.message).toMatch(new RegExp(`^invalid object key "${folder.replaceAll('.', '\\.')}"`));
    }
    expect(bytesRead).toBe(0);
  });

  it('%2e%2e in a key is a name, never decoded into "..": the object is missing, nothing outside read', async () => {
    const key = '%2e%2e/%2e%2e/outside/secret-events.json';
    const error = await failure(dayStage(key));
    expect(error).toMatchObject({ code: 'source_missing' });
    expect(error.message).toBe(
      `${key} not found in ${store.location}: the data for this interval may be late`,
    );
    expect(bytesRead).toBe(0);
  });

  it('a day file that is a link to a file outside: invalid_key, it leads outside the store', async () => {
    await mkdir(join(env.sourceFolder, 'log_data/2018/11'), { recursive: true });
    await symlink(join(outside, 'secret-events.json'), join(env.sourceFolder, DAY_KEY));
    const error = await failure(stageEvents);
    expect(error).toMatchObject({
      code: 'invalid_key',
      message: `invalid object key "${DAY_KEY}": it leads outside the store`,
    });
    expect(bytesRead).toBe(0);
    expect(await stagingTables()).toBe(before);
  });

  it('a month folder that is a link to a folder outside: invalid_key for the day file in it', async () => {
    await symlink(outside, join(env.sourceFolder, 'log_data/2018/12'));
    const error = await failure(stageEvents, '2018-12-01T10:00:00Z');
    expect(error).toMatchObject({
      code: 'invalid_key',
      message: 'invalid object key "log_data/2018/12/2018-12-01-events.json": it leads outside the store',
    });
    expect(bytesRead).toBe(0);
    expect(await stagingTables()).toBe(before);
  });

  it('song files and folders linked from outside into the catalog: not part of it, never read', async () => {
    await symlink(join(outside, 'songs'), join(env.sourceFolder, 'song_data/S'));
    await symlink(
      join(outside, 'songs', 'TRSECRET.json'),
      join(env.sourceFolder, 'song_data/A/A/A/TRLINK.json'),
    );
    await store.put('song_data/C/C/C/TRCCC128F0000001.json', tinySong(21));
    const result = await run(stageSongs, DAY_HOUR);
    expect(result.rowsWritten).toEqual({ staging_songs: 1 });
    expect(result.summary).toMatch(/^2 object\(s\), 2 row\(s\) staged/);
    expect(bytesRead).toBe(tinySong(21).length);
  });
});

describe('loaded correctly', () => {
  it('a UTF-8 BOM at the start of an NDJSON day file', async () => {
    await store.put(DAY_KEY, `\uFEFF${ndjson([event(0), event(1)])}`);
    const result = await run(stageEvents, DAY_HOUR);
    expect(result.rowsWritten).toEqual({ staging_events: 2 });
    expect(
      await warehouse.query(
        `SELECT artist, iteminsession, _source_line FROM staging_events WHERE _source_key = '${DAY_KEY}' ORDER BY 3`,
      ),
    ).toEqual([
      { artist: "Des'ree", iteminsession: 0, _source_line: 1 },
      { artist: "Des'ree", iteminsession: 1, _source_line: 2 },
    ]);
  });

  it('a UTF-8 BOM before a pretty-printed song, and before each of two files concatenated', async () => {
    const pretty = (i: number) => `\uFEFF${JSON.stringify(JSON.parse(tinySong(i)), null, 2)}\n`;
    await store.put(SONG_KEY, pretty(40));
    await store.put('song_data/C/C/C/TRCCC128F0000001.json', pretty(41) + pretty(42));
    const result = await run(stageSongs, DAY_HOUR);
    expect(result.rowsWritten).toEqual({ staging_songs: 3 });
    expect(
      await warehouse.query(
        "SELECT song_id, title, _source_line FROM staging_songs WHERE song_id IN ('SO00000040', 'SO00000041', 'SO00000042') ORDER BY 1",
      ),
    ).toEqual([
      { song_id: 'SO00000040', title: 'Song 40', _source_line: 1 },
      { song_id: 'SO00000041', title: 'Song 41', _source_line: 1 },
      { song_id: 'SO00000042', title: 'Song 42', _source_line: 13 },
    ]);
  });

  it('a file of 0 bytes: an empty day, and a song file with no songs', async () => {
    await store.put(DAY_KEY, '');
    const day = await run(stageEvents, DAY_HOUR);
    expect(day.rowsWritten).toEqual({ staging_events: 0 });
    expect(day.summary).toBe('1 object(s) for the interval, 0 row(s) staged, 0 now');
    await store.put(SONG_KEY, '');
    const songs = await run(stageSongs, DAY_HOUR);
    expect(songs.summary).toMatch(/^2 object\(s\), 1 row\(s\) staged, 0 now$/);
    expect(await stagingTables()).toBe(before);
  });

  it('5,000 tiny song files through the catalog path, in bounded time and memory (100,000: bench/hostile-sources.ts)', async () => {
    const files = 5000;
    await writeTinySongFiles(env.sourceFolder, files);
    const started = performance.now();
    const { result, peak } = await withPeakMemory(() => run(stageSongs, DAY_HOUR));
    const seconds = (performance.now() - started) / 1000;
    expect(result.rowsWritten).toEqual({ staging_songs: files });
    // Song 1 is also the one staged before each test, under another key.
    expect(await warehouse.query('SELECT COUNT(DISTINCT song_id) AS n FROM staging_songs')).toEqual([
      { n: files },
    ]);
    expect(
      await warehouse.query(`SELECT title FROM staging_songs WHERE _source_key = '${tinySongKey(4321)}'`),
    ).toEqual([{ title: 'Song 4321' }]);
    expect(seconds).toBeLessThan(30);
    expect(peak.heapMb).toBeLessThan(200);
  });
});

describe('the parser alone, on 100 MiB that is never held', () => {
  /** 1 MiB chunks of `x` after `head`, the same buffer each time: nothing of it is kept here. */
  async function* endless(head: string, megabytes: number, counter: { bytes: number }) {
    const filler = new Uint8Array(MiB).fill(0x78);
    counter.bytes += head.length;
    yield utf8(head);
    for (let i = 0; i < megabytes; i += 1) {
      counter.bytes += MiB;
      yield filler;
    }
  }

  it.each<[JsonFraming, string, number]>([
    ['ndjson', 'line longer than 1048576 bytes', 100 * MiB],
    ['json', 'record longer than 1048576 bytes, so the file cannot be read past it', 2 * MiB],
  ])('%s: %s, after reading at most %d bytes', async (framing, reason, readAtMost) => {
    const counter = { bytes: 0 };
    const { result, peak } = await withPeakMemory(async () => {
      const records = [];
      for await (const record of readJsonRecords(endless('{"a":"', 100, counter), { framing }))
        records.push(record);
      return records;
    });
    expect(result).toEqual([{ line: 1, error: reason, ...(framing === 'json' ? { fatal: true } : {}) }]);
    expect(counter.bytes).toBeLessThanOrEqual(readAtMost + 6);
    expect(peak.heapMb).toBeLessThan(16);
  });
});
