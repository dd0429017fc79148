/** `downbeat sparkify generate`: writes sample data into a folder. */
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, toError, type CommandIo, type PipelineCommand } from 'downbeat';
import type { GenerateProgress, GenerateSummary } from './generate.ts';
import {
  GENERATE_DEFAULTS,
  InvalidGenerateOptionError,
  resolveGenerateOptions,
  type GenerateOptions,
} from './options.ts';

const COMMAND = 'downbeat sparkify generate';

/** Each option's flag, for messages. */
const FLAGS: Record<keyof GenerateOptions, string> = {
  start: '--start',
  end: '--end',
  users: '--users',
  songs: '--songs',
  eventsPerDay: '--events-per-day',
  matchRate: '--match-rate',
  faults: '--faults',
  seed: '--seed',
};

const day = (date: Date) => date.toISOString().slice(0, 10);

const HELP = `Usage: ${COMMAND} --out DIR [options]

Writes deterministic Sparkify sample data into DIR, in the formats and key layout of the Udacity
dataset: log_data/YYYY/MM/YYYY-MM-DD-events.json (one file per UTC day) and
song_data/A/B/C/TRABC….json (one file per track).

Options:
  --out DIR             folder to write into, created if needed (required)
  --start DATE          start of the data, YYYY-MM-DD or ISO-8601, UTC (default ${day(GENERATE_DEFAULTS.start)})
  --end DATE            end of the data, exclusive (default ${day(GENERATE_DEFAULTS.end)})
  --users N             users in the logs, at least 1 (default ${GENERATE_DEFAULTS.users})
  --songs N             songs in song_data, at least 1 (default ${GENERATE_DEFAULTS.songs})
  --events-per-day N    log lines per day on average, varying ±30% (default ${GENERATE_DEFAULTS.eventsPerDay})
  --match-rate R        share of plays that match a song in song_data, 0 to 1 (default ${GENERATE_DEFAULTS.matchRate})
  --faults N            invalid log lines to plant, for testing rejection (default ${GENERATE_DEFAULTS.faults})
  --seed N              same seed and options, same bytes (default ${GENERATE_DEFAULTS.seed})
  -h, --help            show this help
`;

export const generateCommand: PipelineCommand = {
  name: ['sparkify', 'generate'],
  summary: 'Write deterministic Sparkify sample data (song_data, log_data) into a folder',
  help: HELP,
  run: runGenerate,
};

async function runGenerate(args: readonly string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(args);
    if (parsed !== 'help') resolveGenerateOptions(parsed.options);
  } catch (error) {
    return usageFailure(io, error);
  }
  if (parsed === 'help') {
    io.stdout.write(HELP);
    return 0;
  }

  const folder = resolve(parsed.out);
  try {
    await mkdir(folder, { recursive: true });
    if (!(await stat(folder)).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    return usageFailure(
      io,
      new ConfigError(`--out: cannot use ${folder} as a folder (${toError(error).message})`),
    );
  }

  const started = performance.now();
  const progress = io.stderr.isTTY ? (p: GenerateProgress) => showProgress(io, p, started) : undefined;
  let summary: GenerateSummary;
  try {
    // Loaded when the command runs: every `downbeat` command lists this one, few run it.
    const [{ generateSparkifyData }, { LocalObjectStore }] = await Promise.all([
      import('./generate.ts'),
      import('../../../src/storage/local/index.ts'),
    ]);
    summary = await generateSparkifyData(new LocalObjectStore(folder), parsed.options, progress);
  } catch (error) {
    if (progress) io.stderr.write('\n');
    // Options that only the whole plan can check, such as more faults than log lines.
    if (error instanceof InvalidGenerateOptionError) return usageFailure(io, error);
    io.stderr.write(`${COMMAND}: failed: ${toError(error).message}\n`);
    return 1;
  }
  if (progress) io.stderr.write('\n');
  io.stdout.write(renderSummary(folder, summary, (performance.now() - started) / 1000));
  return 0;
}

function parseFlags(args: readonly string[]): 'help' | { out: string; options: GenerateOptions } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        users: { type: 'string' },
        songs: { type: 'string' },
        'events-per-day': { type: 'string' },
        'match-rate': { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // parseArgs names the flag: "Unknown option '--bogus'", "Option '--out <value>' argument missing".
    throw new ConfigError(toError(error).message);
  }
  if (values.help) return 'help';
  if (values.out === undefined || values.out === '') throw new ConfigError('--out DIR is required');
  const options: GenerateOptions = {
    start: values.start === undefined ? undefined : parseDate('--start', values.start),
    end: values.end === undefined ? undefined : parseDate('--end', values.end),
    users: parseInteger('--users', values.users),
    songs: parseInteger('--songs', values.songs),
    eventsPerDay: parseInteger('--events-per-day', values['events-per-day']),
    matchRate: parseRate('--match-rate', values['match-rate']),
    faults: parseInteger('--faults', values.faults),
    seed: parseInteger('--seed', values.seed),
  };
  return { out: values.out, options };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** `YYYY-MM-DD` (midnight UTC) or ISO-8601 with a time; a time without a zone is UTC. */
function parseDate(flag: string, text: string): Date {
  const match = DATE.exec(text);
  const [, year, month, dayOfMonth, time, zone] = match ?? [];
  const date = new Date(`${year}-${month}-${dayOfMonth}${time ?? 'T00:00'}${zone ?? 'Z'}`);
  // Date rolls 2018-02-30 over into March: the day must be a real one.
  const calendarDay = new Date(Date.UTC(Number(year), Number(month) - 1, Number(dayOfMonth)));
  const real =
    !Number.isNaN(calendarDay.getTime()) &&
    calendarDay.toISOString().slice(0, 10) === `${year}-${month}-${dayOfMonth}`;
  if (!match || (zone && !time) || Number.isNaN(date.getTime()) || !real) {
    throw new ConfigError(
      `${flag}: expected a date as YYYY-MM-DD or ISO-8601 (e.g. 2018-11-01T06:00:00Z), got '${text}'`,
    );
  }
  return date;
}

function parseInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new ConfigError(`${flag}: expected a whole number, got '${text}'`);
  return value;
}

function parseRate(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 1))
    throw new ConfigError(`${flag}: expected a number from 0 to 1, got '${text}'`);
  return value;
}

/** Bad flags and values (ConfigError, or an option the generator refused): exit status 2. */
function usageFailure(io: CommandIo, error: unknown): number {
  const message =
    error instanceof InvalidGenerateOptionError
      ? `${FLAGS[error.option]}: ${error.message}`
      : toError(error).message;
  io.stderr.write(`${COMMAND}: ${message}\nRun '${COMMAND} --help' for usage.\n`);
  return 2;
}

function showProgress(io: CommandIo, p: GenerateProgress, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? Math.round(p.events / seconds) : 0;
  io.stderr.write(
    `\r\x1b[Kday ${p.daysDone}/${p.daysTotal} (${p.day}) · ${formatCount(p.events)} events · ${formatCount(rate)} events/s`,
  );
}

function renderSummary(folder: string, s: GenerateSummary, seconds: number): string {
  const share =
    s.nextSongEvents > 0 ? ((100 * s.matchedNextSongEvents) / s.nextSongEvents).toFixed(1) : '0.0';
  const row = (label: string, value: string) => `  ${label.padEnd(16)} ${value}`;
  return [
    `Wrote Sparkify sample data to ${folder}`,
    row('days', formatCount(s.days)),
    row(
      'files',
      `${formatCount(s.files)} (${formatCount(s.logFiles)} log, ${formatCount(s.songFiles)} song)`,
    ),
    row('events', formatCount(s.events)),
    row('NextSong events', `${formatCount(s.nextSongEvents)} (${share}% match a song)`),
    row('songs', formatCount(s.songs)),
    row('artists', formatCount(s.artists)),
    row('users', `${formatCount(s.users)} (with plays)`),
    row('faults', formatCount(s.faults.length)),
    ...s.faults.map((fault) => `    ${fault.key}:${fault.line} (${fault.kind})`),
    row(
      'elapsed',
      `${seconds.toFixed(1)} s (${formatCount(Math.round(s.events / Math.max(seconds, 1e-3)))} events/s)`,
    ),
    '',
  ].join('\n');
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
