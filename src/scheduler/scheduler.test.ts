import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/index.ts';
import { dag, TaskFailure, type Operator } from '../dag/index.ts';
import { Worker } from '../executor/index.ts';
import { createRun, startQueuedRuns, syncDags } from '../store/runs/index.ts';
import { setVariable, variableReader } from '../store/admin/index.ts';
import type { Db } from '../store/db/index.ts';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { dueIntervals } from '../lifecycle/index.ts';
import { Scheduler } from './scheduler.ts';

const HOUR = 3_600_000;
const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };

describe('dueIntervals', () => {
  const hourly = (catchup: boolean) =>
    dag({ id: 'h', schedule: '@hourly', startDate: '2018-11-01T00:00:00Z', catchup }, (d) => d.task('t', op));
  const now = Date.parse('2018-11-01T05:30:00Z');

  it('without catchup, starts with the latest complete interval and skips the missed ones', () => {
    expect(dueIntervals(hourly(false), undefined, now)).toEqual([Date.parse('2018-11-01T04:00:00Z')]);
    expect(dueIntervals(hourly(false), Date.parse('2018-11-01T01:00:00Z'), now)).toEqual([
      Date.parse('2018-11-01T04:00:00Z'),
    ]);
    expect(dueIntervals(hourly(false), Date.parse('2018-11-01T04:00:00Z'), now)).toEqual([]);
  });

  it('with catchup, creates every interval since the start date, oldest first, none that has not ended', () => {
    expect(dueIntervals(hourly(true), undefined, now)).toEqual(
      [0, 1, 2, 3, 4].map((h) => Date.parse('2018-11-01T00:00:00Z') + h * HOUR),
    );
    expect(dueIntervals(hourly(true), Date.parse('2018-11-01T03:00:00Z'), now)).toEqual([
      Date.parse('2018-11-01T04:00:00Z'),
    ]);
    expect(dueIntervals(hourly(true), undefined, Date.parse('2018-10-31T00:00:00Z'))).toEqual([]);
  });
});

/** Waits (in real time) until `check` holds: the work is asynchronous, not timed. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function runStates(db: Db): Promise<string[]> {
  return (await db.query<{ state: string }>('SELECT state FROM dag_runs ORDER BY logical_date')).map(
    (r) => r.state,
  );
}

describe.each(['sqlite', 'postgres'] as const)('scheduler and workers on %s', (dialect) => {
  let t: TestDb;
  const clock = new FakeClock('2018-11-01T05:30:00Z');
  const stoppers: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    t = await testDb(dialect);
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0)) await stop();
    await t.drop();
  });

  function engine(dags: Map<string, ReturnType<typeof dag>>, workerId = 'w1') {
    const worker = new Worker({
      db: t.db,
      dags,
      connectionsFor: () => ({}) as never,
      clock,
      id: workerId,
      pollMs: 60_000,
    });
    const scheduler = new Scheduler({
      db: t.db,
      dags,
      clock,
      onWork: () => worker.wake(),
      zombieAfterMs: 30_000,
    });
    worker.start();
    stoppers.push(() => worker.stop());
    return { worker, scheduler };
  }

  it('with a log retention, deletes the log lines of tries ended before it, a pass an hour', async () => {
    const own = new FakeClock('2026-01-01T00:00:00Z');
    const d = dag({ id: 'logs', schedule: null, startDate: '2018-11-01' }, (b) => b.task('t', op));
    const dags = new Map([['logs', d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, own.now());
    /** A try of a new run that ended `daysAgo` days ago (or is running: null), with two log lines. */
    const tryWithLog = async (hour: number, daysAgo: number | null) => {
      const pk = await createRun(
        t.db,
        d,
        d.runFor(new Date(Date.UTC(2025, 0, 1, hour)), 'manual'),
        own.now(),
      );
      const [ti] = await t.db.query<{ id: number }>('SELECT id FROM task_instances WHERE run_pk = $1', [
        pk ?? 0,
      ]);
      const ended = daysAgo === null ? null : own.now() - daysAgo * 86_400_000;
      await t.db.execute(
        "INSERT INTO task_tries (ti_id, try_number, state, worker, started_at, ended_at) VALUES ($1, 1, 'success', 'w', 0, $2)",
        [ti?.id ?? 0, ended],
      );
      for (const n of [1, 2])
        await t.db.execute(
          "INSERT INTO task_log_lines (ti_id, try_number, line_no, text) VALUES ($1, 1, $2, 'x')",
          [ti?.id ?? 0, n],
        );
    };
    await tryWithLog(0, 40);
    await tryWithLog(1, 10);
    await tryWithLog(2, null);
    const scheduler = new Scheduler({ db: t.db, dags, clock: own, logRetentionMs: 30 * 86_400_000 });
    expect((await scheduler.tick()).logLinesDeleted).toBe(2);
    await tryWithLog(3, 40);
    own.advance(30 * 60_000);
    expect((await scheduler.tick()).logLinesDeleted).toBe(0); // the next pass is an hour after the last
    own.advance(30 * 60_000);
    expect((await scheduler.tick()).logLinesDeleted).toBe(2);
    const lines = await t.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM task_log_lines');
    expect(Number(lines[0]?.n)).toBe(4); // the try that ended 10 days ago, and the running one
    // Without a retention, nothing is deleted.
    await tryWithLog(4, 400);
    expect((await new Scheduler({ db: t.db, dags, clock: own }).tick()).logLinesDeleted).toBe(0);
  });

  it('creates the due run of an unpaused DAG (none while paused) and runs its tasks in order', async () => {
    const order: string[] = [];
    const step = (name: string): Operator => ({
      kind: 'step',
      describe: () => ({}),
      execute: () => (order.push(name), Promise.resolve({})),
    });
    const chain = dag({ id: 'chain', schedule: '@hourly', startDate: '2018-11-01' }, (d) =>
      d.chain(d.task('a', step('a')), d.task('b', step('b')), d.task('c', step('c'))),
    );
    const dags = new Map([['chain', chain]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    const { scheduler } = engine(dags);
    expect((await scheduler.tick()).created).toBe(0);
    await t.db.execute('UPDATE dags SET is_paused = 0');
    expect(await scheduler.tick()).toMatchObject({ created: 1, started: 1 });
    await until(async () => (await runStates(t.db))[0] === 'success', 'the run to succeed');
    expect(order).toEqual(['a', 'b', 'c']);
    expect(await t.db.query('SELECT run_type, logical_date FROM dag_runs')).toEqual([
      { run_type: 'scheduled', logical_date: Date.parse('2018-11-01T04:00:00Z') },
    ]);
  });

  it("gives a task its upstream task's output, and skips the branch not followed", async () => {
    const seen: unknown[] = [];
    const d = dag({ id: 'flow', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.chain(
        b.task('pick', {
          kind: 'branch',
          describe: () => ({}),
          execute: () => Promise.resolve({ follow: ['use'], output: 21 }),
        }),
        [
          b.task('use', {
            kind: 'use',
            describe: () => ({}),
            execute: (c) => (seen.push(c.output('pick')), Promise.resolve({})),
          }),
          b.task('other', op),
        ],
      );
    });
    const dags = new Map([['flow', d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    const { scheduler } = engine(dags);
    await createRun(t.db, d, d.runFor(new Date(clock.now()), 'manual'), clock.now());
    await scheduler.tick();
    await until(async () => (await runStates(t.db))[0] === 'success', 'the run to succeed');
    expect(seen).toEqual([21]);
    expect(await t.db.query('SELECT task_id, state FROM task_instances ORDER BY task_id')).toEqual([
      { task_id: 'other', state: 'skipped' },
      { task_id: 'pick', state: 'success' },
      { task_id: 'use', state: 'success' },
    ]);
  });

  it('retries a failing task after its delay on the clock, then succeeds', async () => {
    let calls = 0;
    const flaky: Operator = {
      kind: 'flaky',
      describe: () => ({}),
      execute: () =>
        ++calls < 3 ? Promise.reject(new TaskFailure('flaky', `failure ${calls}`)) : Promise.resolve({}),
    };
    const d = dag(
      { id: 'flaky', schedule: null, startDate: '2018-11-01', defaultArgs: { retries: 3, retryDelay: '5m' } },
      (b) => b.task('t', flaky),
    );
    const dags = new Map([['flaky', d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    const { worker, scheduler } = engine(dags);
    await createRun(t.db, d, d.runFor(new Date(clock.now()), 'manual'), clock.now());
    await scheduler.tick();
    await until(
      async () =>
        calls === 1 &&
        (await t.db.query("SELECT 1 FROM task_instances WHERE state = 'up_for_retry'")).length === 1,
      'the first failure',
    );
    clock.advance(4 * 60_000);
    worker.wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(1);
    clock.advance(60_000);
    worker.wake();
    await until(
      async () =>
        calls === 2 &&
        (await t.db.query("SELECT 1 FROM task_instances WHERE state = 'up_for_retry'")).length === 1,
      'the second failure',
    );
    clock.advance(5 * 60_000);
    worker.wake();
    await until(async () => (await runStates(t.db))[0] === 'success', 'the run to succeed');
    expect(
      await t.db.query('SELECT try_number, state, error_message FROM task_tries ORDER BY try_number'),
    ).toEqual([
      { try_number: 1, state: 'failed', error_message: 'failure 1' },
      { try_number: 2, state: 'failed', error_message: 'failure 2' },
      { try_number: 3, state: 'success', error_message: null },
    ]);
  });

  it('stops a task that hangs past its timeout, retries it, then fails it', async () => {
    let cancelled = 0;
    const hangs: Operator = {
      kind: 'hangs',
      describe: () => ({}),
      execute: (context) =>
        new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => ((cancelled += 1), reject(new Error('cancelled')))),
        ),
    };
    const d = dag(
      {
        id: 'hangs',
        schedule: null,
        startDate: '2018-11-01',
        defaultArgs: { retries: 1, retryDelay: '1m', timeout: 50 },
      },
      (b) => b.task('t', hangs),
    );
    const dags = new Map([['hangs', d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    const { worker, scheduler } = engine(dags);
    await createRun(t.db, d, d.runFor(new Date(clock.now()), 'manual'), clock.now());
    await scheduler.tick();
    await until(
      async () =>
        (await t.db.query("SELECT 1 FROM task_instances WHERE state = 'up_for_retry'")).length === 1,
      'the first timeout',
    );
    clock.advance(60_000);
    worker.wake();
    await until(async () => (await runStates(t.db))[0] === 'failed', 'the run to fail');
    expect(cancelled).toBe(2);
    expect(
      await t.db.query('SELECT try_number, state, error_code FROM task_tries ORDER BY try_number'),
    ).toEqual([
      { try_number: 1, state: 'failed', error_code: 'task_timeout' },
      { try_number: 2, state: 'failed', error_code: 'task_timeout' },
    ]);
  });

  it('gives the task of a worker that stopped heartbeating to another worker, without using a retry', async () => {
    let started = 0;
    const hangsOnce: Operator = {
      kind: 'hangs',
      describe: () => ({}),
      execute: () => (++started === 1 ? new Promise(() => undefined) : Promise.resolve({})),
    };
    const d = dag(
      { id: 'zombie', schedule: null, startDate: '2018-11-01', defaultArgs: { retries: 0 } },
      (b) => b.task('t', hangsOnce),
    );
    const dags = new Map([['zombie', d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    const dead = new Worker({
      db: t.db,
      dags,
      connectionsFor: () => ({}) as never,
      clock,
      id: 'dead',
      pollMs: 60_000,
      heartbeatMs: 3_600_000,
    });
    await createRun(t.db, d, d.runFor(new Date(clock.now()), 'manual'), clock.now());
    await startQueuedRuns(t.db, clock.now());
    dead.start();
    await until(async () => started === 1, 'the first worker to start the task');
    const { scheduler } = engine(dags, 'alive');
    clock.advance(31_000);
    expect((await scheduler.tick()).requeued).toBe(1);
    await until(
      async () => (await runStates(t.db))[0] === 'success',
      'the run to succeed on the other worker',
    );
    expect(await t.db.query('SELECT try_number, state, worker FROM task_tries ORDER BY try_number')).toEqual([
      { try_number: 1, state: 'lost', worker: 'dead' },
      { try_number: 2, state: 'success', worker: 'alive' },
    ]);
  });

  it('calls callbacks on retry and failure, alerts the webhook once when the task fails for good, and reads variables', async () => {
    const alerts: unknown[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        alerts.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stoppers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await setVariable(t.db, 'greeting', 'hello from the metadata DB', clock.now());
    const seen: string[] = [];
    const events: string[] = [];
    const fails: Operator = {
      kind: 'fails',
      describe: () => ({}),
      async execute(context) {
        seen.push((await context.variables.get('greeting')) ?? 'unset');
        throw new TaskFailure('broken', 'it broke');
      },
    };
    const d = dag(
      {
        id: 'alerting',
        schedule: null,
        startDate: '2018-11-01',
        defaultArgs: {
          retries: 1,
          retryDelay: '1m',
          onRetry: (e) => void events.push(`retry ${e.tryNumber}`),
          onFailure: (e) => void events.push(`failure ${e.tryNumber} ${e.error?.code ?? ''}`),
        },
      },
      (b) => b.task('t', fails),
    );
    const dags = new Map([['alerting', d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    const worker = new Worker({
      db: t.db,
      dags,
      clock,
      pollMs: 60_000,
      variables: variableReader(t.db, {}),
      connectionsFor: () => ({
        objectStore: () => Promise.reject(new Error('none')),
        warehouse: () => Promise.reject(new Error('none')),
        uri: (id: string) => {
          if (id !== 'alert_webhook') throw new Error(`no connection ${id}`);
          return url;
        },
      }),
    });
    worker.start();
    stoppers.push(() => worker.stop());
    await createRun(t.db, d, d.runFor(new Date(clock.now()), 'manual'), clock.now());
    await startQueuedRuns(t.db, clock.now());
    worker.wake();
    await until(async () => events.length === 1, 'the retry callback');
    clock.advance(60_000);
    worker.wake();
    await until(async () => events.length === 2 && alerts.length === 1, 'the failure callback and the alert');
    expect(events).toEqual(['retry 1', 'failure 2 broken']);
    expect(seen).toEqual(['hello from the metadata DB', 'hello from the metadata DB']);
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'task_failed',
        dag_id: 'alerting',
        task_id: 't',
        try_number: 2,
        error: { code: 'broken', message: 'it broke' },
      }),
    ]);
    expect(
      await variableReader(t.db, { DOWNBEAT_VAR_GREETING: 'from the environment' }).get('greeting'),
    ).toBe('from the environment');
  });

  it('never creates a run twice when two schedulers loop at once', async () => {
    const d = dag({ id: 'twice', schedule: '@hourly', startDate: '2018-11-01', catchup: true }, (b) =>
      b.task('t', op),
    );
    const dags = new Map([['twice', d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, clock.now());
    await t.db.execute('UPDATE dags SET is_paused = 0');
    const schedulers = [1, 2, 3].map((i) => new Scheduler({ db: t.db, dags, clock, id: `s${i}` }));
    await Promise.all(schedulers.map((s) => s.tick()));
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(await t.db.query('SELECT COUNT(*) AS n, COUNT(DISTINCT logical_date) AS d FROM dag_runs')).toEqual(
      [{ n: 5, d: 5 }],
    );
  });
});
