/**
 * Sparkify's analyses, each run as the Sparkify page runs it — POST /api/v1/warehouse/query, the
 * explorer's checked read-only path — on a DuckDB and a PostgreSQL warehouse the pipeline loaded
 * from three generated days, and compared with what the songplays rows themselves say, counted
 * here in TypeScript from a plain read of the table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, serve, warehouseSource, type WebServer } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { runInProcess } from '../../src/executor/index.ts';
import type * as Api from '../../src/server/api/types.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { testDb } from '../../src/store/db/testing.ts';
import { freshPostgresDatabase } from '../../src/util/testing.ts';
import { openWarehouse } from '../../src/warehouse/index.ts';
import { PERIOD_COLUMNS, sparkifyAnalyses, type Analysis } from './analyses.ts';
import { generateSparkifyData } from './generate/index.ts';
import sparkify from './sparkify.dag.ts';
import { createTablesDuckDb, createTablesPostgres } from './sql.ts';

const START = new Date('2018-11-01T00:00:00Z');
const END = new Date('2018-11-04T00:00:00Z');
const AUTH = `Basic ${Buffer.from('ada:lovelace-1815').toString('base64')}`;

let root: string;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-analyses-'));
  await generateSparkifyData(new LocalObjectStore(join(root, 'source')), {
    start: START,
    end: END,
    users: 30,
    songs: 150,
    eventsPerDay: 500,
    matchRate: 0.4,
    seed: 19,
  });
});
afterAll(async () => {
  for (const close of cleanup.reverse()) await close();
  await rm(root, { recursive: true, force: true });
});

/** An explorer server on the warehouse at `uri`, and a way to run an analysis through it. */
async function explorerOn(uri: string, home: string) {
  const metadata = await testDb('sqlite');
  await addUser(metadata.db, 'ada', 'lovelace-1815', Date.now());
  const config = loadConfig({ DOWNBEAT_HOME: home, DOWNBEAT_CONN_WAREHOUSE: uri });
  const source = warehouseSource({ config, db: metadata.db, access: 'read-only' });
  const server: WebServer = await serve({ db: metadata.db, dags: new Map(), port: 0, warehouse: source });
  cleanup.push(async () => {
    await server.close();
    await source.close();
    await metadata.drop();
  });
  return async (analysis: Analysis): Promise<Rows> => {
    const response = await fetch(`${server.url}/api/v1/warehouse/query`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: analysis.sql, limit: analysis.limit }),
    });
    const body = (await response.json()) as Api.WarehouseQueryResult | Api.ApiError;
    if ('error' in body) throw new Error(`${analysis.id}: ${response.status} ${body.error.message}`);
    expect(body.truncated).toBe(false);
    return body.rows.map((row) => Object.fromEntries(body.columns.map((c, i) => [c, row[i] ?? null])));
  };
}

type Rows = Record<string, Api.WarehouseCell>[];

/** A text cell as it is (any other as JSON: then it matches no name or id). */
const text = (cell: Api.WarehouseCell | undefined): string =>
  typeof cell === 'string' ? cell : JSON.stringify(cell);

interface Play {
  readonly start: Date;
  readonly userid: number;
  readonly level: string;
  readonly songid: string | null;
  readonly artistid: string | null;
  readonly userAgent: string | null;
}

/** A warehouse of each engine, its tables made but empty; `load` runs the three days into it. */
const ENGINES = {
  duckdb: async () => {
    const uri = `duckdb://${join(root, 'duckdb', 'warehouse.duckdb')}`;
    return { uri, home: join(root, 'duckdb'), create: createTablesDuckDb };
  },
  postgres: async () => {
    const database = await freshPostgresDatabase('downbeat_analyses');
    cleanup.push(() => database.drop());
    return { uri: database.url, home: join(root, 'postgres'), create: createTablesPostgres };
  },
};

const byId = (id: string): Analysis => {
  const found = sparkifyAnalyses.find((a) => a.id === id);
  if (!found) throw new Error(`no analysis ${id}`);
  return found;
};

/** A count per key of what `key` gives for each play (null: not counted). */
function tally<K>(plays: readonly Play[], key: (play: Play) => K | null): Map<K, number> {
  const counts = new Map<K, number>();
  for (const play of plays) {
    const k = key(play);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** A top 10 as the rows rank it: ordered, ≤ 10, each count true, and ties aside the true ten. */
function expectTopTen(rows: Rows, key: string, counts: Map<string, number>): void {
  const plays = rows.map((row) => Number(row.plays));
  expect(rows.length).toBe(Math.min(10, counts.size));
  expect(plays).toEqual([...plays].sort((a, b) => b - a));
  expect(new Set(rows.map((row) => row[key])).size).toBe(rows.length);
  for (const row of rows) expect([row[key], row.plays]).toEqual([row[key], counts.get(text(row[key]))]);
  expect(plays).toEqual([...counts.values()].sort((a, b) => b - a).slice(0, 10));
}

/** The period columns of every row: the first and last start time of `plays`, and their count. */
function expectPeriod(rows: Rows, plays: readonly Play[]): void {
  const times = plays.map((p) => p.start.getTime());
  const period = {
    [PERIOD_COLUMNS.start]: new Date(Math.min(...times)).toISOString(),
    [PERIOD_COLUMNS.end]: new Date(Math.max(...times)).toISOString(),
    [PERIOD_COLUMNS.plays]: plays.length,
  };
  for (const row of rows) expect(row).toMatchObject(period);
}

const day = (play: Play) => play.start.toISOString().slice(0, 10);

/** The three days, loaded by the pipeline in one range run (Sparkify's backfill policy). */
async function load(uri: string, home: string): Promise<void> {
  const connections = new Connections(
    loadConfig({
      DOWNBEAT_HOME: home,
      DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${join(root, 'source')}`,
      DOWNBEAT_CONN_WAREHOUSE: uri,
    }),
    sparkify.connectionDefaults,
  );
  try {
    const run = {
      ...sparkify.runFor(START, 'backfill'),
      dataInterval: { start: START, end: END },
      intervals: sparkify.intervalsBetween(START, END),
    };
    const results = await runInProcess({ dag: sparkify, run, connections });
    expect(results.filter((r) => r.state !== 'success').map((r) => r.taskId)).toEqual([]);
  } finally {
    await connections.close();
  }
}

/** songplays and the names of songs and artists, read past the explorer. */
async function contents(uri: string) {
  const warehouse = await openWarehouse(uri);
  try {
    const rows = await warehouse.query(
      'SELECT start_time, userid, level, songid, artistid, user_agent FROM songplays',
    );
    const plays: Play[] = rows.map((row) => ({
      start: row.start_time as Date,
      userid: Number(row.userid),
      level: String(row.level),
      songid: row.songid === null ? null : String(row.songid),
      artistid: row.artistid === null ? null : String(row.artistid),
      userAgent: row.user_agent === null ? null : String(row.user_agent),
    }));
    const named = async (sql: string) =>
      new Map((await warehouse.query(sql)).map((row) => [String(row.id), String(row.name)]));
    return {
      plays,
      songs: await named('SELECT songid AS id, title AS name FROM songs'),
      artists: await named('SELECT artistid AS id, name FROM artists'),
    };
  } finally {
    await warehouse.close();
  }
}

describe.each(['duckdb', 'postgres'] as const)("Sparkify's analyses on %s", (engine) => {
  let run: (analysis: Analysis) => Promise<Rows>;
  const whileEmpty = new Map<string, Rows>();
  let plays: Play[];
  let songs: Map<string, string>;
  let artists: Map<string, string>;

  beforeAll(async () => {
    const { uri, home, create } = await ENGINES[engine]();
    const warehouse = await openWarehouse(uri);
    for (const statement of create) await warehouse.execute(statement);
    await warehouse.close();
    run = await explorerOn(uri, home);
    for (const analysis of sparkifyAnalyses) whileEmpty.set(analysis.id, await run(analysis));
    await load(uri, home);
    ({ plays, songs, artists } = await contents(uri));
  }, 240_000);

  it('give no rows, and no error, while songplays is empty', () => {
    expect(whileEmpty.size).toBe(sparkifyAnalyses.length);
    for (const [id, rows] of whileEmpty) expect([id, rows]).toEqual([id, []]);
    // The loaded warehouse is not tiny: every chart below has something to show.
    expect(plays.length).toBeGreaterThan(1000);
    expect(plays.filter((p) => p.songid !== null).length).toBeGreaterThan(100);
  });

  it('count plays per hour of day: every play once, in the hour it started', async () => {
    const rows = await run(byId('plays-per-hour'));
    const expected = tally(plays, (p) => p.start.getUTCHours());
    expect(rows.map((row) => [row.hour_of_day, row.plays])).toEqual([...expected].sort(([a], [b]) => a - b));
    expect(rows.reduce((sum, row) => sum + Number(row.plays), 0)).toBe(plays.length);
    expectPeriod(rows, plays);
  });

  it('count plays per day', async () => {
    const rows = await run(byId('plays-per-day'));
    expect(rows.map((row) => [row.play_date, row.plays])).toEqual([
      ['2018-11-01', plays.filter((p) => day(p) === '2018-11-01').length],
      ['2018-11-02', plays.filter((p) => day(p) === '2018-11-02').length],
      ['2018-11-03', plays.filter((p) => day(p) === '2018-11-03').length],
    ]);
    expectPeriod(rows, plays);
  });

  it('rank the top 10 songs and artists of the matched plays, with their names', async () => {
    const matched = plays.filter((p) => p.songid !== null);
    const topSongs = await run(byId('top-songs'));
    expectTopTen(
      topSongs,
      'songid',
      tally(matched, (p) => p.songid),
    );
    for (const row of topSongs) expect(row.song).toBe(songs.get(text(row.songid)));
    expectPeriod(topSongs, matched);

    const withArtist = plays.filter((p) => p.artistid !== null);
    const topArtists = await run(byId('top-artists'));
    expectTopTen(
      topArtists,
      'artistid',
      tally(withArtist, (p) => p.artistid),
    );
    for (const row of topArtists) expect(row.artist).toBe(artists.get(text(row.artistid)));
    expectPeriod(topArtists, withArtist);
  });

  it('split plays and users per day into free and paid, which add up to all of them', async () => {
    const rows = await run(byId('free-vs-paid'));
    const days = [...new Set(plays.map(day))].sort();
    const at = (d: string, level: string) => plays.filter((p) => day(p) === d && p.level === level);
    expect(rows.map((row) => row.play_date)).toEqual(days);
    for (const row of rows) {
      const d = text(row.play_date);
      expect(row).toMatchObject({
        free_plays: at(d, 'free').length,
        paid_plays: at(d, 'paid').length,
        free_users: new Set(at(d, 'free').map((p) => p.userid)).size,
        paid_users: new Set(at(d, 'paid').map((p) => p.userid)).size,
      });
      expect(Number(row.free_plays) + Number(row.paid_plays)).toBe(plays.filter((p) => day(p) === d).length);
    }
    expect(rows.some((row) => Number(row.free_users) > 0 && Number(row.paid_users) > 0)).toBe(true);
    expectPeriod(rows, plays);
  });

  it('rank the top 10 user agents', async () => {
    const rows = await run(byId('top-user-agents'));
    expectTopTen(
      rows,
      'user_agent',
      tally(plays, (p) => p.userAgent ?? '(none)'),
    );
    expectPeriod(rows, plays);
  });
});
