/**
 * Writes Sparkify source data — song_data and log_data, in the dataset's formats and key layout —
 * into an object store. Deterministic: the same options and seed give the same bytes. Streaming:
 * memory grows with users and songs, never with events.
 */
import type { ObjectStore } from 'downbeat';
import { createCatalog } from './catalog.ts';
import type { LogWorld } from './day-events.ts';
import { dayFile, Tally } from './day-file.ts';
import { planDays } from './days.ts';
import { planFaults, type GeneratedFault } from './faults.ts';
import { resolveGenerateOptions, type GenerateOptions } from './options.ts';
import { catalogPlays, outsidePlays } from './plays.ts';
import { planSongFiles, songFileBody, type SongFile } from './song-files.ts';
import { createUsers } from './users.ts';

export interface GenerateProgress {
  /** The day just written, `2018-11-15`. */
  readonly day: string;
  readonly daysDone: number;
  readonly daysTotal: number;
  /** Valid events written so far. */
  readonly events: number;
}

export interface GenerateSummary {
  readonly days: number;
  /** Objects written: log files plus song files. */
  readonly files: number;
  readonly logFiles: number;
  readonly songFiles: number;
  /** Valid events written (planted faults are not events). */
  readonly events: number;
  readonly nextSongEvents: number;
  /** NextSong events whose (song, artist, length) equals a catalog song's (title, artist_name, duration). */
  readonly matchedNextSongEvents: number;
  /** Distinct song_ids in song_data. */
  readonly songs: number;
  /** Distinct artist_ids in song_data. */
  readonly artists: number;
  /** Distinct userIds in NextSong events. */
  readonly users: number;
  /** The planted invalid lines, sorted by key and line. */
  readonly faults: readonly GeneratedFault[];
}

/** Song files written at once: enough to hide the file system's latency. */
const SONG_FILE_CONCURRENCY = 16;

export async function generateSparkifyData(
  store: ObjectStore,
  options: GenerateOptions = {},
  onProgress?: (progress: GenerateProgress) => void,
): Promise<GenerateSummary> {
  const resolved = resolveGenerateOptions(options);
  const { seed } = resolved;
  const days = planDays(resolved);
  const faults = planFaults(seed, days, resolved.faults);

  const catalog = createCatalog(seed, resolved.songs);
  const songFiles = planSongFiles(seed, catalog);
  await writeAll(songFiles, SONG_FILE_CONCURRENCY, (file) => store.put(file.key, songFileBody(file)));

  const world = logWorld(resolved, catalog);
  const tally = new Tally(resolved.users);
  for (const day of days) {
    const dayFaults = faults.filter((fault) => fault.key === day.key);
    await store.put(day.key, dayFile(world, day, dayFaults, tally));
    onProgress?.({ day: day.date, daysDone: day.index + 1, daysTotal: days.length, events: tally.events });
  }

  return {
    days: days.length,
    files: days.length + songFiles.length,
    logFiles: days.length,
    songFiles: songFiles.length,
    events: tally.events,
    nextSongEvents: tally.nextSongEvents,
    matchedNextSongEvents: tally.matchedNextSongEvents,
    songs: new Set(songFiles.flatMap((file) => file.songs.map((song) => song.songId))).size,
    artists: new Set(songFiles.flatMap((file) => file.songs.map((song) => song.artist.id))).size,
    users: tally.users,
    faults,
  };
}

function logWorld(
  resolved: ReturnType<typeof resolveGenerateOptions>,
  catalog: ReturnType<typeof createCatalog>,
): LogWorld {
  return {
    seed: resolved.seed,
    users: createUsers(resolved.seed, resolved.users, resolved.start, resolved.end),
    catalog: catalogPlays(catalog),
    outside: outsidePlays(resolved.seed, catalog),
    matchRate: resolved.matchRate,
    nextSessionId: 1,
  };
}

/**
 * The live feed: (re)writes the log days of [start, end) with the events up to `until` only, and
 * no song files (the catalog of the same seed and size is assumed written). Deterministic, so a
 * later call writes the same lines and the newer ones after them. Returns the events written.
 */
export async function writeLiveDays(
  store: ObjectStore,
  options: GenerateOptions,
  until: Date,
): Promise<number> {
  const resolved = resolveGenerateOptions(options);
  const world = logWorld(resolved, createCatalog(resolved.seed, resolved.songs));
  const tally = new Tally(resolved.users);
  for (const day of planDays(resolved)) {
    if (Date.parse(`${day.date}T00:00:00Z`) > until.getTime()) break;
    await store.put(day.key, dayFile(world, day, [], tally, until.getTime()));
  }
  return tally.events;
}

/** Runs `write` over `files`, at most `limit` at a time; the first failure stops the rest. */
async function writeAll(
  files: readonly SongFile[],
  limit: number,
  write: (file: SongFile) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < files.length) {
      const file = files[next++] as SongFile;
      try {
        await write(file);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, files.length) }, worker));
}
