import { describe, expect, it } from 'vitest';
import { dag, type Operator } from '../dag/index.ts';
import {
  decide,
  noneEnded,
  readiness,
  settle,
  upstreamCounts,
  upstreamDeltas,
  type UpstreamCounts,
} from './dependencies.ts';
import type { TaskState } from './states.ts';
import { graphFromDownstream, graphOf } from './task-graph.ts';

const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
const counts = (c: Partial<UpstreamCounts> & { total: number }): UpstreamCounts => ({
  ...noneEnded(c.total),
  ...c,
});

describe('all_success, the default trigger rule', () => {
  it.each([
    ['no upstream task', counts({ total: 0 }), 'ready'],
    ['every upstream task succeeded', counts({ total: 2, done: 2, success: 2 }), 'ready'],
    ['one of two still running', counts({ total: 2, done: 1, success: 1 }), 'wait'],
    ['none ended yet', counts({ total: 3 }), 'wait'],
    ['one failed, one still running', counts({ total: 2, done: 1, failed: 1 }), 'upstream_failed'],
    ['one upstream_failed', counts({ total: 2, done: 2, success: 1 }), 'upstream_failed'],
    ['one skipped, the other succeeded', counts({ total: 2, done: 2, success: 1, skipped: 1 }), 'skipped'],
    [
      'one skipped, one failed: the failure wins',
      counts({ total: 2, done: 2, skipped: 1, failed: 1 }),
      'upstream_failed',
    ],
  ] as const)('%s → %s', (_, c, expected) => {
    expect(readiness(c)).toBe(expected);
  });
});

describe('decide and the counts of ends', () => {
  it('sums each downstream task’s ends, one delta per task however many upstream tasks end', () => {
    const deltas = upstreamDeltas([
      { state: 'failed', downstream: ['d'] },
      { state: 'upstream_failed', downstream: ['d', 'e'] },
      { state: 'success', downstream: ['e'] },
    ]);
    expect(Object.fromEntries(deltas)).toEqual({
      d: { total: 0, done: 2, success: 0, skipped: 0, failed: 1 },
      e: { total: 0, done: 2, success: 1, skipped: 0, failed: 0 },
    });
  });

  it('says which waiting tasks are ready and which end at once, with their downstream', () => {
    expect(
      decide([
        { taskId: 'r', counts: counts({ total: 1, done: 1, success: 1 }), downstream: [] },
        { taskId: 'w', counts: counts({ total: 2, done: 1, success: 1 }), downstream: [] },
        { taskId: 'f', counts: counts({ total: 1, done: 1, failed: 1 }), downstream: ['g'] },
        { taskId: 's', counts: counts({ total: 1, done: 1, skipped: 1 }), downstream: ['t'] },
      ]),
    ).toEqual({
      ready: ['r'],
      ended: [
        { taskId: 'f', state: 'upstream_failed', downstream: ['g'] },
        { taskId: 's', state: 'skipped', downstream: ['t'] },
      ],
    });
  });
});

describe('settle: a run decided from its task states', () => {
  const diamond = dag({ id: 'diamond', schedule: null, startDate: '2018-11-01' }, (d) =>
    d.chain(d.task('a', op), [d.task('b', op), d.task('c', op)], d.task('d', op), d.task('e', op)),
  );
  const graph = graphOf(diamond);
  const states = (s: Record<string, TaskState>) =>
    new Map<string, TaskState>([...graph.keys()].map((id) => [id, s[id] ?? 'scheduled']));

  it('starts with the roots', () => {
    expect(settle(graph, states({}))).toEqual({ ready: ['a'], upstreamFailed: [], skipped: [] });
  });

  it('makes both sides of a diamond ready together, and the join only after both', () => {
    expect(settle(graph, states({ a: 'success' })).ready).toEqual(['b', 'c']);
    expect(settle(graph, states({ a: 'success', b: 'success', c: 'running' })).ready).toEqual([]);
    expect(settle(graph, states({ a: 'success', b: 'success', c: 'success' })).ready).toEqual(['d']);
  });

  it('spreads a failure down every path at once, before the other side ends', () => {
    expect(settle(graph, states({ a: 'success', b: 'failed', c: 'running' }))).toEqual({
      ready: [],
      upstreamFailed: ['d', 'e'],
      skipped: [],
    });
  });

  it('spreads a skip down a chain, and a failure beside it wins at the join', () => {
    expect(settle(graph, states({ a: 'skipped' }))).toEqual({
      ready: [],
      upstreamFailed: [],
      skipped: ['b', 'c', 'd', 'e'],
    });
    expect(settle(graph, states({ a: 'success', b: 'skipped', c: 'failed' }))).toEqual({
      ready: [],
      upstreamFailed: ['d', 'e'],
      skipped: [],
    });
  });

  it('leaves tasks that are not waiting as they are', () => {
    expect(settle(graph, states({ a: 'failed', b: 'success' })).upstreamFailed).toEqual(['c', 'd', 'e']);
  });

  it('reads the same graph from task-instance rows as from the DAG', () => {
    const rows = [...diamond.tasks.values()].map((t) => ({ taskId: t.id, downstream: [...t.downstream] }));
    const fromRows = graphFromDownstream(rows);
    const s = states({ a: 'success', b: 'success' });
    for (const id of graph.keys())
      expect(upstreamCounts(fromRows, s, id)).toEqual(upstreamCounts(graph, s, id));
  });

  it('with `only`, keeps just those tasks and the edges between them (tasks test)', () => {
    const only = graphOf(diamond, ['b', 'd']);
    expect([...only.keys()]).toEqual(['b', 'd']);
    expect(only.get('d')).toEqual({ upstream: ['b'], downstream: [], triggerRule: 'all_success' });
    expect(
      settle(
        only,
        new Map([
          ['b', 'scheduled'],
          ['d', 'scheduled'],
        ]),
      ).ready,
    ).toEqual(['b']);
  });
});

describe('every trigger rule, as Airflow decides it', () => {
  // total 2 upstream tasks; the counts as they stand, and what the task becomes.
  const c = (done: number, success: number, skipped: number, failed: number) =>
    counts({ total: 2, done, success, skipped, failed });
  it.each([
    ['all_success', c(1, 1, 0, 0), 'wait'],
    ['all_failed', c(2, 0, 0, 1), 'ready'], // one failed, one upstream_failed
    ['all_failed', c(1, 0, 0, 1), 'wait'],
    ['all_failed', c(1, 1, 0, 0), 'skipped'],
    ['all_done', c(1, 0, 0, 1), 'wait'],
    ['all_done', c(2, 0, 1, 1), 'ready'],
    ['all_skipped', c(2, 0, 2, 0), 'ready'],
    ['all_skipped', c(1, 0, 1, 0), 'wait'],
    ['all_skipped', c(1, 1, 0, 0), 'skipped'],
    ['one_success', c(1, 1, 0, 0), 'ready'],
    ['one_success', c(1, 0, 0, 1), 'wait'],
    ['one_success', c(2, 0, 2, 0), 'skipped'],
    ['one_success', c(2, 0, 1, 1), 'upstream_failed'],
    ['one_failed', c(1, 0, 0, 1), 'ready'],
    ['one_failed', c(1, 0, 0, 0), 'ready'], // upstream_failed counts as a failure
    ['one_failed', c(1, 1, 0, 0), 'wait'],
    ['one_failed', c(2, 1, 1, 0), 'skipped'],
    ['one_done', c(1, 0, 0, 1), 'ready'],
    ['one_done', c(2, 0, 1, 0), 'skipped'], // skipped and upstream_failed are not done work
    ['none_failed', c(2, 1, 1, 0), 'ready'],
    ['none_failed', c(1, 0, 0, 0), 'upstream_failed'],
    ['none_failed_min_one_success', c(2, 0, 2, 0), 'skipped'],
    ['none_failed_min_one_success', c(2, 1, 1, 0), 'ready'],
    ['none_skipped', c(2, 1, 0, 1), 'ready'],
    ['none_skipped', c(1, 0, 1, 0), 'skipped'],
    ['none_skipped', c(1, 1, 0, 0), 'wait'],
    ['always', c(0, 0, 0, 0), 'ready'],
  ] as const)('%s with %o → %s', (rule, given, expected) => {
    expect(readiness(given, rule)).toBe(expected);
  });

  it('makes a task without upstream ready, whatever its rule', () => {
    for (const rule of ['one_success', 'all_failed', 'all_skipped', 'one_failed'] as const)
      expect(readiness(counts({ total: 0 }), rule)).toBe('ready');
  });
});
