import { hostname } from 'node:os';
import type { Dag } from '../dag/index.ts';
import { systemClock, type Clock } from '../clock/index.ts';
import { beat, finishBackfills, forget, requeueZombies, startQueuedRuns, type Db } from '../store/index.ts';
import { createDueRuns } from './create-due-runs.ts';

export interface SchedulerOptions {
  readonly db: Db;
  readonly dags: ReadonlyMap<string, Dag>;
  readonly clock?: Clock;
  /** Time between loops. @default 1000 */
  readonly loopMs?: number;
  /** A running try whose heartbeat is older than this is lost. @default 60000 */
  readonly zombieAfterMs?: number;
  /** Called when a loop made work ready (wakes in-process workers). */
  readonly onWork?: () => void;
  readonly id?: string;
  /**
   * Only this backfill's runs: no scheduled runs are created and no other runs started (what
   * `dags backfill` runs in its own process when no scheduler is alive). @default everything
   */
  readonly backfillId?: number;
}

export interface LoopResult {
  readonly created: number;
  readonly started: number;
  readonly requeued: number;
  readonly ms: number;
}

/**
 * The scheduler: creates due runs, starts queued runs within max_active_runs (scheduled before
 * backfill), puts tasks of dead workers back in the queue, closes finished backfills. Task
 * dependencies are not its job: the end of a try makes its downstream ready (see store/queue.ts).
 * Several schedulers may run at once: every step is safe to repeat and to race.
 */
export class Scheduler {
  readonly id: string;
  readonly #options: SchedulerOptions;
  readonly #clock: Clock;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  lastLoop: LoopResult | undefined;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.id =
      options.id ?? `scheduler:${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  }

  /** One pass of the loop. */
  async tick(): Promise<LoopResult> {
    const started = performance.now();
    const now = this.#clock.now();
    const { db, dags } = this.#options;
    const scoped = this.#options.backfillId !== undefined;
    // A scoped scheduler is not "the" scheduler: it does not announce itself to other commands.
    if (!scoped) await beat(db, this.id, 'scheduler', now, this.lastLoop?.ms ?? null);
    const created = scoped ? 0 : await createDueRuns(db, dags, now);
    const requeued = (await requeueZombies(db, now, this.#options.zombieAfterMs ?? 60_000)).length;
    const startedRuns = await startQueuedRuns(db, now, { backfillId: this.#options.backfillId });
    await finishBackfills(db, now);
    if (startedRuns > 0 || requeued > 0) this.#options.onWork?.();
    this.lastLoop = { created, started: startedRuns, requeued, ms: performance.now() - started };
    return this.lastLoop;
  }

  start(onError: (error: Error) => void = () => undefined): void {
    if (this.#loop) return;
    this.#loop = (async () => {
      while (!this.#stop.signal.aborted) {
        try {
          await this.tick();
        } catch (error) {
          // The metadata DB may be restarting: report, wait, go on.
          onError(error as Error);
        }
        await this.#clock.sleep(this.#options.loopMs ?? 1000, this.#stop.signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    await forget(this.#options.db, this.id).catch(() => undefined);
  }
}
