/**
 * One table of lifecycle cases — DAG shapes and what each task's work does — with the states every
 * engine must end in: src/lifecycle/ alone (`simulateRun` below), the in-process runner of `dags
 * test`, and the SQLite and PostgreSQL queues each run the table and compare.
 */
import { dag, type Dag, type Operator, type TaskOutcome, type TriggerRule } from '../dag/index.ts';
import { skippedBy } from './branching.ts';
import { afterTry } from './retry-policy.ts';
import { outcomeOfStates } from './run-outcome.ts';
import { settle } from './dependencies.ts';
import type { TaskState } from './states.ts';
import { graphOf } from './task-graph.ts';

/**
 * What a task's work does at each try: succeeds, fails, fails once and then succeeds, skips
 * itself (a sensor that soft-failed), branches (succeeds following these downstream tasks), or
 * short-circuits (succeeds, skipping all below).
 */
export type Work =
  'success' | 'failed' | 'flaky' | 'skipped' | 'short_circuit' | { readonly follow: readonly string[] };

export interface LifecycleCase {
  readonly name: string;
  /** The case's DAG, every task running the operator `operatorFor` gives it. */
  readonly build: (operatorFor: (taskId: string) => Operator) => Dag;
  /** The DAG with no-op operators. */
  readonly dag: Dag;
  /** Every task's work; a task not named succeeds. */
  readonly work: Readonly<Record<string, Work>>;
  /** Each task's final state, and the run's, with the DAG's retries. */
  readonly expected: {
    readonly tasks: Readonly<Record<string, TaskState>>;
    readonly run: 'success' | 'failed';
  };
  /** Where `dags test` (no retries) ends otherwise. @default expected */
  readonly withoutRetries?: LifecycleCase['expected'];
}

/** How try `tryNumber` (1 for the first) of work `work` ends, and what it reports. */
export function tryOutcome(work: Work | undefined, tryNumber: number): 'success' | 'failed' | 'skipped' {
  if (work === 'failed' || work === 'skipped') return work;
  if (work === 'flaky') return tryNumber === 1 ? 'failed' : 'success';
  return 'success';
}

/** What a try of `work` that did not fail reports: a branch's choice, a short circuit, a skip. */
export function outcomeOf(work: Work | undefined): Pick<TaskOutcome, 'follow' | 'shortCircuit' | 'skipped'> {
  if (work === 'short_circuit') return { shortCircuit: true };
  if (work === 'skipped') return { skipped: true };
  if (typeof work === 'object') return { follow: work.follow };
  return {};
}

/** An operator that does nothing; the engines under test are told each try's outcome apart. */
export const NOOP: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };

const START = '2018-11-01T00:00:00Z';
type Op = (taskId: string) => Operator;
const chain = (op: Op) =>
  dag({ id: 'chain', schedule: '@hourly', startDate: START }, (d) =>
    d.chain(...['a', 'b', 'c', 'd'].map((id) => d.task(id, op(id)))),
  );
const diamond = (op: Op) =>
  dag({ id: 'diamond', schedule: '@hourly', startDate: START }, (d) =>
    d.chain(
      d.task('top', op('top')),
      [d.task('left', op('left')), d.task('right', op('right'))],
      d.task('bottom', op('bottom')),
    ),
  );
/** Two roots joining, with a tail below the join and a side branch off one root. */
const fanIn = (op: Op) =>
  dag({ id: 'fan_in', schedule: '@hourly', startDate: START }, (d) => {
    d.chain(
      [d.task('x', op('x')), d.task('y', op('y'))],
      d.task('join', op('join')),
      d.task('tail', op('tail')),
    );
    d.task('side', op('side'), { upstream: ['x'] });
  });
const retrying = (op: Op) =>
  dag(
    { id: 'retrying', schedule: '@hourly', startDate: START, defaultArgs: { retries: 1, retryDelay: '1m' } },
    (d) => d.chain(...['first', 'second', 'third'].map((id) => d.task(id, op(id)))),
  );

/** A fork whose join has a trigger rule: top → [left, right] → join(rule). */
const fork = (rule: TriggerRule) => (op: Op) =>
  dag({ id: `fork_${rule}`, schedule: '@hourly', startDate: START }, (d) =>
    d.chain(
      d.task('top', op('top')),
      [d.task('left', op('left')), d.task('right', op('right'))],
      d.task('join', op('join'), { triggerRule: rule }),
    ),
  );
/** A cleanup after a chain that may fail, and a task below the cleanup. */
const cleanup = (op: Op) =>
  dag({ id: 'cleanup', schedule: '@hourly', startDate: START }, (d) =>
    d.chain(
      d.task('work', op('work')),
      d.task('more', op('more')),
      d.task('cleanup', op('cleanup'), { triggerRule: 'all_done' }),
      d.task('report', op('report')),
    ),
  );

/** A trigger-rule case on a fork: the work of left and right, and what the join and run become. */
const forkCase = (
  rule: TriggerRule,
  work: Readonly<Record<string, Work>>,
  join: TaskState,
  run: 'success' | 'failed',
  sides: { left?: TaskState; right?: TaskState; top?: TaskState } = {},
): LifecycleCase => ({
  name: `${rule}: ${JSON.stringify(work)} → the join is ${join}`,
  build: fork(rule),
  dag: fork(rule)(() => NOOP),
  work,
  expected: {
    tasks: {
      top: sides.top ?? 'success',
      left: sides.left ?? (work.left === 'failed' ? 'failed' : 'success'),
      right: sides.right ?? (work.right === 'failed' ? 'failed' : 'success'),
      join,
    },
    run,
  },
});

const ok = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, 'success' as const]));

export const LIFECYCLE_CASES: readonly LifecycleCase[] = [
  {
    name: 'a chain that succeeds',
    build: chain,
    dag: chain(() => NOOP),
    work: {},
    expected: { tasks: ok(['a', 'b', 'c', 'd']), run: 'success' },
  },
  {
    name: 'a chain failing in its middle: everything below is upstream_failed',
    build: chain,
    dag: chain(() => NOOP),
    work: { b: 'failed' },
    expected: {
      tasks: { a: 'success', b: 'failed', c: 'upstream_failed', d: 'upstream_failed' },
      run: 'failed',
    },
  },
  {
    name: 'a diamond that succeeds',
    build: diamond,
    dag: diamond(() => NOOP),
    work: {},
    expected: { tasks: ok(['top', 'left', 'right', 'bottom']), run: 'success' },
  },
  {
    name: 'a diamond failing on one side: the other side runs, the bottom does not',
    build: diamond,
    dag: diamond(() => NOOP),
    work: { left: 'failed' },
    expected: {
      tasks: { top: 'success', left: 'failed', right: 'success', bottom: 'upstream_failed' },
      run: 'failed',
    },
  },
  {
    name: 'a diamond failing at its top',
    build: diamond,
    dag: diamond(() => NOOP),
    work: { top: 'failed' },
    expected: {
      tasks: { top: 'failed', left: 'upstream_failed', right: 'upstream_failed', bottom: 'upstream_failed' },
      run: 'failed',
    },
  },
  {
    name: 'a diamond failing on both sides',
    build: diamond,
    dag: diamond(() => NOOP),
    work: { left: 'failed', right: 'failed' },
    expected: {
      tasks: { top: 'success', left: 'failed', right: 'failed', bottom: 'upstream_failed' },
      run: 'failed',
    },
  },
  {
    name: 'a fan-in with one root failing: the other root and its side branch run',
    build: fanIn,
    dag: fanIn(() => NOOP),
    work: { y: 'failed' },
    expected: {
      tasks: { x: 'success', y: 'failed', side: 'success', join: 'upstream_failed', tail: 'upstream_failed' },
      run: 'failed',
    },
  },
  {
    name: 'a leaf failing alone',
    build: fanIn,
    dag: fanIn(() => NOOP),
    work: { side: 'failed' },
    expected: {
      tasks: { x: 'success', y: 'success', side: 'failed', join: 'success', tail: 'success' },
      run: 'failed',
    },
  },
  {
    name: 'a flaky task retried: the run succeeds (dags test does not retry)',
    build: retrying,
    dag: retrying(() => NOOP),
    work: { second: 'flaky' },
    expected: { tasks: ok(['first', 'second', 'third']), run: 'success' },
    withoutRetries: {
      tasks: { first: 'success', second: 'failed', third: 'upstream_failed' },
      run: 'failed',
    },
  },
  {
    name: 'a task failing through its retries',
    build: retrying,
    dag: retrying(() => NOOP),
    work: { first: 'failed' },
    expected: {
      tasks: { first: 'failed', second: 'upstream_failed', third: 'upstream_failed' },
      run: 'failed',
    },
  },
  forkCase('all_success', { left: 'failed' }, 'upstream_failed', 'failed'),
  forkCase('all_failed', { left: 'failed', right: 'failed' }, 'success', 'success'),
  forkCase('all_failed', { left: 'failed' }, 'skipped', 'success'),
  forkCase('all_done', { left: 'failed' }, 'success', 'success'),
  forkCase('one_success', { left: 'failed' }, 'success', 'success'),
  forkCase('one_success', { left: 'failed', right: 'failed' }, 'upstream_failed', 'failed'),
  forkCase('one_failed', { right: 'failed' }, 'success', 'success'),
  forkCase('one_failed', {}, 'skipped', 'success'),
  forkCase('one_done', { left: 'failed' }, 'success', 'success'),
  forkCase('none_failed', {}, 'success', 'success'),
  forkCase('none_failed', { right: 'failed' }, 'upstream_failed', 'failed'),
  forkCase('none_failed_min_one_success', { left: 'failed' }, 'upstream_failed', 'failed'),
  forkCase('none_skipped', { left: 'failed' }, 'success', 'success'),
  forkCase('all_skipped', {}, 'skipped', 'success'),
  forkCase('always', { top: 'failed' }, 'success', 'success', {
    top: 'failed',
    left: 'upstream_failed',
    right: 'upstream_failed',
  }),
  forkCase('one_success', { top: 'failed' }, 'upstream_failed', 'failed', {
    top: 'failed',
    left: 'upstream_failed',
    right: 'upstream_failed',
  }),
  forkCase('all_done', { top: 'failed' }, 'success', 'success', {
    top: 'failed',
    left: 'upstream_failed',
    right: 'upstream_failed',
  }),
  forkCase('none_failed_min_one_success', { top: { follow: ['left'] } }, 'success', 'success', {
    right: 'skipped',
  }),
  forkCase('all_success', { top: { follow: ['left'] } }, 'skipped', 'success', { right: 'skipped' }),
  forkCase('none_failed_min_one_success', { top: { follow: [] } }, 'skipped', 'success', {
    left: 'skipped',
    right: 'skipped',
  }),
  forkCase('one_success', { top: { follow: ['right'] }, right: 'failed' }, 'upstream_failed', 'failed', {
    left: 'skipped',
  }),
  // A task that skips itself (a soft-failing sensor) spreads its skip as a branch's does.
  forkCase('all_success', { left: 'skipped' }, 'skipped', 'success', { left: 'skipped' }),
  forkCase('none_failed_min_one_success', { left: 'skipped' }, 'success', 'success', { left: 'skipped' }),
  forkCase('all_done', { top: 'skipped' }, 'success', 'success', {
    top: 'skipped',
    left: 'skipped',
    right: 'skipped',
  }),
  // A short circuit skips every task below it whatever its rule (not `always`: that one runs at once).
  forkCase('all_done', { top: 'short_circuit' }, 'skipped', 'success', { left: 'skipped', right: 'skipped' }),
  {
    name: 'a cleanup (all_done) after a failure runs, and the task below it too',
    build: cleanup,
    dag: cleanup(() => NOOP),
    work: { work: 'failed' },
    expected: {
      tasks: { work: 'failed', more: 'upstream_failed', cleanup: 'success', report: 'success' },
      run: 'success',
    },
  },
];

/**
 * Runs a case with src/lifecycle/ alone, one task at a time, retries taken at once: the states
 * each engine must reach too.
 */
export function simulateRun(
  c: LifecycleCase,
  options: { retries: boolean } = { retries: true },
): LifecycleCase['expected'] {
  const graph = graphOf(c.dag);
  const states = new Map<string, TaskState>([...graph.keys()].map((id) => [id, 'scheduled']));
  const failures = new Map<string, number>();
  for (;;) {
    const { ready, upstreamFailed, skipped } = settle(graph, states);
    for (const id of upstreamFailed) states.set(id, 'upstream_failed');
    for (const id of skipped) states.set(id, 'skipped');
    const next = ready[0];
    if (next === undefined) break;
    const task = c.dag.tasks.get(next);
    if (!task) throw new Error(`no task ${next}`);
    const settings = options.retries ? task.settings : { ...task.settings, retries: 0 };
    for (let tryNumber = 1; ; tryNumber += 1) {
      const verdict = afterTry(tryOutcome(c.work[next], tryNumber), settings, failures.get(next) ?? 0, 0);
      if (verdict.state === 'up_for_retry') {
        failures.set(next, verdict.failures);
        continue;
      }
      states.set(next, verdict.state);
      if (verdict.state === 'success')
        for (const id of skippedBy(graph, next, outcomeOf(c.work[next])))
          if (states.get(id) === 'scheduled') states.set(id, 'skipped');
      break;
    }
  }
  const run = outcomeOfStates(graph, states);
  if (run === undefined) throw new Error(`case "${c.name}" did not end: ${JSON.stringify([...states])}`);
  return { tasks: Object.fromEntries(states), run };
}
