/**
 * graphile-worker, the queue Downbeat's PostgreSQL queue is measured against (issue #18), on the
 * same server, each measure in a database of its own: no-op jobs per second at a concurrency, and
 * the hop of a chain (a job's end adds the next, which starts after how long). Its defaults
 * otherwise: LISTEN on, the default poll interval. Used by bench/orchestration.ts only.
 */
import { Logger, makeWorkerUtils, run, runMigrations, type Task } from 'graphile-worker';
import pg from 'pg';
import { freshPostgresDatabase } from '../src/util/testing.ts';

/**
 * A database of its own with graphile-worker's schema, and a pool the measure uses (ended, so that
 * the database can go, before it is dropped).
 */
async function withDatabase<T>(measure: (pgPool: pg.Pool) => Promise<T>): Promise<T> {
  const database = await freshPostgresDatabase('downbeat_bench_graphile');
  const pgPool = new pg.Pool({ connectionString: database.url, max: 10 });
  pgPool.on('error', () => undefined);
  pgPool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await runMigrations({ pgPool, logger });
    return await measure(pgPool);
  } finally {
    await pgPool.end();
    await database.drop();
  }
}

/** Its log lines would interleave with the bench's own: dropped. */
const logger = new Logger(() => () => undefined);

/** `jobs` no-op jobs added first, then one worker at `concurrency` runs them all: jobs per second. */
export function graphileJobsPerSecond(concurrency: number, jobs: number): Promise<number> {
  return withDatabase(async (pgPool) => {
    const utils = await makeWorkerUtils({ pgPool, logger });
    await utils.addJobs(Array.from({ length: jobs }, () => ({ identifier: 'noop', payload: {} })));
    await utils.release();
    let done = 0;
    let finished: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (finished = resolve));
    const noop: Task = () => {
      done += 1;
      if (done === jobs) finished();
      return Promise.resolve();
    };
    const started = performance.now();
    const runner = await run({ pgPool, concurrency, noHandleSignals: true, logger, taskList: { noop } });
    await all;
    const seconds = (performance.now() - started) / 1000;
    await runner.stop();
    return Math.round(jobs / seconds);
  });
}

/** A chain of `hops` jobs, each added by the one before as it ends: from its add to its start, in ms, sorted. */
export function graphileHops(hops: number): Promise<number[]> {
  return withDatabase(async (pgPool) => {
    const gaps: number[] = [];
    let finished: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (finished = resolve));
    const hop: Task = async (payload, helpers) => {
      const { i, addedAt } = payload as { i: number; addedAt: number };
      if (i > 0) gaps.push(Date.now() - addedAt);
      if (i === hops) return finished();
      await helpers.addJob('hop', { i: i + 1, addedAt: Date.now() });
    };
    const runner = await run({ pgPool, concurrency: 1, noHandleSignals: true, logger, taskList: { hop } });
    const utils = await makeWorkerUtils({ pgPool, logger });
    await utils.addJob('hop', { i: 0, addedAt: Date.now() });
    await utils.release();
    await all;
    await runner.stop();
    return gaps.sort((a, b) => a - b);
  });
}
