/**
 * Sparkify's users: each keeps name, gender, location and browser for the whole period; some
 * upgrade from free to paid during it, and a few go back, so the latest level of a user matters.
 */
import { messyCount } from './catalog.ts';
import { renderWho, type Who } from './event-line.ts';
import { personName } from './names.ts';
import { createRandom } from './random.ts';
import { USER_AGENTS, USER_LOCATIONS } from './vocabulary.ts';

const DAY_MS = 86_400_000;

export type Level = 'free' | 'paid';

export interface User {
  /** Position in activity order: user 0 plays the most. */
  readonly index: number;
  /** A string of digits, e.g. "39", as the logs have it. */
  readonly id: string;
  readonly who: Who;
  /** The level now, as the simulation has reached it. */
  level: Level;
  /** A planned change of level: made in the first session that reaches `at`, then cleared. */
  change: { readonly at: number; readonly to: Level } | undefined;
  /** Sessions of this user in progress. */
  active: number;
}

export function createUsers(seed: number, count: number, start: Date, end: Date): User[] {
  const rng = createRandom(seed, 'users');
  // Ids from a slightly wider range leave gaps, like the real ones (2…101, some missing).
  const ids = rng.shuffle(rng.sample(Math.ceil(count * 1.25) + 1, count).map((n) => String(n + 1)));
  const startMs = start.getTime();
  const span = end.getTime() - startMs;
  const users = ids.map((id, index): User => {
    const person = personName(rng);
    const agent = rng.pick(USER_AGENTS);
    const who = renderWho({
      id,
      firstName: person.first,
      lastName: person.last,
      gender: person.gender,
      location: rng.pick(USER_LOCATIONS),
      // The app's export quoted agents that hold a comma, and the quotes stayed in the data.
      userAgent: agent.includes(',') ? `"${agent}"` : agent,
      registration: startMs - DAY_MS - rng.int(400 * DAY_MS),
    });
    return { index, id, who, level: rng.chance(0.25) ? 'paid' : 'free', change: undefined, active: 0 };
  });

  const free = users.filter((user) => user.level === 'free');
  const paid = users.filter((user) => user.level === 'paid');
  const plan = (group: User[], share: number, to: Level) => {
    for (const i of rng.sample(group.length, messyCount(group.length, share, 2))) {
      // In the first four fifths of the period, so that most planned changes happen.
      (group[i] as User).change = { at: startMs + Math.floor(rng.next() * span * 0.8), to };
    }
  };
  plan(free, 0.25, 'paid');
  plan(paid, 0.1, 'free');
  return users;
}
