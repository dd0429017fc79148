import { hostname } from 'node:os';
import type { Dag } from '../dag/index.ts';
import { systemClock, type Clock } from '../clock/index.ts';
import { beat, deleteOldLogLines, forget } from '../store/admin/index.ts';
import {
  decideDeadlines,
  finishBackfills,
  releaseHeldTasks,
  startQueuedRuns,
  type MissedRun,
} from '../store/runs/index.ts';
import { requeueZombies } from '../store/queue/index.ts';
import type { Db } from '../store/db/index.ts';
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
  /**
   * Log lines of tries that ended longer ago than this are deleted (runs, tries and check results
   * stay; `downbeat db clean --runs` deletes those). A pass starts every `logCleanEveryMs` and
   * deletes a bounded amount per loop. @default undefined: logs are kept forever
   */
  readonly logRetentionMs?: number;
  /** @default 3600000 (an hour) */
  readonly logCleanEveryMs?: number;
  /**
   * Told of the scheduled runs of a DAG newly found past its deadline (once per run, whichever
   * scheduler finds them): the alert webhook. Not awaited by the loop. @default nothing is told
   */
  readonly onDeadlineMisses?: (dag: Dag, missed: readonly MissedRun[]) => Promise<void>;
  /**
   * The source-lineage sweep (app/source-sweep.ts: marks runs whose read objects changed at the
   * source stale), started at the first loop and then every `sourcesCheckEveryMs`, in the
   * background (the loop goes on meanwhile; one sweep at a time). @default no sweep
   */
  readonly sweepSources?: (now: number) => Promise<unknown>;
  /** @default 3600000 (an hour) */
  readonly sourcesCheckEveryMs?: number;
  /** Told of a sweep that failed. @default ignored */
  readonly onSourcesSweepError?: (error: Error) => void;
}

export interface LoopResult {
  readonly created: number;
  readonly started: number;
  readonly requeued: number;
  /** Log lines deleted by the log retention in this loop. */
  readonly logLinesDeleted: number;
  /** Scheduled runs found past their DAG's deadline in this loop. */
  readonly deadlineMisses: number;
  /** Whether this loop started a source-lineage sweep. */
  readonly sourcesSweepStarted: boolean;
  readonly ms: number;
}

/** Batches of task instances whose old log lines one loop deletes at most (see deleteOldLogLines). */
const LOG_BATCHES_PER_LOOP = 2;

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
  /** The log cleaning pass in progress (where it goes on from), or when the next one starts. */
  #logs: { next: number; cutoff: number } | { at: number } = { at: 0 };
  /** When the next source sweep is due, and the one under way. */
  #sweep: { at: number; running?: Promise<void> } = { at: Number.NEGATIVE_INFINITY };
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
    // Tasks that depend on the past, held while their previous run's instance had not ended well.
    const released = await releaseHeldTasks(db, now);
    if (startedRuns > 0 || requeued > 0 || released > 0) this.#options.onWork?.();
    const logLinesDeleted = scoped ? 0 : await this.#cleanLogs(now);
    const deadlineMisses = scoped ? 0 : await this.#decideDeadlines(now);
    const sourcesSweepStarted = !scoped && this.#startSourcesSweep(now);
    this.lastLoop = {
      created,
      started: startedRuns,
      requeued,
      logLinesDeleted,
      deadlineMisses,
      sourcesSweepStarted,
      ms: performance.now() - started,
    };
    return this.lastLoop;
  }

  /** Decides the deadlines that passed; tells of the misses. How many runs missed theirs. */
  async #decideDeadlines(now: number): Promise<number> {
    let missed = 0;
    for (const dag of this.#options.dags.values()) {
      if (dag.deadlineMs === null) continue;
      const runs = await decideDeadlines(this.#options.db, dag.id, dag.deadlineMs, now);
      if (runs.length === 0) continue;
      missed += runs.length;
      // An alert must not hold up the loop, nor its failure stop it (the miss is recorded).
      void this.#options.onDeadlineMisses?.(dag, runs).catch(() => undefined);
    }
    return missed;
  }

  /** Starts a source sweep when one is due and none is under way; whether it did. */
  #startSourcesSweep(now: number): boolean {
    const sweep = this.#options.sweepSources;
    if (!sweep || this.#sweep.running || now < this.#sweep.at) return false;
    const running = sweep(now)
      // A failed sweep (a source unreachable) is tried again at the next due time, not each loop.
      .then(
        () => undefined,
        (error: unknown) => this.#options.onSourcesSweepError?.(error as Error),
      )
      .finally(() => {
        this.#sweep = { at: this.#sweep.at };
      });
    this.#sweep = { at: now + (this.#options.sourcesCheckEveryMs ?? 3_600_000), running };
    return true;
  }

  /** The source sweep under way, if any (a test awaits it). */
  get sourcesSweep(): Promise<void> | undefined {
    return this.#sweep.running;
  }

  /** A bounded step of the log retention's pass, when one is due or under way. */
  async #cleanLogs(now: number): Promise<number> {
    const retentionMs = this.#options.logRetentionMs;
    if (retentionMs === undefined) return 0;
    const state = this.#logs;
    if ('at' in state && now < state.at) return 0;
    // One cutoff for a whole pass, so that it ends even while tries keep ending.
    const pass = 'at' in state ? { next: 0, cutoff: now - retentionMs } : state;
    const { deleted, next } = await deleteOldLogLines(this.#options.db, pass.cutoff, {
      afterTiId: pass.next,
      maxBatches: LOG_BATCHES_PER_LOOP,
    });
    this.#logs =
      next === undefined
        ? { at: now + (this.#options.logCleanEveryMs ?? 3_600_000) }
        : { next, cutoff: pass.cutoff };
    return deleted;
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
    await this.#sweep.running;
    await forget(this.#options.db, this.id).catch(() => undefined);
  }
}
