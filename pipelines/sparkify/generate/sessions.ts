/**
 * The sessions a day holds: when each starts and how many events it has. Plays come in sessions,
 * so quiet hours are often empty, not evenly thin.
 *
 * The lengths add up to exactly the day's line count, and sessions end with their day, without a
 * list of sessions in memory: the plan is drawn from the same seeded streams three times — to
 * count the sessions, to measure how many events late sessions must give up, and to hand those
 * events to sessions with time to spare.
 */
import type { DayPlan } from './days.ts';
import { activityBefore, DAY_MS, timeOfActivity } from './diurnal.ts';
import { createRandom, type Random } from './random.ts';

export interface PlannedSession {
  /** Epoch ms of the first event. */
  readonly start: number;
  /** Events in the session, at least 1. */
  readonly length: number;
}

/** A session's time per event, a little above the average (songs, and the quicker other pages). */
export const MEAN_GAP_MS = 260_000;
const MAX_LENGTH = 200;

/** Mostly a handful of events, some long listening sessions; about 11 on average. */
function sessionLength(rng: Random): number {
  const mean = rng.chance(0.7) ? 5 : 25;
  return Math.min(MAX_LENGTH, 1 + Math.floor(-Math.log(1 - rng.next()) * mean));
}

/** The day's sessions in start order. */
export function* plannedSessions(seed: number, day: DayPlan): Generator<PlannedSession> {
  const count = countSessions(seed, day);
  let debt = 0;
  let room = 0;
  for (const session of draftSessions(seed, day, count)) {
    debt += session.wanted - session.length;
    room += session.room;
  }
  // Spread the events late sessions gave up over the sessions with room, in proportion to it.
  const share = room > 0 ? Math.min(1, debt / room) : 0;
  let roomSoFar = 0;
  let paid = 0;
  let index = 0;
  for (const session of draftSessions(seed, day, count)) {
    index += 1;
    roomSoFar += session.room;
    const due = index === count ? debt : Math.min(debt, Math.floor(share * roomSoFar));
    const extra = due - paid;
    paid = due;
    yield { start: session.start, length: session.length + extra };
  }
}

/** How many sessions the day's lines make, drawing lengths as draftSessions will. */
function countSessions(seed: number, day: DayPlan): number {
  const lengths = createRandom(seed, 'session-lengths', day.index);
  let count = 0;
  for (let total = 0; total < day.lines; count += 1) total += sessionLength(lengths);
  return count;
}

interface DraftSession extends PlannedSession {
  /** The length drawn, before being fitted into the day. */
  readonly wanted: number;
  /** Events the session could take on and still end in its day at the usual pace. */
  readonly room: number;
}

function* draftSessions(seed: number, day: DayPlan, count: number): Generator<DraftSession> {
  const lengths = createRandom(seed, 'session-lengths', day.index);
  const starts = createRandom(seed, 'session-starts', day.index);
  const midnight = Math.floor(day.from / DAY_MS) * DAY_MS;
  const low = activityBefore(day.from - midnight);
  const high = activityBefore(day.to - midnight);
  let drawn = 0;
  // Sorted uniform draws one at a time: the next is the least of the (count - i) still to come.
  let x = 0;
  for (let i = 0; i < count; i += 1) {
    x = 1 - (1 - x) * (1 - starts.next()) ** (1 / (count - i));
    const at = midnight + Math.floor(timeOfActivity(low + x * (high - low)));
    const start = Math.min(Math.max(at, day.from), day.to - 1);
    let wanted = sessionLength(lengths);
    if (i === count - 1) wanted = day.lines - drawn; // the last is cut to make the total exact
    drawn += wanted;
    const fits = Math.max(1, Math.min(MAX_LENGTH, Math.floor((day.to - start) / MEAN_GAP_MS)));
    const length = Math.min(wanted, fits);
    yield { start, length, wanted, room: fits - length };
  }
}
