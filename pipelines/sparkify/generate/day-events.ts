/**
 * The events of one UTC day, in ts order, one line at a time: a small simulation of the day's
 * sessions running side by side. It holds only the sessions in progress, so memory grows with the
 * number of people listening at once, never with the number of events.
 */
import type { DayPlan } from './days.ts';
import { eventLine, LOGGED_OUT, NO_PLAY, PAGES, type Page } from './event-line.ts';
import { MinHeap } from './heap.ts';
import type { Play } from './plays.ts';
import { createRandom, type Random } from './random.ts';
import { MEAN_GAP_MS, plannedSessions, type PlannedSession } from './sessions.ts';
import type { User } from './users.ts';

/** What lasts from one day to the next. */
export interface LogWorld {
  readonly seed: number;
  readonly users: readonly User[];
  readonly catalog: readonly Play[];
  readonly outside: readonly Play[];
  readonly matchRate: number;
  nextSessionId: number;
}

interface Session {
  readonly id: number;
  /** Undefined for a visitor who never logs in. */
  readonly user: User | undefined;
  item: number;
  remaining: number;
  nextTs: number;
  loggedIn: boolean;
  /** Logged-out pages still to show before logging in. */
  browse: number;
  /** The page that must come next: Save Settings after Settings, Submit Upgrade after Upgrade. */
  then: Page | undefined;
  /** Below 1 for a session that starts too late to end in its day at the usual pace. */
  readonly pace: number;
}

const VISITOR_SHARE = 0.01;
const LOGS_IN_LATER_SHARE = 0.1;

export class DayEvents {
  /** Facts about the event `next()` returned last, for the tally. */
  nextSong = false;
  matched = false;
  user: User | undefined;

  readonly #world: LogWorld;
  readonly #rng: Random;
  readonly #to: number;
  readonly #planned: Iterator<PlannedSession>;
  #upcoming: PlannedSession | undefined;
  readonly #running = new MinHeap<Session>(
    (a, b) => a.nextTs < b.nextTs || (a.nextTs === b.nextTs && a.id < b.id),
  );

  constructor(world: LogWorld, day: DayPlan) {
    this.#world = world;
    this.#rng = createRandom(world.seed, 'events', day.index);
    this.#to = day.to;
    this.#planned = plannedSessions(world.seed, day);
    this.#upcoming = this.#takePlanned();
  }

  /** The next line, or undefined when the day is over. */
  next(): string | undefined {
    let top = this.#running.peek();
    while (this.#upcoming && (top === undefined || this.#upcoming.start <= top.nextTs)) {
      this.#running.push(this.#open(this.#upcoming));
      this.#upcoming = this.#takePlanned();
      top = this.#running.peek();
    }
    if (!top) return undefined;
    const line = this.#step(top);
    if (top.remaining > 0) {
      this.#running.topChanged();
    } else {
      this.#running.pop();
      if (top.user) top.user.active -= 1;
    }
    return line;
  }

  #takePlanned(): PlannedSession | undefined {
    const result = this.#planned.next();
    return result.done ? undefined : result.value;
  }

  #open(plan: PlannedSession): Session {
    const rng = this.#rng;
    const kind = rng.next();
    const user = kind < VISITOR_SHARE ? undefined : this.#pickUser();
    if (user) user.active += 1;
    const loggedIn = user !== undefined && kind >= VISITOR_SHARE + LOGS_IN_LATER_SHARE;
    return {
      id: this.#world.nextSessionId++,
      user,
      item: 0,
      remaining: plan.length,
      nextTs: plan.start,
      loggedIn,
      browse: loggedIn ? 0 : rng.int(2),
      then: undefined,
      // Sessions end with their day: the plan fits them in, and one that cannot fit hurries
      // throughout rather than piling its last events into the day's final seconds.
      pace: Math.min(1, (this.#to - plan.start) / (plan.length * MEAN_GAP_MS)),
    };
  }

  /** Busy listeners are asked more often; someone already listening is passed over if possible. */
  #pickUser(): User {
    const users = this.#world.users;
    const first = this.#rng.skewed(users.length);
    for (let probe = 0; probe < 8; probe += 1) {
      const user = users[(first + probe) % users.length] as User;
      if (user.active === 0) return user;
    }
    return users[first] as User;
  }

  #step(session: Session): string {
    const rng = this.#rng;
    const ts = session.nextTs;
    let line: string;
    let gap = 1000 + rng.int(40_000);
    this.nextSong = false;
    this.matched = false;
    this.user = undefined;
    const user = session.loggedIn ? session.user : undefined;
    if (!user) {
      let page: Page;
      if (session.user && session.browse <= 0) {
        page = PAGES.login;
        session.loggedIn = true;
      } else {
        const r = rng.next();
        page = r < 0.7 ? PAGES.home : r < 0.8 ? PAGES.about : PAGES.help;
        session.browse -= 1;
      }
      line = eventLine(NO_PLAY, false, LOGGED_OUT, session.item, 'free', page, session.id, ts);
    } else {
      const page = this.#choosePage(session, user, ts);
      if (page === PAGES.nextSong) {
        const matched = rng.next() < this.#world.matchRate;
        const pool = matched ? this.#world.catalog : this.#world.outside;
        const play = pool[rng.skewed(pool.length)] as Play;
        line = eventLine(play, true, user.who, session.item, user.level, page, session.id, ts);
        // The next event comes when the song ends, or earlier when it is skipped.
        gap = rng.chance(0.1)
          ? 5000 + rng.int(Math.max(1, play.durationMs - 5000))
          : play.durationMs + rng.int(2000);
        this.nextSong = true;
        this.matched = matched;
        this.user = user;
      } else {
        line = eventLine(NO_PLAY, true, user.who, session.item, user.level, page, session.id, ts);
        if (page === PAGES.submitUpgrade || page === PAGES.submitDowngrade) {
          user.level = page === PAGES.submitUpgrade ? 'paid' : 'free';
          user.change = undefined;
        } else if (page === PAGES.logout) {
          session.loggedIn = false;
          session.browse = rng.int(2);
        }
      }
    }
    session.item += 1;
    session.remaining -= 1;
    if (session.remaining > 0) {
      // The pace keeps most sessions inside the day; the rest hurry their last events.
      const next = ts + Math.floor(gap * session.pace);
      session.nextTs = next < this.#to ? next : ts + Math.floor((this.#to - 1 - ts) / session.remaining);
    }
    return line;
  }

  #choosePage(session: Session, user: User, ts: number): Page {
    const rng = this.#rng;
    if (session.remaining === 1 && rng.chance(0.15)) return PAGES.logout;
    const then = session.then;
    if (then) {
      session.then = undefined;
      return then;
    }
    const change = user.change;
    if (change && ts >= change.at && session.remaining >= 3) {
      if (change.to === user.level) {
        user.change = undefined;
      } else {
        session.then = change.to === 'paid' ? PAGES.submitUpgrade : PAGES.submitDowngrade;
        return change.to === 'paid' ? PAGES.upgrade : PAGES.downgrade;
      }
    }
    const r = rng.next();
    if (r < 0.84) return PAGES.nextSong;
    if (r < 0.89) return PAGES.home;
    if (r < 0.905) {
      if (rng.chance(0.4)) session.then = PAGES.saveSettings;
      return PAGES.settings;
    }
    if (r < 0.915) return PAGES.about;
    if (r < 0.93) return PAGES.help;
    if (r < 0.95) return user.level === 'free' ? PAGES.upgrade : PAGES.downgrade;
    if (r < 0.956 && session.remaining > 2) return PAGES.logout;
    if (r < 0.959) return PAGES.error;
    return PAGES.nextSong;
  }
}
