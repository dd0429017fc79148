/**
 * The hourly run of a day whose events file arrives late: Stage_events waits for it (rescheduled,
 * holding no worker slot) and the run succeeds without using a retry. A backfill of a day with no
 * file does not wait: it fails at once, naming the key.
 */
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { Worker } from '../../src/executor/index.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { createRun, startQueuedRuns, syncDags } from '../../src/store/runs/index.ts';
import { migrate, openDb, type Db } from '../../src/store/db/index.ts';
import { until } from '../../src/app/testing.ts';
import { generateSparkifyData } from './generate/index.ts';
import { sparkifyDag } from './sparkify.dag.ts';

const KEY = 'log_data/2018/11/2018-11-02-events.json';
// One poke stands for a minute: the file is three pokes late.
const sparkify = sparkifyDag({
  id: 'sparkify_etl',
  description: 'hourly, with a fast poke',
  schedule: '0 * * * *',
  eventsWait: { pokeInterval: '150ms', timeout: '1m' },
});
let root: string;
let source: string;
let db: Db;
let connections: Connections;
let worker: Worker;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-late-file-'));
  source = join(root, 'source');
  await generateSparkifyData(new LocalObjectStore(source), {
    start: new Date('2018-11-01T00:00:00Z'),
    end: new Date('2018-11-03T00:00:00Z'),
    users: 10,
    songs: 50,
    eventsPerDay: 200,
    seed: 5,
  });
  await rename(join(source, KEY), join(root, 'late.json'));
  connections = new Connections(
    loadConfig({ DOWNBEAT_HOME: root, DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}` }),
    sparkify.connectionDefaults,
  );
  db = openDb(undefined, root);
  await migrate(db);
  const dags = new Map([[sparkify.id, sparkify]]);
  await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
  worker = new Worker({ db, dags, connectionsFor: () => connections, concurrency: 1, pollMs: 50 });
  worker.start();
});
afterAll(async () => {
  await worker.stop();
  await db.close();
  await connections.close();
  await rm(root, { recursive: true, force: true });
});

async function stageEvents(logicalDate: string) {
  const [row] = await db.query<{ state: string; try_number: number; failures: number; run_state: string }>(
    `SELECT ti.state, ti.try_number, ti.failures, r.state AS run_state FROM task_instances ti
     JOIN dag_runs r ON r.id = ti.run_pk WHERE r.logical_date = $1 AND ti.task_id = 'Stage_events'`,
    [Date.parse(logicalDate)],
  );
  return row;
}
const pokes = async () =>
  (await db.query("SELECT 1 FROM task_log_lines WHERE text LIKE '%waiting for log_data%poking again%'"))
    .length;

describe('Sparkify with a late day file', () => {
  it('waits for the file of a scheduled hour, and succeeds on its first try when it lands', async () => {
    const hour = '2018-11-02T10:00:00.000Z';
    await createRun(db, sparkify, sparkify.runFor(new Date(hour), 'scheduled'), Date.now());
    await startQueuedRuns(db, Date.now());
    await until(async () => (await pokes()) >= 3, 'three pokes for the missing file');
    expect((await stageEvents(hour))?.state).toBe('up_for_reschedule');
    await rename(join(root, 'late.json'), join(source, KEY));
    await until(async () => (await stageEvents(hour))?.run_state === 'success', 'the run to succeed', 60_000);
    expect(await stageEvents(hour)).toMatchObject({ state: 'success', try_number: 1, failures: 0 });
  });

  it('fails a backfill run of a day without a file at once, naming the key', async () => {
    const hour = '2018-11-03T10:00:00.000Z';
    await createRun(db, sparkify, sparkify.runFor(new Date(hour), 'backfill'), Date.now());
    await startQueuedRuns(db, Date.now());
    await until(async () => (await stageEvents(hour))?.state === 'up_for_retry', 'the try to fail');
    const [tried] = await db.query<{ error_code: string; error_message: string }>(
      `SELECT t.error_code, t.error_message FROM task_tries t JOIN task_instances ti ON ti.id = t.ti_id
       JOIN dag_runs r ON r.id = ti.run_pk WHERE r.logical_date = $1 AND ti.task_id = 'Stage_events'`,
      [Date.parse(hour)],
    );
    expect(tried?.error_code).toBe('source_missing');
    expect(tried?.error_message).toContain('log_data/2018/11/2018-11-03-events.json not found');
  });
});
