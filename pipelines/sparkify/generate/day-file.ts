/** One log_data day file, produced lazily in chunks as the object store consumes it. */
import { DayEvents, type LogWorld } from './day-events.ts';
import type { DayPlan } from './days.ts';
import { faultLine, type GeneratedFault } from './faults.ts';

/** What the valid events written so far add up to. */
export class Tally {
  events = 0;
  nextSongEvents = 0;
  matchedNextSongEvents = 0;
  /** Users with at least one NextSong event, by index. */
  readonly #playedBy: Uint8Array;
  #players = 0;

  constructor(users: number) {
    this.#playedBy = new Uint8Array(users);
  }

  get users(): number {
    return this.#players;
  }

  count(events: DayEvents): void {
    this.events += 1;
    if (!events.nextSong) return;
    this.nextSongEvents += 1;
    if (events.matched) this.matchedNextSongEvents += 1;
    const user = events.user;
    if (user && this.#playedBy[user.index] === 0) {
      this.#playedBy[user.index] = 1;
      this.#players += 1;
    }
  }
}

const CHUNK_CHARS = 1 << 18;

/**
 * The day's lines as UTF-8 chunks of about 256 KiB. `faults` are this day's, sorted by line.
 * Async, because the object store's `put` takes an async iterable and pulls at its own pace.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- producing lines needs no I/O
export async function* dayFile(
  world: LogWorld,
  day: DayPlan,
  faults: readonly GeneratedFault[],
  tally: Tally,
  /** Events after this instant (epoch ms) are not written yet: the live feed. @default all */
  until = Number.POSITIVE_INFINITY,
): AsyncGenerator<Uint8Array> {
  const events = new DayEvents(world, day);
  let nextFault = 0;
  let text = '';
  for (let lineNumber = 1; lineNumber <= day.lines; lineNumber += 1) {
    const line = events.next();
    if (line === undefined) throw new Error(`internal: ${day.key} ran out of events at line ${lineNumber}`);
    if (until !== Number.POSITIVE_INFINITY && Number(/"ts":(\d+)/.exec(line)?.[1]) > until) break;
    const fault = faults[nextFault];
    if (fault && fault.line === lineNumber) {
      text += faultLine(fault.kind, line) + '\n';
      nextFault += 1;
    } else {
      text += line + '\n';
      tally.count(events);
    }
    if (text.length >= CHUNK_CHARS) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text.length > 0) yield Buffer.from(text, 'utf8');
}
