import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/index.ts';
import { createRun, syncDags } from '../store/runs/index.ts';
import type { Db } from '../store/db/index.ts';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { HistoryMetrics, prometheusMetrics, type HistoryTotals } from './metrics.ts';

const { default: diamond } = await import('../store/testing-dags/diamond.dag.ts');

/** One more ended try of task `a` (1 s long) in a new run. */
async function endedTry(db: Db, hour: number): Promise<void> {
  const pk = await createRun(db, diamond, diamond.runFor(new Date(Date.UTC(2018, 10, 1, hour))), 0);
  const [ti] = await db.query<{ id: number }>(
    "SELECT id FROM task_instances WHERE run_pk = $1 AND task_id = 'a'",
    [pk ?? 0],
  );
  await db.execute(
    "INSERT INTO task_tries (ti_id, try_number, state, worker, started_at, ended_at) VALUES ($1, 1, 'success', 'w', 0, 1000)",
    [ti?.id ?? 0],
  );
}

const triesOfA = (totals: HistoryTotals) => Number(totals.durations.find((r) => r.task_id === 'a')?.n ?? 0);

describe.each(['sqlite', 'postgres'] as const)('/metrics history totals (%s)', (dialect) => {
  let t: TestDb;
  let clock: FakeClock;
  const log: string[] = [];
  beforeEach(async () => {
    t = await testDb(dialect);
    clock = new FakeClock('2026-01-01T00:00:00Z');
    await syncDags(t.db, { dags: new Map([['diamond', diamond]]), files: new Map(), errors: [] }, 0);
    await endedTry(t.db, 0);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('serves its totals for the TTL, then a fresh aggregate', async () => {
    const cache = new HistoryMetrics({ db: t.db, now: () => clock.now(), log: (l) => log.push(l) }, 30_000);
    expect(triesOfA(await cache.get())).toBe(1);
    await endedTry(t.db, 1);
    clock.advance(29_999);
    expect(triesOfA(await cache.get())).toBe(1);
    clock.advance(1);
    // Past the TTL a scrape does not wait: it gets the totals it had, and a refresh starts.
    expect(triesOfA(await cache.get())).toBe(1);
    expect(triesOfA(await cache.refresh())).toBe(2);
    expect(triesOfA(await cache.get())).toBe(2);
    expect(log).toEqual([]);
  });

  it('aggregates at every scrape with a TTL of 0', async () => {
    const cache = new HistoryMetrics({ db: t.db, now: () => clock.now(), log: (l) => log.push(l) }, 0);
    expect(triesOfA(await cache.get())).toBe(1);
    await endedTry(t.db, 1);
    expect(triesOfA(await cache.get())).toBe(2);
  });

  it('reads what is active afresh at every scrape, while the ended totals are kept', async () => {
    const ctx = { db: t.db, now: () => clock.now(), log: (l: string) => log.push(l) };
    const history = new HistoryMetrics(ctx, 30_000);
    const scrape = () =>
      prometheusMetrics({ ...ctx, dags: new Map(), connections: undefined as never }, history);
    expect(await scrape()).toMatch(/^downbeat_dag_runs\{dag_id="diamond",state="queued"\} 1$/m);
    await t.db.execute("UPDATE dag_runs SET state = 'success'");
    await createRun(t.db, diamond, diamond.runFor(new Date(Date.UTC(2018, 10, 2))), 0);
    const text = await scrape();
    expect(text).toMatch(/^downbeat_dag_runs\{dag_id="diamond",state="queued"\} 1$/m);
    expect(text).not.toMatch(/^downbeat_dag_runs\{[^}]*state="success"/m); // counted at the next refresh
    clock.advance(30_000);
    await scrape();
    await history.refresh();
    expect(await scrape()).toMatch(/^downbeat_dag_runs\{dag_id="diamond",state="success"\} 1$/m);
  });
});
