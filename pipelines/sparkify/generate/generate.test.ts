import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../../src/storage/index.ts';
import { generateSparkifyData, type GenerateOptions, type GenerateSummary } from './index.ts';

const LOG_KEYS = [
  'artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location', 'method',
  'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId',
]; // prettier-ignore
const SONG_KEYS = [
  'num_songs', 'artist_id', 'artist_latitude', 'artist_longitude', 'artist_location', 'artist_name', 'song_id',
  'title', 'duration', 'year',
]; // prettier-ignore
const PAGES = new Set([
  'NextSong', 'Home', 'Login', 'Logout', 'Settings', 'Save Settings', 'About', 'Help', 'Upgrade', 'Downgrade',
  'Submit Upgrade', 'Submit Downgrade', 'Error',
]); // prettier-ignore
const DAY_MS = 86_400_000;

type Json = Record<string, unknown>;

const folders: string[] = [];
async function generate(options: GenerateOptions) {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-generate-'));
  folders.push(dir);
  const summary = await generateSparkifyData(new LocalObjectStore(dir), options);
  return { dir, summary, files: await readAll(dir) };
}
afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Every file under `dir`, by key. */
async function readAll(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of (await readdir(dir, { recursive: true })).sort()) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) files.set(entry.split(sep).join('/'), await readFile(path, 'utf8'));
  }
  return files;
}

const logFiles = (files: Map<string, string>) => [...files].filter(([key]) => key.startsWith('log_data/'));
const songFiles = (files: Map<string, string>) => [...files].filter(([key]) => key.startsWith('song_data/'));
const lines = (text: string) => text.split('\n').slice(0, -1); // every line ends with \n

/** The JSON values in a text, one after another, whether on lines, pretty-printed or concatenated. */
function records(text: string): Json[] {
  const found: Json[] = [];
  let depth = 0;
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' && depth++ === 0) from = i;
    else if (c === '}' && --depth === 0) found.push(JSON.parse(text.slice(from, i + 1)) as Json);
  }
  expect(depth).toBe(0);
  return found;
}

/** `title|artist|duration` of every catalog song: what a play must equal to match one. */
function catalogIndex(files: Map<string, string>): Set<string> {
  const index = new Set<string>();
  for (const [, text] of songFiles(files)) {
    for (const song of records(text))
      index.add(`${String(song.title)}|${String(song.artist_name)}|${String(song.duration)}`);
  }
  return index;
}
const playKey = (event: Json) => `${String(event.song)}|${String(event.artist)}|${String(event.length)}`;

describe('generateSparkifyData', () => {
  const small: GenerateOptions = {
    start: new Date('2018-11-01T00:00:00Z'),
    end: new Date('2018-11-04T00:00:00Z'),
    users: 30,
    songs: 300,
    eventsPerDay: 800,
  };
  let run: Awaited<ReturnType<typeof generate>>;
  beforeAll(async () => {
    run = await generate(small);
  });

  it('writes the same bytes for the same seed, and other bytes for another seed', async () => {
    const again = await generate(small);
    expect([...again.files.keys()]).toEqual([...run.files.keys()]);
    for (const [key, text] of run.files) expect(again.files.get(key), key).toBe(text);
    expect(again.summary).toEqual(run.summary);

    const other = await generate({ ...small, seed: 43 });
    const day = 'log_data/2018/11/2018-11-02-events.json';
    expect(other.files.get(day)).toBeDefined();
    expect(other.files.get(day)).not.toBe(run.files.get(day));
    expect(songFiles(other.files).map(([key]) => key)).not.toEqual(songFiles(run.files).map(([key]) => key));
  });

  it('writes one NDJSON file per UTC day, with the 18 keys in order and sorted ts inside the day', () => {
    const logs = logFiles(run.files);
    expect(logs.map(([key]) => key)).toEqual([
      'log_data/2018/11/2018-11-01-events.json',
      'log_data/2018/11/2018-11-02-events.json',
      'log_data/2018/11/2018-11-03-events.json',
    ]);
    for (const [key, text] of logs) {
      const midnight = Date.parse(`${key.slice(-22, -12)}T00:00:00Z`);
      let previous = midnight;
      const perSession = new Map<unknown, number>();
      for (const line of lines(text)) {
        const event = JSON.parse(line) as Json;
        expect(Object.keys(event)).toEqual(LOG_KEYS);
        expect(typeof event.userId).toBe('string');
        expect(typeof event.sessionId).toBe('number');
        expect(PAGES.has(event.page as string)).toBe(true);
        const ts = event.ts as number;
        expect(Number.isInteger(ts) && ts >= previous && ts < midnight + DAY_MS).toBe(true);
        previous = ts;
        // itemInSession counts up from 0 within a session.
        expect(event.itemInSession).toBe(perSession.get(event.sessionId) ?? 0);
        perSession.set(event.sessionId, (event.itemInSession as number) + 1);
        checkEventRules(event);
      }
    }
  });

  it('lays out song files by track id and writes the ten keys, with the valid messiness', () => {
    const songs = songFiles(run.files);
    const seen = new Map<string, string>(); // song_id → its record as JSON
    const artistPlaces = new Map<unknown, Set<string>>();
    let pretty = 0;
    let onePerLine = 0;
    let concatenated = 0;
    let repeated = 0;
    for (const [key, text] of songs) {
      const match = /^song_data\/([A-Z])\/([A-Z])\/([A-Z])\/(TR([A-Z0-9]{16}))\.json$/.exec(key);
      expect(match, key).not.toBeNull();
      expect(match?.[4]?.slice(2, 5)).toBe(`${match?.[1]}${match?.[2]}${match?.[3]}`);
      const found = records(text);
      if (text.includes('\n    "num_songs"')) pretty += 1;
      if (found.length > 1 && text.includes('}\n{')) onePerLine += 1;
      if (text.includes('}{')) concatenated += 1;
      for (const song of found) {
        expect(Object.keys(song)).toEqual(SONG_KEYS);
        expect(song.num_songs).toBe(1);
        expect(song.artist_id).toMatch(/^AR[A-Z0-9]{16}$/);
        expect(song.song_id).toMatch(/^SO[A-Z0-9]{16}$/);
        expect(typeof song.duration).toBe('number');
        const previous = seen.get(song.song_id as string);
        if (previous !== undefined) {
          expect(JSON.stringify(song)).toBe(previous); // a repeat is identical
          repeated += 1;
        }
        seen.set(song.song_id as string, JSON.stringify(song));
        const place = JSON.stringify([song.artist_location, song.artist_latitude, song.artist_longitude]);
        artistPlaces.set(song.artist_id, (artistPlaces.get(song.artist_id) ?? new Set()).add(place));
      }
    }
    const all = [...seen.values()].map((json) => JSON.parse(json) as Json);
    expect(seen.size).toBe(300);
    for (const [kind, count] of Object.entries({ pretty, onePerLine, concatenated, repeated })) {
      expect(count, kind).toBeGreaterThan(0);
    }
    expect(all.some((song) => song.artist_latitude === null && song.artist_longitude === null)).toBe(true);
    expect(all.some((song) => song.artist_location === '')).toBe(true);
    expect(all.some((song) => song.year === 0)).toBe(true);
    expect(all.some((song) => typeof song.artist_name === 'number')).toBe(true);
    expect([...artistPlaces.values()].some((places) => places.size > 1)).toBe(true);
  });

  it('plays songs of a band named by a number with the name as text', () => {
    const numbered = new Set<string>();
    for (const [, text] of songFiles(run.files)) {
      for (const song of records(text))
        if (typeof song.artist_name === 'number') numbered.add(String(song.artist_name));
    }
    const plays = logFiles(run.files).flatMap(([, text]) =>
      lines(text)
        .map((line) => JSON.parse(line) as Json)
        .filter((event) => numbered.has(event.artist as string)),
    );
    expect(plays.length).toBeGreaterThan(0);
    for (const play of plays) expect(typeof play.artist).toBe('string');
  });

  it('returns counts that equal those read back from the files', () => {
    const catalog = catalogIndex(run.files);
    const events = logFiles(run.files).flatMap(([, text]) =>
      lines(text).map((line) => JSON.parse(line) as Json),
    );
    const plays = events.filter((event) => event.page === 'NextSong');
    const songs = songFiles(run.files).flatMap(([, text]) => records(text));
    const expected: GenerateSummary = {
      days: 3,
      files: run.files.size,
      logFiles: 3,
      songFiles: run.files.size - 3,
      events: events.length,
      nextSongEvents: plays.length,
      matchedNextSongEvents: plays.filter((play) => catalog.has(playKey(play))).length,
      songs: new Set(songs.map((song) => song.song_id)).size,
      artists: new Set(songs.map((song) => song.artist_id)).size,
      users: new Set(plays.map((play) => play.userId)).size,
      faults: [],
    };
    expect(run.summary).toEqual(expected);
    // Sanity of the shape: mostly plays, some logged out, levels that change.
    expect(plays.length / events.length).toBeGreaterThan(0.7);
    expect(events.some((event) => event.auth === 'Logged Out')).toBe(true);
  });
});

/** The rules of DESIGN §6 for one valid event. */
function checkEventRules(event: Json): void {
  const play = event.page === 'NextSong';
  if (event.auth === 'Logged Out') {
    expect(play).toBe(false);
    expect(['Home', 'Login', 'About', 'Help']).toContain(event.page);
    expect(event).toMatchObject({ userId: '', firstName: null, lastName: null, gender: null, level: 'free' });
    expect(event).toMatchObject({ registration: null, location: null, userAgent: null });
  } else {
    expect(event.auth).toBe('Logged In');
    expect(event.userId).toMatch(/^[1-9]\d*$/);
    expect(typeof event.registration).toBe('number');
  }
  if (play) {
    expect(event).toMatchObject({ method: 'PUT', status: 200 });
    expect(typeof event.artist).toBe('string');
    expect(typeof event.song).toBe('string');
    expect(typeof event.length).toBe('number');
  } else {
    expect(event).toMatchObject({ artist: null, song: null, length: null });
  }
}

describe('match rate', () => {
  it('matches about the requested share of plays to a catalog song exactly', async () => {
    const { files, summary } = await generate({
      end: new Date('2018-11-03T00:00:00Z'),
      songs: 200,
      users: 20,
      eventsPerDay: 2500,
      matchRate: 0.2,
    });
    const catalog = catalogIndex(files);
    const plays = logFiles(files)
      .flatMap(([, text]) => lines(text).map((line) => JSON.parse(line) as Json))
      .filter((event) => event.page === 'NextSong');
    expect(plays.length).toBeGreaterThan(3000);
    const matched = plays.filter((play) => catalog.has(playKey(play))).length;
    expect(matched).toBe(summary.matchedNextSongEvents);
    expect(Math.abs(matched / plays.length - 0.2)).toBeLessThan(0.05);
  });

  it('matches every play at 1 and none at 0', async () => {
    const base = { end: new Date('2018-11-02T00:00:00Z'), songs: 50, users: 5 };
    const all = await generate({ ...base, matchRate: 1 });
    expect(all.summary.matchedNextSongEvents).toBe(all.summary.nextSongEvents);
    const none = await generate({ ...base, matchRate: 0 });
    expect(none.summary.matchedNextSongEvents).toBe(0);
  });
});

describe('faults', () => {
  it('plants the requested invalid lines, names them, and leaves every other line valid', async () => {
    const { files, summary } = await generate({
      end: new Date('2018-11-05T00:00:00Z'),
      songs: 20,
      users: 10,
      eventsPerDay: 100,
      faults: 4,
    });
    expect(summary.faults.map((fault) => fault.kind).sort()).toEqual(
      ['not-an-object', 'not-json', 'text-for-number', 'truncated-json'].sort(),
    );
    const planted = new Map(summary.faults.map((fault) => [`${fault.key}:${fault.line}`, fault.kind]));
    expect(planted.size).toBe(4);
    let valid = 0;
    for (const [key, text] of logFiles(files)) {
      lines(text).forEach((line, i) => {
        const kind = planted.get(`${key}:${i + 1}`);
        const parsed = tryParse(line);
        switch (kind) {
          case 'truncated-json':
            expect(parsed.ok).toBe(false);
            expect(line.startsWith('{"artist":')).toBe(true);
            break;
          case 'not-json':
            expect(parsed.ok).toBe(false);
            break;
          case 'text-for-number':
            expect(parsed.ok && Object.keys(parsed.value as Json)).toEqual(LOG_KEYS);
            expect((parsed.value as Json).sessionId).toBe('abc');
            break;
          case 'not-an-object':
            expect(parsed.ok && Array.isArray(parsed.value)).toBe(true);
            break;
          case undefined: {
            expect(parsed.ok).toBe(true);
            const event = parsed.value as Json;
            expect(Object.keys(event)).toEqual(LOG_KEYS);
            expect(typeof event.sessionId).toBe('number');
            checkEventRules(event);
            valid += 1;
          }
        }
      });
    }
    expect(valid).toBe(summary.events);
  });

  it('refuses more faults than there are log lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparkify-generate-'));
    folders.push(dir);
    await expect(
      generateSparkifyData(new LocalObjectStore(dir), {
        end: new Date('2018-11-02T00:00:00Z'),
        eventsPerDay: 3,
        faults: 9,
      }),
    ).rejects.toThrow(/^faults must be at most the number of log lines/);
  });
});

describe('partial days', () => {
  it('keeps every event inside [start, end) when they are not midnights', async () => {
    const start = new Date('2018-11-01T18:30:00Z');
    const end = new Date('2018-11-02T06:00:00Z');
    const { files, summary } = await generate({ start, end, songs: 20, users: 10, eventsPerDay: 2000 });
    expect(summary.days).toBe(2);
    const ts = logFiles(files).flatMap(([, text]) =>
      lines(text).map((line) => (JSON.parse(line) as Json).ts as number),
    );
    expect(ts.length).toBe(summary.events);
    expect(ts.length).toBeGreaterThan(100);
    for (const t of ts) expect(t >= start.getTime() && t < end.getTime()).toBe(true);
  });
});

/** Whether the line is JSON, and its value when it is. */
function tryParse(line: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch {
    return { ok: false };
  }
}
