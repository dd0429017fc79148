import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDb, type TestDb } from '../db/testing.ts';
import { createRun, startQueuedRuns, syncDags } from '../runs/index.ts';
import { QueueListener } from './queue-listener.ts';

const { default: diamond } = await import('../testing-dags/diamond.dag.ts');

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('QueueListener (PostgreSQL LISTEN/NOTIFY)', () => {
  let t: TestDb;
  let listener: QueueListener | undefined;
  beforeEach(async () => {
    t = await testDb('postgres');
    await syncDags(t.db, { dags: new Map([['diamond', diamond]]), files: new Map(), errors: [] }, 0);
  });
  afterEach(async () => {
    await listener?.stop();
    await t.drop();
  });

  it('wakes when a transaction makes work ready, and again after its connection is killed', async () => {
    let wakes = 0;
    listener = new QueueListener(t.url, () => (wakes += 1));
    await listener.start();
    await until(() => wakes === 1, 'the wake-up on connecting');
    await createRun(t.db, diamond, diamond.runFor(new Date('2018-11-01T00:00:00Z')), 0);
    await startQueuedRuns(t.db, 0);
    await until(() => wakes === 2, 'the notification of a started run');

    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    );
    await admin.end();
    await until(() => !listener?.listening, 'the listener to notice');
    await until(
      () => listener?.listening === true && wakes >= 3,
      'the listener to reconnect (and wake once for what it missed)',
    );
    const before = wakes;
    await createRun(t.db, diamond, diamond.runFor(new Date('2018-11-01T01:00:00Z')), 0);
    await startQueuedRuns(t.db, 0);
    await until(() => wakes > before, 'a notification after reconnecting');
    expect(wakes).toBeGreaterThan(before);
  });
});
