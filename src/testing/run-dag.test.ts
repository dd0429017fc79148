import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branch, dag, fn, shortCircuit, sql, TaskFailure } from '../index.ts';
import { runDag, runTask } from './index.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-testing-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const numbers = dag({ id: 'numbers', schedule: '@hourly', startDate: '2018-11-01' }, (d) => {
  d.chain(
    d.task('make', sql({ statements: ['CREATE TABLE IF NOT EXISTS n AS SELECT range AS x FROM range(5)'] })),
    d.task(
      'count',
      fn(async (context) => {
        const warehouse = await context.connections.warehouse('warehouse');
        const [row] = await warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM n');
        context.log.info(`counted ${Number(row?.n)}`);
        return { rows: Number(row?.n), hour: context.dataInterval.start.toISOString() };
      }),
    ),
    d.task(
      'after',
      fn(() => undefined),
    ),
  );
});

describe('runDag (downbeat/testing)', () => {
  it("runs every task as dags test does, with each task's state, output, outcome and log", async () => {
    const run = await runDag(numbers, '2018-11-15T10:30:00Z', {
      connections: { warehouse: `duckdb://${join(root, 'numbers.duckdb')}` },
    });
    expect(run.state).toBe('success');
    expect(Object.keys(run.tasks)).toEqual(['make', 'count', 'after']);
    expect(run.tasks.count).toMatchObject({
      state: 'success',
      output: { rows: 5, hour: '2018-11-15T10:00:00.000Z' },
    });
    expect(run.tasks.count?.log.join('\n')).toContain('counted 5');
    expect(run.tasks.make?.outcome.summary).toMatch(/1 statement/);
    expect(run.tasks.after).not.toHaveProperty('output');
  });

  it('fails a task whose output is not JSON, and its downstream is upstream_failed', async () => {
    const bad = dag({ id: 'bad', schedule: null, startDate: '2018-11-01' }, (d) => {
      d.chain(
        d.task(
          'returns_a_map',
          fn(() => new Map([['a', 1]])),
        ),
        d.task(
          'below',
          fn(() => 1),
        ),
      );
    });
    const run = await runDag(bad, '2018-11-15T10:00:00Z');
    expect(run.state).toBe('failed');
    expect(run.tasks.returns_a_map).toMatchObject({ state: 'failed', error: { code: 'output_not_json' } });
    expect(run.tasks.returns_a_map?.error?.message).toMatch(/is a Map, not a plain object/);
    expect(run.tasks.below?.state).toBe('upstream_failed');
  });

  it('fails a task whose output is over 64 KiB, saying so', async () => {
    const big = dag({ id: 'big', schedule: null, startDate: '2018-11-01' }, (d) => {
      d.task(
        'huge',
        fn(() => ({ text: 'x'.repeat(70_000) })),
      );
    });
    const run = await runDag(big, '2018-11-15T10:00:00Z');
    expect(run.tasks.huge).toMatchObject({ state: 'failed', error: { code: 'output_too_large' } });
    expect(run.tasks.huge?.error?.message).toMatch(/over the limit of 65,536/);
  });

  it('keeps what a TaskFailure measured, and the conf and variables a run is given', async () => {
    const d = dag({ id: 'given', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.task(
        'reads',
        fn(async (context) => {
          const greeting = await context.variables.get('greeting');
          if (context.conf.fail)
            throw new TaskFailure('asked_to', 'conf said fail', { rowsWritten: { t: 2 } });
          return `${greeting ?? 'unset'} ${String(context.conf.who)}`;
        }),
      );
    });
    const ok = await runDag(d, '2018-11-15', { conf: { who: 'ada' }, variables: { greeting: 'hello' } });
    expect(ok.tasks.reads?.output).toBe('hello ada');
    const failed = await runDag(d, '2018-11-15', { conf: { fail: true } });
    expect(failed.tasks.reads).toMatchObject({
      state: 'failed',
      error: { code: 'asked_to' },
      outcome: { rowsWritten: { t: 2 } },
    });
  });
});

describe('runTask (downbeat/testing)', () => {
  it('runs one task whatever its upstream did', async () => {
    const result = await runTask(numbers, 'after', '2018-11-15T10:00:00Z');
    expect(result.state).toBe('success');
  });

  it('names the tasks a DAG has when asked for another', async () => {
    await expect(runTask(numbers, 'nope', '2018-11-15')).rejects.toThrow(
      /DAG "numbers" has no task "nope" \(tasks: make, count, after\)/,
    );
  });

  it('refuses a logical date that is not a date', async () => {
    await expect(runDag(numbers, 'yesterday')).rejects.toThrow(/logical date "yesterday" is not a date/);
  });
});

describe('control flow in a run (downbeat/testing)', () => {
  it("gives a task its upstream tasks' outputs, and refuses one that is not upstream, naming both", async () => {
    const d = dag({ id: 'outputs', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.task(
        'count',
        fn(() => ({ rows: 3 })),
      );
      b.task('make', sql({ statements: ['SELECT 1'] }));
      b.task(
        'use',
        fn((c) => ({ doubled: (c.output('count') as { rows: number }).rows * 2, made: c.output('make') })),
        {
          upstream: ['count', 'make'],
        },
      );
      b.task(
        'peek',
        fn((c) => c.output('use')),
        { upstream: ['count'] },
      );
    });
    const run = await runDag(d, '2018-11-15', {
      connections: { warehouse: `duckdb://${join(root, 'outputs.duckdb')}` },
    });
    expect(run.tasks.use?.output).toEqual({
      doubled: 6,
      made: { summary: '1 statement(s), 0 row(s) changed' },
    });
    expect(run.tasks.peek).toMatchObject({ state: 'failed', error: { code: 'output_not_upstream' } });
    expect(run.tasks.peek?.error?.message).toBe(
      'task peek reads the output of task use, which is not upstream of it (upstream: count)',
    );
  });

  it('follows a branch, skips what it did not choose, and fails one that chose a task not below it', async () => {
    const d = dag({ id: 'branching', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.chain(
        b.task(
          'choose',
          branch((c) => (c.conf.full ? 'full_refresh' : 'increment')),
        ),
        [
          b.task(
            'full_refresh',
            fn(() => 'full'),
          ),
          b.task(
            'increment',
            fn(() => 'increment'),
          ),
        ],
        b.task(
          'report',
          fn(() => 'done'),
          { triggerRule: 'none_failed_min_one_success' },
        ),
      );
    });
    const incremental = await runDag(d, '2018-11-15');
    expect(Object.fromEntries(Object.entries(incremental.tasks).map(([id, t]) => [id, t.state]))).toEqual({
      choose: 'success',
      full_refresh: 'skipped',
      increment: 'success',
      report: 'success',
    });
    expect(incremental.tasks.choose?.output).toEqual(['increment']);
    expect((await runDag(d, '2018-11-15', { conf: { full: true } })).tasks.increment?.state).toBe('skipped');

    const astray = dag({ id: 'astray', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.chain(
        b.task(
          'choose',
          branch(() => 'nowhere'),
        ),
        b.task(
          'below',
          fn(() => 1),
        ),
      );
    });
    const run = await runDag(astray, '2018-11-15');
    expect(run.tasks.choose).toMatchObject({ state: 'failed', error: { code: 'branch_not_downstream' } });
    expect(run.tasks.choose?.error?.message).toBe(
      'branch choose chose "nowhere", not among its downstream tasks (below)',
    );
  });

  it('short-circuits: a falsy condition skips every task below, whatever its trigger rule', async () => {
    const d = dag({ id: 'short', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.chain(
        b.task(
          'check',
          shortCircuit((c) => c.conf.go),
        ),
        b.task(
          'work',
          fn(() => 1),
        ),
        b.task(
          'cleanup',
          fn(() => 2),
          { triggerRule: 'all_done' },
        ),
      );
    });
    const stopped = await runDag(d, '2018-11-15');
    expect([stopped.state, stopped.tasks.work?.state, stopped.tasks.cleanup?.state]).toEqual([
      'success',
      'skipped',
      'skipped',
    ]);
    expect(stopped.tasks.check?.output).toBe(false);
    const going = await runDag(d, '2018-11-15', { conf: { go: 1 } });
    expect([going.tasks.work?.state, going.tasks.cleanup?.state]).toEqual(['success', 'success']);
  });
});
