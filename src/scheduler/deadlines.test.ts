/**
 * Deadlines (issue #19): a scheduled interval not succeeded by its end plus the DAG's deadline is a
 * miss, alerted once through the alert webhook and kept when the run succeeds later; one that
 * succeeded in time is not. A fake clock moves time; the work itself is asynchronous.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/index.ts';
import { dag, type Operator } from '../dag/index.ts';
import { deadlineAlerts, Worker } from '../executor/index.ts';
import { setPaused, syncDags } from '../store/runs/index.ts';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { Scheduler } from './scheduler.ts';

/** Waits (in real time) until `check` holds. */
async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(['sqlite', 'postgres'] as const)('deadlines on %s', (dialect) => {
  let t: TestDb;
  const stoppers: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    t = await testDb(dialect);
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await t.drop();
  });

  it('alerts a late hour once, keeps the miss when it succeeds, and leaves an hour loaded in time alone', async () => {
    const alerts: { kind: string; dag_id: string; runs: { run_id: string; deadline: string }[] }[] = [];
    const hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        alerts.push(JSON.parse(body) as (typeof alerts)[number]);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    stoppers.push(() => new Promise((resolve) => hook.close(() => resolve())));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;

    // The task waits until it is let go: the first hour is late, the second is not.
    let release: () => void = () => undefined;
    let released = new Promise<void>((resolve) => (release = resolve));
    const waits: Operator = { kind: 'waits', describe: () => ({}), execute: () => released.then(() => ({})) };
    const d = dag(
      { id: 'late', schedule: '@hourly', startDate: '2018-11-01T00:00:00Z', deadline: '20m' },
      (b) => b.task('load', waits),
    );
    const dags = new Map([[d.id, d]]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, Date.parse('2018-11-01T05:00:00Z'));
    await setPaused(t.db, d.id, false);
    const clock = new FakeClock('2018-11-01T05:00:30Z');
    const connectionsFor = () => ({
      objectStore: () => Promise.reject(new Error('none')),
      warehouse: () => Promise.reject(new Error('none')),
      uri: (id: string) => {
        if (id !== 'alert_webhook') throw new Error(`no connection ${id}`);
        return url;
      },
    });
    const worker = new Worker({ db: t.db, dags, clock, pollMs: 60_000, connectionsFor });
    const scheduler = new Scheduler({
      db: t.db,
      dags,
      clock,
      onWork: () => worker.wake(),
      onDeadlineMisses: deadlineAlerts(connectionsFor),
    });
    worker.start();
    stoppers.push(() => (release(), worker.stop()));
    const run = async (logicalDate: string) =>
      (
        await t.db.query<{ state: string; deadline: string | null; deadline_missed_at: number | null }>(
          'SELECT state, deadline, deadline_missed_at FROM dag_runs WHERE logical_date = $1',
          [Date.parse(logicalDate)],
        )
      )[0];

    await scheduler.tick(); // the run of 04:00–05:00, due at 05:20
    await until(async () => (await run('2018-11-01T04:00:00Z'))?.state === 'running', 'the run to start');
    clock.advance(19 * 60_000); // 05:19:30
    expect((await scheduler.tick()).deadlineMisses).toBe(0);
    clock.advance(60_000); // 05:20:30: past it, still running
    expect((await scheduler.tick()).deadlineMisses).toBe(1);
    clock.advance(60_000);
    expect((await scheduler.tick()).deadlineMisses).toBe(0);
    await until(() => alerts.length === 1, 'the alert');
    expect(alerts[0]).toMatchObject({
      kind: 'deadline_missed',
      dag_id: 'late',
      runs: [{ run_id: 'scheduled__2018-11-01T04:00:00.000Z', deadline: '2018-11-01T05:20:00.000Z' }],
    });
    expect(await run('2018-11-01T04:00:00Z')).toEqual({
      state: 'running',
      deadline: 'missed',
      deadline_missed_at: Date.parse('2018-11-01T05:20:30Z'),
    });

    // It succeeds late: the miss stays. The next hour succeeds in time: no miss, no alert.
    release();
    await until(async () => (await run('2018-11-01T04:00:00Z'))?.state === 'success', 'the late run to end');
    released = Promise.resolve();
    clock.advance(Date.parse('2018-11-01T06:00:30Z') - clock.now());
    await scheduler.tick();
    await until(async () => (await run('2018-11-01T05:00:00Z'))?.state === 'success', 'the next run');
    clock.advance(Date.parse('2018-11-01T06:25:00Z') - clock.now());
    expect((await scheduler.tick()).deadlineMisses).toBe(0);
    expect((await run('2018-11-01T04:00:00Z'))?.deadline_missed_at).toBe(Date.parse('2018-11-01T05:20:30Z'));
    expect((await run('2018-11-01T05:00:00Z'))?.deadline).toBe('met');
    // Given time to send a second alert, none came.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alerts).toHaveLength(1);
  });

  it('refuses a deadline on a DAG without a schedule, and one it cannot read', () => {
    expect(() =>
      dag({ id: 'x', schedule: null, startDate: '2018-11-01', deadline: '20m' }, (b) =>
        b.task('t', { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) }),
      ),
    ).toThrow(/a deadline needs a schedule/);
    expect(() =>
      dag({ id: 'y', schedule: '@hourly', startDate: '2018-11-01', deadline: 'soon' }, (b) =>
        b.task('t', { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) }),
      ),
    ).toThrow(/deadline: cannot read duration "soon"/);
  });
});
