import { describe, expect, it } from 'vitest';
import { dag, type Operator } from '../dag/index.ts';
import { countsAfterClear, tasksToClear } from './clear.ts';
import type { TaskState } from './states.ts';
import { graphOf } from './task-graph.ts';

const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
const d = dag({ id: 'c', schedule: null, startDate: '2018-11-01' }, (b) =>
  b.chain(b.task('a', op), [b.task('b', op), b.task('c', op)], b.task('d', op)),
);
const graph = graphOf(d);
const states = new Map<string, TaskState>([
  ['a', 'success'],
  ['b', 'failed'],
  ['c', 'success'],
  ['d', 'upstream_failed'],
]);

describe('tasksToClear', () => {
  it('clears the named tasks, or every task when none is named', () => {
    expect(tasksToClear(graph, states, ['b'])).toEqual(['b']);
    expect(tasksToClear(graph, states, undefined)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('with downstream, adds every task below the named ones', () => {
    expect(tasksToClear(graph, states, ['b'], { downstream: true })).toEqual(['b', 'd']);
    expect(tasksToClear(graph, states, ['a'], { downstream: true })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('with onlyFailed, keeps those that did not succeed', () => {
    expect(tasksToClear(graph, states, undefined, { onlyFailed: true })).toEqual(['b', 'd']);
  });

  it('never clears a running task', () => {
    expect(tasksToClear(graph, new Map([...states, ['c', 'running']]), undefined)).toEqual(['a', 'b', 'd']);
  });
});

describe('countsAfterClear', () => {
  it('counts each task’s upstream from the states after the clear', () => {
    const counts = countsAfterClear(graph, states, ['b', 'd']);
    expect(counts.get('d')).toEqual({ total: 2, done: 1, success: 1, skipped: 0, failed: 0 });
    expect(counts.get('b')).toEqual({ total: 1, done: 1, success: 1, skipped: 0, failed: 0 });
    expect(counts.get('a')).toEqual({ total: 0, done: 0, success: 0, skipped: 0, failed: 0 });
  });
});
