import { describe, expect, it } from 'vitest';
import {
  dag,
  runIdFor,
  TaskFailure,
  type ConnectionResolver,
  type Operator,
  type RunInfo,
} from '../dag/index.ts';
import { runInProcess } from './run-in-process.ts';

const connections: ConnectionResolver = {
  objectStore: () => Promise.reject(new Error('no stores in this test')),
  warehouse: () => Promise.reject(new Error('no warehouses in this test')),
};

function runOf(dagId: string): RunInfo {
  const start = new Date('2018-11-15T10:00:00Z');
  return {
    dagId,
    runId: runIdFor('manual', start),
    runType: 'manual',
    logicalDate: start,
    dataInterval: { start, end: new Date('2018-11-15T11:00:00Z') },
    conf: {},
  };
}

/** An operator that records when it starts and ends, waits, and may fail or hang. */
function step(
  events: string[],
  name: string,
  behaviour: { ms?: number; fail?: boolean; hang?: boolean } = {},
): Operator {
  return {
    kind: 'step',
    describe: () => ({}),
    async execute(context) {
      events.push(`start ${name}`);
      if (behaviour.hang)
        await new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      await new Promise((resolve) => setTimeout(resolve, behaviour.ms ?? 5));
      events.push(`end ${name}`);
      if (behaviour.fail) throw new TaskFailure('broken', `${name} broke`, { rowsWritten: { t: 1 } });
      return { rowsWritten: { [name]: 1 } };
    },
  };
}

describe('runInProcess', () => {
  it('runs tasks in dependency order, independent ones at the same time', async () => {
    const events: string[] = [];
    const d = dag({ id: 'order', schedule: '@hourly', startDate: '2018-11-01' }, (b) => {
      b.chain(
        b.task('begin', step(events, 'begin')),
        [b.task('a', step(events, 'a', { ms: 30 })), b.task('b', step(events, 'b', { ms: 30 }))],
        b.task('end', step(events, 'end')),
      );
    });
    const results = await runInProcess({ dag: d, run: runOf('order'), connections });
    expect(results.map((r) => [r.taskId, r.state])).toEqual([
      ['begin', 'success'],
      ['a', 'success'],
      ['b', 'success'],
      ['end', 'success'],
    ]);
    expect(events.slice(0, 3)).toEqual(['start begin', 'end begin', 'start a']);
    expect(events[3]).toBe('start b'); // b started before a ended
    expect(events.at(-2)).toBe('start end');
  });

  it('marks tasks below a failure upstream_failed, keeps the failure with its outcome, runs the rest', async () => {
    const events: string[] = [];
    const d = dag({ id: 'fails', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.task('begin', step(events, 'begin'));
      b.task('bad', step(events, 'bad', { fail: true }), { upstream: ['begin'] });
      b.task('side', step(events, 'side'), { upstream: ['begin'] });
      b.task('after', step(events, 'after'), { upstream: ['bad', 'side'] });
      b.task('last', step(events, 'last'), { upstream: ['after'] });
    });
    const results = await runInProcess({ dag: d, run: runOf('fails'), connections });
    expect(Object.fromEntries(results.map((r) => [r.taskId, r.state]))).toEqual({
      begin: 'success',
      bad: 'failed',
      side: 'success',
      after: 'upstream_failed',
      last: 'upstream_failed',
    });
    const bad = results.find((r) => r.taskId === 'bad');
    expect(bad).toMatchObject({
      error: { code: 'broken', message: 'bad broke' },
      outcome: { rowsWritten: { t: 1 } },
    });
    expect(events).not.toContain('start after');
  });

  it('cancels a task that passes its timeout and fails it with task_timeout', async () => {
    const events: string[] = [];
    const d = dag({ id: 'slow', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.task('hangs', step(events, 'hangs', { hang: true }), { timeout: 50 });
    });
    const [result] = await runInProcess({ dag: d, run: runOf('slow'), connections });
    expect(result).toMatchObject({ state: 'failed', error: { code: 'task_timeout' } });
    expect(result?.state === 'failed' && result.log.join('\n')).toMatch(/timed out after 50 ms/);
  });

  it('runs only the named tasks for tasks test, whatever their upstream', async () => {
    const events: string[] = [];
    const d = dag({ id: 'only', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.chain(b.task('a', step(events, 'a')), b.task('b', step(events, 'b')));
    });
    const results = await runInProcess({ dag: d, run: runOf('only'), connections, only: ['b'] });
    expect(results.map((r) => [r.taskId, r.state])).toEqual([['b', 'success']]);
    expect(events).toEqual(['start b', 'end b']);
  });
});
