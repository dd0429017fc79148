/** What the generator can be asked for, its defaults, and their validation (in one place). */
import { DownbeatError } from 'downbeat';

export interface GenerateOptions {
  /** First instant of log data (UTC). @default 2018-11-01T00:00:00Z */
  readonly start?: Date;
  /** End of log data, exclusive (UTC). @default 2018-12-01T00:00:00Z */
  readonly end?: Date;
  /** Users who may appear in the logs (at least 1). @default 100 */
  readonly users?: number;
  /** Songs in song_data (at least 1). @default 2000 */
  readonly songs?: number;
  /**
   * Log lines per full UTC day, on average; each day's count varies deterministically by up to ±30%
   * (a partial first or last day gets its share). @default 300
   */
  readonly eventsPerDay?: number;
  /** Share of NextSong events whose (song, artist, length) is a catalog song's. @default 0.2 */
  readonly matchRate?: number;
  /** Invalid lines planted in log_data, for tests of rejection; each replaces an event. @default 0 */
  readonly faults?: number;
  /** Same options and seed, same bytes. @default 42 */
  readonly seed?: number;
}

export type ResolvedGenerateOptions = {
  readonly [K in keyof GenerateOptions]-?: NonNullable<GenerateOptions[K]>;
};

export const GENERATE_DEFAULTS: ResolvedGenerateOptions = {
  start: new Date('2018-11-01T00:00:00Z'),
  end: new Date('2018-12-01T00:00:00Z'),
  users: 100,
  songs: 2000,
  eventsPerDay: 300,
  matchRate: 0.2,
  faults: 0,
  seed: 42,
};

/** An option the generator cannot work with; `option` names it (e.g. `eventsPerDay`). */
export class InvalidGenerateOptionError extends DownbeatError {
  readonly option: keyof GenerateOptions;

  constructor(option: keyof GenerateOptions, message: string) {
    super('invalid_generate_option', `${option} ${message}`);
    this.option = option;
  }
}

export function resolveGenerateOptions(options: GenerateOptions = {}): ResolvedGenerateOptions {
  const resolved: ResolvedGenerateOptions = {
    start: options.start ?? GENERATE_DEFAULTS.start,
    end: options.end ?? GENERATE_DEFAULTS.end,
    users: options.users ?? GENERATE_DEFAULTS.users,
    songs: options.songs ?? GENERATE_DEFAULTS.songs,
    eventsPerDay: options.eventsPerDay ?? GENERATE_DEFAULTS.eventsPerDay,
    matchRate: options.matchRate ?? GENERATE_DEFAULTS.matchRate,
    faults: options.faults ?? GENERATE_DEFAULTS.faults,
    seed: options.seed ?? GENERATE_DEFAULTS.seed,
  };
  for (const option of ['start', 'end'] as const) {
    const value: unknown = resolved[option];
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new InvalidGenerateOptionError(option, `must be a valid Date (got ${String(value)})`);
    }
  }
  if (resolved.start.getTime() >= resolved.end.getTime()) {
    throw new InvalidGenerateOptionError(
      'end',
      `must be after start (start ${resolved.start.toISOString()}, end ${resolved.end.toISOString()})`,
    );
  }
  integer('users', resolved.users, 1);
  integer('songs', resolved.songs, 1);
  integer('eventsPerDay', resolved.eventsPerDay, 0);
  integer('faults', resolved.faults, 0);
  integer('seed', resolved.seed, 0);
  const rate: unknown = resolved.matchRate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new InvalidGenerateOptionError('matchRate', `must be a number from 0 to 1 (got ${String(rate)})`);
  }
  return resolved;
}

function integer(option: keyof GenerateOptions, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidGenerateOptionError(option, `must be an integer ≥ ${min} (got ${String(value)})`);
  }
}
