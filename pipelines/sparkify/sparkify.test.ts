/**
 * The Sparkify pipeline end to end, on generated data and a real DuckDB warehouse: every hour of a
 * short period, in order and again out of order and concurrently, with independent expectations
 * computed from the source files themselves.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { runInProcess, type TaskRunResult } from '../../src/executor/index.ts';
import type { RunType } from '../../src/dag/index.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { generateSparkifyData } from './generate/index.ts';
import sparkify from './sparkify.dag.ts';
import { checksums } from './testing.ts';

const START = Date.parse('2018-11-01T00:00:00Z');
const HOURS = 48;
const hourAt = (i: number) => new Date(START + i * 3_600_000);

let root: string;
let source: string;
const open: Connections[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-sparkify-'));
  source = join(root, 'source');
  await generateSparkifyData(new LocalObjectStore(source), {
    start: new Date(START),
    end: hourAt(HOURS),
    users: 25,
    songs: 300,
    eventsPerDay: 400,
    matchRate: 0.3,
    seed: 7,
  });
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await rm(root, { recursive: true, force: true });
});

function connectionsFor(name: string, sourceFolder = source): Connections {
  const connections = new Connections(
    loadConfig({
      DOWNBEAT_HOME: join(root, name),
      DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${sourceFolder}`,
      DOWNBEAT_CONN_WAREHOUSE: `duckdb://${join(root, name, 'warehouse.duckdb')}`,
    }),
    sparkify.connectionDefaults,
  );
  open.push(connections);
  return connections;
}

function runHour(
  connections: Connections,
  logicalDate: Date,
  only?: string[],
  runType: RunType = 'manual',
): Promise<TaskRunResult[]> {
  return runInProcess({
    dag: sparkify,
    run: sparkify.runFor(logicalDate, runType),
    connections,
    only,
  });
}

function failures(results: TaskRunResult[]): string[] {
  return results
    .filter((r) => r.state !== 'success')
    .map((r) => `${r.taskId}: ${r.state === 'failed' ? r.error?.message : r.state}`);
}

interface Event {
  page: string;
  userId: string;
  level: string;
  ts: number;
  song: string | null;
  artist: string | null;
  length: number | null;
  sessionId: number;
  itemInSession: number;
}

/** What the warehouse must hold, computed from the source files without Downbeat. */
async function expectations() {
  const events: Event[] = [];
  for (const file of (await readdir(join(source, 'log_data'), { recursive: true })).filter((f) =>
    f.endsWith('.json'),
  )) {
    for (const line of (await readFile(join(source, 'log_data', file), 'utf8')).split('\n')) {
      if (line.trim()) events.push(JSON.parse(line) as Event);
    }
  }
  const plays = events.filter((e) => e.page === 'NextSong');
  const songs = new Map<string, { title: string; artist: string; duration: number; artist_id: string }>();
  for (const file of (await readdir(join(source, 'song_data'), { recursive: true })).filter((f) =>
    f.endsWith('.json'),
  )) {
    const text = await readFile(join(source, 'song_data', file), 'utf8');
    // Song files may hold several records, pretty-printed or one after another.
    for (const part of text.replace(/}\s*{/g, '}\n\u0000{').split('\u0000')) {
      const song = JSON.parse(part) as {
        song_id: string;
        title: string;
        artist_name: unknown;
        duration: number;
        artist_id: string;
      };
      songs.set(song.song_id, {
        title: song.title,
        artist: String(song.artist_name),
        duration: song.duration,
        artist_id: song.artist_id,
      });
    }
  }
  const catalog = new Set([...songs.values()].map((s) => `${s.title}\u0000${s.artist}\u0000${s.duration}`));
  const latest = new Map<string, Event>();
  for (const play of plays) {
    const seen = latest.get(play.userId);
    if (!seen || play.ts > seen.ts || (play.ts === seen.ts && play.sessionId > seen.sessionId))
      latest.set(play.userId, play);
  }
  return {
    songplays: plays.length,
    matched: plays.filter((p) => catalog.has(`${p.song}\u0000${p.artist}\u0000${p.length}`)).length,
    users: new Map([...latest].map(([id, e]) => [Number(id), e.level])),
    songs: songs.size,
    artists: new Set([...songs.values()].map((s) => s.artist_id)).size,
    times: new Set(plays.map((p) => p.ts)).size,
    quietHours: Array.from({ length: HOURS }, (_, i) => i).filter(
      (i) => !plays.some((p) => p.ts >= hourAt(i).getTime() && p.ts < hourAt(i + 1).getTime()),
    ).length,
  };
}

describe('sparkify_etl on generated data', () => {
  let reference: Record<string, string>;

  it('loads every hour in order, and the warehouse matches the source', async () => {
    const connections = connectionsFor('in-order');
    for (let i = 0; i < HOURS; i += 1) expect(failures(await runHour(connections, hourAt(i)))).toEqual([]);
    const warehouse = await connections.warehouse('warehouse');
    const expected = await expectations();
    const count = async (sql: string) => (await warehouse.query(sql))[0]?.n;
    expect(await count('SELECT COUNT(*) AS n FROM songplays')).toBe(expected.songplays);
    expect(await count('SELECT COUNT(songid) AS n FROM songplays')).toBe(expected.matched);
    expect(expected.matched).toBeGreaterThan(0);
    expect(await count('SELECT COUNT(*) AS n FROM songs')).toBe(expected.songs);
    expect(await count('SELECT COUNT(*) AS n FROM artists')).toBe(expected.artists);
    expect(await count('SELECT COUNT(*) AS n FROM "time"')).toBe(expected.times);
    const users = await warehouse.query<{ userid: number; level: string }>(
      'SELECT userid, level FROM users ORDER BY userid',
    );
    expect(new Map(users.map((u) => [u.userid, u.level]))).toEqual(expected.users);
    // Hours without plays exist and pass their checks (there is no "not empty" check).
    expect(expected.quietHours).toBeGreaterThan(0);
    reference = await checksums(warehouse);
  });

  it('gives the same tables when hours run again, out of order and several at once', async () => {
    const connections = connectionsFor('shuffled');
    const order = Array.from({ length: HOURS }, (_, i) => (i * 19) % HOURS);
    const again = [5, 5, 30, 0, 47];
    const queue = [...order, ...again];
    const workers = Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        expect(failures(await runHour(connections, hourAt(next)))).toEqual([]);
      }
    });
    await Promise.all(workers);
    expect(await checksums(await connections.warehouse('warehouse'))).toEqual(reference);
  });

  it('fails an hour whose day file has a broken line, naming KEY:LINE, and leaves its rows as they were', async () => {
    const broken = join(root, 'broken-source');
    await generateSparkifyData(new LocalObjectStore(broken), {
      start: new Date(START),
      end: hourAt(24),
      users: 10,
      songs: 50,
      seed: 3,
    });
    const connections = connectionsFor('broken', broken);
    expect(failures(await runHour(connections, hourAt(12)))).toEqual([]);
    const warehouse = await connections.warehouse('warehouse');
    const before = await checksums(warehouse);

    const key = 'log_data/2018/11/2018-11-01-events.json';
    const lines = (await readFile(join(broken, key), 'utf8')).trimEnd().split('\n');
    await appendFile(
      join(broken, key),
      '{"artist":"cut off","auth":"Logged In","sessionId":\n{"page":"NextSong","sessionId":"abc","ts":1541073600000}\n',
    );
    const results = await runHour(connections, hourAt(12));
    const stage = results.find((r) => r.taskId === 'Stage_events');
    expect(stage?.state).toBe('failed');
    const message = stage?.state === 'failed' ? (stage.error?.message ?? '') : '';
    expect(message).toContain(`${key}:${lines.length + 1}: not valid JSON`);
    expect(message).toContain(`${key}:${lines.length + 2}: sessionId: expected a whole number, got "abc"`);
    expect(results.find((r) => r.taskId === 'Load_songplays_fact_table')?.state).toBe('upstream_failed');
    expect(await checksums(warehouse)).toEqual(before);

    // A backfill does not wait for a missing day file (a scheduled or manual run would, an hour).
    const missing = await runHour(connections, hourAt(30), undefined, 'backfill');
    expect(failures(missing)[0]).toMatch(
      /^Stage_events: log_data\/2018\/11\/2018-11-02-events\.json not found in file:\/\//,
    );
  });

  it('fails the data-quality task with the check, expected and actual values', async () => {
    const connections = connectionsFor('in-order');
    const warehouse = await connections.warehouse('warehouse');
    await warehouse.execute(
      "INSERT INTO songplays (playid, start_time, userid, level) VALUES ('x', TIMESTAMP '2018-11-01 10:30:00', 999999, 'free')",
    );
    const [quality] = await runHour(connections, hourAt(10), ['Run_data_quality_checks']);
    expect(quality?.state).toBe('failed');
    if (quality?.state !== 'failed') return;
    expect(quality.error?.code).toBe('data_quality');
    expect(quality.error?.message).toContain('songplays.userid references users.userid: expected 0, got 1');
    expect(quality.error?.message).toMatch(
      /NextSong events in the interval = songplays in the interval: expected \d+, got \d+/,
    );
    expect(quality.outcome.checks?.filter((c) => !c.passed).map((c) => c.name)).toEqual([
      'songplays.userid references users.userid',
      'NextSong events in the interval = songplays in the interval',
    ]);
  });

  it('catches a repeated playid or start_time, which no primary key stops in DuckDB', async () => {
    const connections = connectionsFor('in-order');
    const warehouse = await connections.warehouse('warehouse');
    const hour =
      "start_time >= TIMESTAMP '2018-11-01 11:00:00' AND start_time < TIMESTAMP '2018-11-01 12:00:00'";
    await warehouse.execute(`INSERT INTO songplays SELECT * FROM songplays WHERE ${hour} LIMIT 1`);
    await warehouse.execute(`INSERT INTO "time" SELECT * FROM "time" WHERE ${hour} LIMIT 1`);
    const [quality] = await runHour(connections, hourAt(11), ['Run_data_quality_checks']);
    expect(quality?.state).toBe('failed');
    if (quality?.state !== 'failed') return;
    expect(quality.outcome.checks?.filter((c) => !c.passed).map((c) => c.name)).toEqual(
      expect.arrayContaining(['songplays(playid) is unique', '"time"(start_time) is unique']),
    );
  });

  it('loads messy but valid values: a numeric artist name as text, an empty userId as null', async () => {
    const messy = join(root, 'messy-source');
    const store = new LocalObjectStore(messy);
    await store.put(
      'log_data/2018/11/2018-11-01-events.json',
      [
        '{"artist":"112","auth":"Logged In","firstName":"Ann","gender":"F","itemInSession":0,"lastName":"Lee","length":218.93179,"level":"free","location":"X","method":"PUT","page":"NextSong","registration":1540919166796.0,"sessionId":12,"song":"Dance","status":200,"ts":1541066400123,"userAgent":"UA","userId":"39"}',
        '{"artist":null,"auth":"Logged Out","firstName":null,"gender":null,"itemInSession":1,"lastName":null,"length":null,"level":"free","location":null,"method":"GET","page":"Home","registration":null,"sessionId":13,"song":null,"status":200,"ts":1541066401000,"userAgent":null,"userId":""}',
      ].join('\n'),
    );
    await writeFile(join(messy, 'song_data.json'), ''); // not under song_data/: ignored
    await store.put(
      'song_data/A/B/C/TRABC1.json',
      '{\n  "num_songs": 1, "artist_id": "AR1", "artist_latitude": null, "artist_longitude": null,\n  "artist_location": "", "artist_name": 112, "song_id": "SO1", "title": "Dance", "duration": 218.93179, "year": 0\n}',
    );
    const connections = connectionsFor('messy', messy);
    expect(failures(await runHour(connections, hourAt(10)))).toEqual([]);
    const warehouse = await connections.warehouse('warehouse');
    expect(await warehouse.query('SELECT artistid, name, location, latitude FROM artists')).toEqual([
      { artistid: 'AR1', name: '112', location: '', latitude: null },
    ]);
    expect(await warehouse.query('SELECT userid, songid, artistid, start_time FROM songplays')).toEqual([
      { userid: 39, songid: 'SO1', artistid: 'AR1', start_time: new Date('2018-11-01T10:00:00.123Z') },
    ]);
    expect(
      await warehouse.query(
        "SELECT COUNT(*) AS n FROM staging_events WHERE page = 'Home' AND userid IS NULL",
      ),
    ).toEqual([{ n: 1 }]);
  });
});
