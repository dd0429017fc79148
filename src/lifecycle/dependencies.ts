/**
 * When a task may start, given how its upstream tasks ended (Airflow's trigger rules). A task's
 * upstream is summed up as counts by terminal state; a rule reads the counts and says whether the
 * task waits, is ready, or ends at once as upstream_failed or skipped. An ended-at-once task counts
 * as ended for its own downstream tasks in turn, so failures and skips spread down the graph.
 */
import type { TriggerRule } from '../dag/index.ts';
import type { TaskState, TerminalTaskState } from './states.ts';
import type { TaskGraph } from './task-graph.ts';

/** A task's upstream tasks by how they ended; those not counted have not ended yet. */
export interface UpstreamCounts {
  readonly total: number;
  /** Ended, in any terminal state: success + skipped + failed + upstream_failed. */
  readonly done: number;
  readonly success: number;
  readonly skipped: number;
  readonly failed: number;
}

/** upstream_failed is what is done but none of the others. */
export function upstreamFailedOf(counts: UpstreamCounts): number {
  return counts.done - counts.success - counts.skipped - counts.failed;
}

export type Readiness = 'wait' | 'ready' | 'upstream_failed' | 'skipped';

/**
 * Each trigger rule as a function of its task's upstream counts, as Airflow's TriggerRuleDep
 * decides: first whether the task ends at once (upstream_failed or skipped), then whether it may
 * run now. A task without upstream tasks is ready under every rule.
 */
export const TRIGGER_RULE_TABLE: Readonly<Record<TriggerRule, (c: UpstreamCounts) => Readiness>> = {
  all_success: (c) =>
    failures(c) > 0
      ? 'upstream_failed'
      : c.skipped > 0
        ? 'skipped'
        : c.success === c.total
          ? 'ready'
          : 'wait',
  all_failed: (c) => (c.success + c.skipped > 0 ? 'skipped' : failures(c) === c.total ? 'ready' : 'wait'),
  all_done: (c) => (ended(c) ? 'ready' : 'wait'),
  all_skipped: (c) => (c.success + failures(c) > 0 ? 'skipped' : c.skipped === c.total ? 'ready' : 'wait'),
  one_success: (c) =>
    c.success > 0 ? 'ready' : !ended(c) ? 'wait' : c.done === c.skipped ? 'skipped' : 'upstream_failed',
  one_failed: (c) => (failures(c) > 0 ? 'ready' : ended(c) ? 'skipped' : 'wait'),
  one_done: (c) => (c.success + c.failed > 0 ? 'ready' : ended(c) ? 'skipped' : 'wait'),
  none_failed: (c) =>
    failures(c) > 0 ? 'upstream_failed' : c.success + c.skipped === c.total ? 'ready' : 'wait',
  none_failed_min_one_success: (c) =>
    failures(c) > 0
      ? 'upstream_failed'
      : c.skipped === c.total
        ? 'skipped'
        : c.success + c.skipped === c.total
          ? 'ready'
          : 'wait',
  none_skipped: (c) => (c.skipped > 0 ? 'skipped' : ended(c) ? 'ready' : 'wait'),
  always: () => 'ready',
};

/** Upstream tasks that failed, or are upstream_failed. */
const failures = (c: UpstreamCounts) => c.failed + upstreamFailedOf(c);
/** Every upstream task has ended. */
const ended = (c: UpstreamCounts) => c.done >= c.total;

export const DEFAULT_TRIGGER_RULE: TriggerRule = 'all_success';

export function readiness(counts: UpstreamCounts, rule: TriggerRule = DEFAULT_TRIGGER_RULE): Readiness {
  if (counts.total === 0) return 'ready';
  return TRIGGER_RULE_TABLE[rule](counts);
}

/** No upstream task has ended yet. */
export function noneEnded(total: number): UpstreamCounts {
  return { total, done: 0, success: 0, skipped: 0, failed: 0 };
}

/** What one upstream task ending in `state` adds to its downstream tasks' counts. */
export type UpstreamDelta = Omit<UpstreamCounts, 'total'>;

export function deltaOf(state: TerminalTaskState): UpstreamDelta {
  return {
    done: 1,
    success: state === 'success' ? 1 : 0,
    skipped: state === 'skipped' ? 1 : 0,
    failed: state === 'failed' ? 1 : 0,
  };
}

export function addDelta<T extends UpstreamDelta>(counts: T, delta: UpstreamDelta): T {
  return {
    ...counts,
    done: counts.done + delta.done,
    success: counts.success + delta.success,
    skipped: counts.skipped + delta.skipped,
    failed: counts.failed + delta.failed,
  };
}

/** A task that ended (or was decided): its downstream tasks' counts change. */
export interface TaskEnd {
  readonly state: TerminalTaskState;
  readonly downstream: readonly string[];
}

/** The change in each downstream task's counts that these ends make. */
export function upstreamDeltas(ends: readonly TaskEnd[]): Map<string, UpstreamDelta> {
  const deltas = new Map<string, UpstreamDelta>();
  for (const end of ends) {
    const delta = deltaOf(end.state);
    for (const id of end.downstream) deltas.set(id, addDelta(deltas.get(id) ?? noneEnded(0), delta));
  }
  return deltas;
}

/** A task still waiting for its upstream (state scheduled), with its counts as they now are. */
export interface WaitingTask {
  readonly taskId: string;
  readonly counts: UpstreamCounts;
  readonly downstream: readonly string[];
  /** @default 'all_success' */
  readonly triggerRule?: TriggerRule;
  /** It depends on the past (depends_on_past): its previous run's instance must have ended well. */
  readonly past?: { readonly waitForDownstream: boolean };
}

export interface Decisions {
  /** To queue for the workers. */
  readonly ready: readonly string[];
  /** Ended at once (upstream_failed or skipped): their own downstream tasks are counted next. */
  readonly ended: readonly (TaskEnd & {
    readonly taskId: string;
    readonly state: 'upstream_failed' | 'skipped';
  })[];
}

/** What each waiting task becomes by its trigger rule. */
export function decide(waiting: readonly WaitingTask[]): Decisions {
  const ready: string[] = [];
  const ended: Decisions['ended'][number][] = [];
  for (const task of waiting) {
    const verdict = readiness(task.counts, task.triggerRule);
    if (verdict === 'ready') ready.push(task.taskId);
    else if (verdict !== 'wait')
      ended.push({ taskId: task.taskId, state: verdict, downstream: task.downstream });
  }
  return { ready, ended };
}

/** The counts of `taskId`'s upstream tasks, from the states of the run's task instances. */
export function upstreamCounts(
  graph: TaskGraph,
  states: ReadonlyMap<string, TaskState>,
  taskId: string,
): UpstreamCounts {
  let counts = noneEnded(graph.get(taskId)?.upstream.length ?? 0);
  for (const id of graph.get(taskId)?.upstream ?? []) {
    const state = states.get(id);
    if (state === 'success' || state === 'failed' || state === 'upstream_failed' || state === 'skipped')
      counts = addDelta(counts, deltaOf(state));
  }
  return counts;
}

export interface Settlement {
  readonly ready: readonly string[];
  readonly upstreamFailed: readonly string[];
  readonly skipped: readonly string[];
}

/**
 * Every waiting (scheduled) task of a run decided from the states of the others, to the end:
 * what ends at once is counted for the tasks below it. Tasks not in `states` are not waiting.
 */
export function settle(graph: TaskGraph, states: ReadonlyMap<string, TaskState>): Settlement {
  const now = new Map(states);
  const upstreamFailed: string[] = [];
  const skipped: string[] = [];
  for (;;) {
    const waiting = [...graph.keys()]
      .filter((id) => now.get(id) === 'scheduled')
      .map((id) => ({
        taskId: id,
        counts: upstreamCounts(graph, now, id),
        downstream: graph.get(id)?.downstream ?? [],
        triggerRule: graph.get(id)?.triggerRule,
      }));
    const { ready, ended } = decide(waiting);
    if (ended.length === 0) return { ready, upstreamFailed, skipped };
    for (const end of ended) {
      now.set(end.taskId, end.state);
      (end.state === 'skipped' ? skipped : upstreamFailed).push(end.taskId);
    }
  }
}

/** The same task in the DAG's previous run, as depends_on_past reads it. */
export interface PreviousTask {
  readonly state: TaskState;
  /** The states of its downstream tasks in that run (for wait_for_downstream). */
  readonly downstream: readonly TaskState[];
}

/**
 * Whether a task that depends on the past may run: its previous run's instance (undefined when
 * there is none: the first run) succeeded or was skipped, and with `waitForDownstream` its
 * downstream tasks there too. Otherwise it stays scheduled until they have.
 */
export function pastAllows(previous: PreviousTask | undefined, waitForDownstream: boolean): boolean {
  if (!previous) return true;
  const ok = (state: TaskState) => state === 'success' || state === 'skipped';
  return ok(previous.state) && (!waitForDownstream || previous.downstream.every(ok));
}
