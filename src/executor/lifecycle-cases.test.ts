import { describe, expect, it } from 'vitest';
import { TaskFailure, type ConnectionResolver, type Operator } from '../dag/index.ts';
import { LIFECYCLE_CASES, outcomeOf, tryOutcome, type LifecycleCase } from '../lifecycle/testing.ts';
import { runInProcess, runStateOf } from './run-in-process.ts';

const connections: ConnectionResolver = {
  objectStore: () => Promise.reject(new Error('no stores in this test')),
  warehouse: () => Promise.reject(new Error('no warehouses in this test')),
};

/** Each task's work as the case says, try by try. */
function working(c: LifecycleCase) {
  return c.build((taskId): Operator => ({
    kind: 'case',
    describe: () => ({}),
    execute: (context) =>
      tryOutcome(c.work[taskId], context.tryNumber) === 'failed'
        ? Promise.reject(new TaskFailure('case', `${taskId} fails in this case`))
        : Promise.resolve(outcomeOf(c.work[taskId])),
  }));
}

describe('the lifecycle cases, through the in-process runner of dags test', () => {
  it.each(LIFECYCLE_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const d = working(c);
    const results = await runInProcess({
      dag: d,
      run: d.runFor(new Date('2018-11-15T10:00:00Z')),
      connections,
    });
    const tasks = Object.fromEntries(results.map((r) => [r.taskId, r.state]));
    const run = runStateOf(d, results);
    expect({ tasks, run }).toEqual(c.withoutRetries ?? c.expected);
  });
});
