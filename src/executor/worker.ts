import { hostname } from 'node:os';
import {
  paramsOf,
  type ConnectionResolver,
  type Dag,
  type RunInfo,
  type RunStateReader,
  type Task,
  type TaskEvent,
  type VariableReader,
} from '../dag/index.ts';
import { sendAlert } from './alerts.ts';
import { runCallback } from './callbacks.ts';
import { systemClock, type Clock } from '../clock/index.ts';
import { beat, forget } from '../store/admin/index.ts';
import {
  claimTasks,
  heartbeat,
  type ClaimedTask,
  type ClaimScope,
  type TryEnd,
  type TryEndResult,
} from '../store/queue/index.ts';
import type { Db } from '../store/db/index.ts';
import { runStates, upstreamOutputs } from '../store/read/index.ts';
import { EndWriter } from './end-writer.ts';
import { LiveLog } from './live-log.ts';
import { executeTask } from './execute-task.ts';

export interface WorkerOptions {
  readonly db: Db;
  readonly dags: ReadonlyMap<string, Dag>;
  /** The connections a DAG's tasks use. */
  readonly connectionsFor: (dag: Dag) => ConnectionResolver & { uri?(connectionId: string): string };
  /** @default none: every variable is unset */
  readonly variables?: VariableReader;
  /** The metadata DB's runs, for a sensor on another DAG. @default read from `db` */
  readonly runs?: RunStateReader;
  /** Lines for the process's own log: a callback or an alert that failed. @default ignored */
  readonly log?: (line: string) => void;
  /** Tasks run at once. @default 4 */
  readonly concurrency?: number;
  /** @default `${hostname}:${pid}:${random}` */
  readonly id?: string;
  /** How often running tries heartbeat. @default 5000 */
  readonly heartbeatMs?: number;
  /** How long an idle worker waits before looking again when nobody wakes it. @default 2000 */
  readonly pollMs?: number;
  readonly clock?: Clock;
  /** Only tasks of this backfill's runs. @default any */
  readonly backfillId?: number;
  /** Called after each try ends, with what the store made of it. */
  readonly onTryEnd?: (task: ClaimedTask, result: TryEndResult) => void;
}

/**
 * Claims ready task instances from the metadata DB and runs them: up to `concurrency` at once,
 * heartbeating while they run. A finished try makes its downstream tasks ready in the same
 * transaction, and this worker looks for work again at once, so a downstream task starts
 * milliseconds after its upstream ends. `wake()` lets the scheduler (or a LISTEN) skip the poll.
 */
export class Worker {
  readonly id: string;
  readonly #options: WorkerOptions;
  readonly #clock: Clock;
  readonly #runs: RunStateReader;
  readonly #running = new Map<number, Promise<void>>();
  #stopping = false;
  #wake = new AbortController();
  #loop: Promise<void> | undefined;
  #heartbeats: NodeJS.Timeout | undefined;
  /** Free slots a claim under way will fill: not to be claimed again meanwhile. */
  #reserved = 0;
  readonly #ends: EndWriter;

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#runs = options.runs ?? runStates(options.db);
    this.id = options.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.#ends = new EndWriter({
      db: options.db,
      clock: this.#clock,
      scope: { backfillId: options.backfillId },
      freeSlots: () =>
        this.#stopping ? -1 : Math.max(0, this.#concurrency - this.#running.size - this.#reserved),
      reserve: (slots) => (this.#reserved += slots),
    });
  }

  start(): void {
    if (this.#loop) return;
    // The worker itself is seen alive in `processes` (for /metrics), its running tries by their rows.
    const beatAll = () => {
      const now = this.#clock.now();
      beat(this.#options.db, this.id, 'worker', now).catch(() => undefined);
      heartbeat(this.#options.db, this.id, [...this.#running.keys()], now).catch(() => undefined);
    };
    beatAll();
    this.#heartbeats = setInterval(beatAll, this.#options.heartbeatMs ?? 5000);
    this.#loop = this.#run();
  }

  /** Look for work now. */
  wake(): void {
    this.#wake.abort();
  }

  /** Stops claiming and waits for the tries in flight to end (SIGTERM drains). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    // A try that ends claims the next ones in its transaction: they are waited for too.
    while (this.#running.size > 0) await Promise.all(this.#running.values());
    clearInterval(this.#heartbeats);
    await forget(this.#options.db, this.id).catch(() => undefined);
  }

  get busy(): number {
    return this.#running.size;
  }

  async #run(): Promise<void> {
    const concurrency = this.#options.concurrency ?? 4;
    while (!this.#stopping) {
      const free = concurrency - this.#running.size - this.#reserved;
      let claimed: ClaimedTask[] = [];
      if (free > 0) {
        this.#reserved += free;
        try {
          claimed = await claimTasks(this.#options.db, this.id, free, this.#clock.now(), this.#scope);
        } catch {
          // The metadata DB is unreachable (restarting?): wait, then try again.
          await this.#clock.sleep(this.#options.pollMs ?? 2000);
          continue;
        } finally {
          this.#reserved -= free;
        }
      }
      this.#startAll(claimed);
      // A try's end claims for the slot it frees: the loop waits for new work to be notified (a
      // wake) or for its poll, not for tries to end.
      if (claimed.length === 0 || this.#running.size + this.#reserved >= concurrency) {
        const wake = this.#wake;
        await this.#clock.sleep(this.#options.pollMs ?? 2000, wake.signal);
        if (wake.signal.aborted) this.#wake = new AbortController();
      }
    }
  }

  get #scope(): ClaimScope {
    return { backfillId: this.#options.backfillId };
  }

  /** Runs each task; a try that ends hands its slot to the tasks its end claimed. */
  #startAll(tasks: readonly ClaimedTask[]): void {
    for (const task of tasks) {
      const done = this.#execute(task).then(
        (next) => {
          this.#running.delete(task.tiId);
          // An end that claimed looked for work for every free slot: the loop need not look again
          // until it is woken (new work notified) or its poll comes round.
          if (next === undefined) return this.wake();
          this.#reserved -= next.length;
          this.#startAll(next);
        },
        () => {
          this.#running.delete(task.tiId);
          this.wake();
        },
      );
      this.#running.set(task.tiId, done);
    }
  }

  /** Callbacks for every end; the alert webhook when the task failed for good (or retries, if asked). */
  async #notify(
    dag: Dag,
    definition: Task,
    task: ClaimedTask,
    result: TryEndResult,
    error?: TaskEvent['error'],
  ): Promise<void> {
    if (result.state === 'stale' || result.state === 'skipped' || result.state === 'up_for_reschedule')
      return;
    const event: TaskEvent = {
      dagId: task.dagId,
      taskId: task.taskId,
      runId: task.runId,
      logicalDate: new Date(task.logicalDate),
      tryNumber: task.tryNumber,
      state: result.state,
      error,
    };
    const log = this.#options.log ?? (() => undefined);
    await runCallback(definition, event, log);
    const alert =
      result.state === 'failed' || (result.state === 'up_for_retry' && definition.settings.alertOnRetry);
    if (!alert) return;
    let url: string;
    try {
      url = this.#options.connectionsFor(dag).uri?.(definition.settings.alertConnection) ?? '';
    } catch {
      return; // no alert connection defined: alerts are off
    }
    if (!url) return;
    const problem = await sendAlert(url, event);
    if (problem) log(`${task.dagId}.${task.taskId}: ${problem}`);
  }

  get #concurrency(): number {
    return this.#options.concurrency ?? 4;
  }

  /** Runs a claimed try and records its end; returns the tasks that end claimed next, if it claimed. */
  async #execute(task: ClaimedTask): Promise<readonly ClaimedTask[] | undefined> {
    const dag = this.#options.dags.get(task.dagId);
    const definition = dag?.tasks.get(task.taskId);
    // The end claims this worker's next tasks in its own transaction (end-writer.ts).
    let next: readonly ClaimedTask[] | undefined;
    const leaf = definition !== undefined && definition.downstream.size === 0;
    const record = async (end: TryEnd): Promise<TryEndResult> => {
      const recorded = await this.#ends.record(task, end, leaf);
      next = recorded.claimed;
      return recorded.result;
    };
    const end = async (result: Omit<TryEnd, 'tiId' | 'tryNumber' | 'worker'>) => {
      const recorded = await record({
        tiId: task.tiId,
        tryNumber: task.tryNumber,
        worker: this.id,
        ...result,
      });
      this.#options.onTryEnd?.(task, recorded);
      if (dag && definition) await this.#notify(dag, definition, task, recorded, result.error);
    };
    if (task.poolProblem) {
      const { code, message } = task.poolProblem;
      await end({
        state: 'failed',
        outcome: {},
        error: { code, message: `task ${task.dagId}.${task.taskId}: ${message}` },
        log: [],
      });
      return next;
    }
    if (!dag || !definition) {
      await end({
        state: 'failed',
        outcome: {},
        error: {
          code: 'dag_not_found',
          message: `this worker has no task ${task.dagId}.${task.taskId} in its DAGs folder`,
        },
        log: [],
      });
      return next;
    }
    const run: RunInfo = {
      dagId: task.dagId,
      runId: task.runId,
      runType: task.runType,
      logicalDate: new Date(task.logicalDate),
      dataInterval: { start: new Date(task.intervalStart), end: new Date(task.intervalEnd) },
      conf: JSON.parse(task.conf) as Record<string, unknown>,
      // A range run covers consecutive intervals of the DAG's schedule: they are the schedule's own.
      ...(task.range
        ? { intervals: dag.intervalsBetween(new Date(task.intervalStart), new Date(task.intervalEnd)) }
        : {}),
    };
    const live = new LiveLog(this.#options.db, task.tiId, task.tryNumber);
    // What context.output reads, loaded before the task starts: its upstream tasks' outputs. Not
    // to be had (the metadata DB went away), the try fails and is retried as any failure is.
    let outputs = new Map<string, unknown>();
    if (definition.upstream.size > 0) {
      try {
        outputs = await upstreamOutputs(this.#options.db, task.runPk, [...definition.upstream]);
      } catch (error) {
        await live.close();
        const message = `the outputs of its upstream tasks could not be read: ${(error as Error).message}`;
        await end({ state: 'failed', outcome: {}, error: { code: 'outputs_unavailable', message }, log: [] });
        return next;
      }
    }
    const result = await executeTask({
      upstreamOutputs: outputs,
      params: paramsOf(dag.params, run.conf),
      run,
      task: definition,
      tryNumber: task.tryNumber,
      firstTryStartedAt: new Date(task.firstTryStartedAt),
      runs: this.#runs,
      connections: this.#options.connectionsFor(dag),
      variables: this.#options.variables ?? { get: () => Promise.resolve(undefined) },
      now: () => new Date(this.#clock.now()),
      onLog: (line) => live.push(line),
    });
    const rest = await live.close();
    await end({
      state: result.state,
      rescheduleAt: result.rescheduleAt?.getTime(),
      final: result.final,
      outcome: result.outcome,
      output: result.output,
      error: result.error,
      log: rest,
    });
    return next;
  }
}
