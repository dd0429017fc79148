/**
 * Sparkify through the Redshift adapter's SQL, run for real against PostgreSQL (a `redshift://`
 * URI pointing at it: Redshift speaks PostgreSQL's protocol). The source is a local folder, so no
 * COPY runs (that needs S3 and a cluster: see redshift-sql.test.ts and docs/redshift.md); what runs
 * is Redshift's DDL, its MERGE through a temporary batch table, the lock table, multi-row INSERTs
 * and retried transactions. The tables must come out exactly as through the PostgreSQL adapter.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { runInProcess, type TaskRunResult } from '../../src/executor/index.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { freshPostgresDatabase, type FreshDatabase } from '../../src/util/testing.ts';
import { generateSparkifyData } from './generate/index.ts';
import sparkify from './sparkify.dag.ts';
import { checksums } from './testing.ts';

const START = Date.parse('2018-11-01T00:00:00Z');
const HOURS = 30;
const hourAt = (i: number) => new Date(START + i * 3_600_000);

let root: string;
const databases: FreshDatabase[] = [];
const open: Connections[] = [];

/** Connections whose warehouse is a fresh PostgreSQL database, reached as `scheme://`. */
async function connectionsFor(scheme: 'postgres' | 'redshift'): Promise<Connections> {
  const database = await freshPostgresDatabase(`downbeat_sparkify_${scheme}`);
  databases.push(database);
  const warehouse =
    scheme === 'postgres'
      ? database.url
      : `${database.url.replace(/^postgres(ql)?:/, 'redshift:')}?ssl=false`;
  const connections = new Connections(
    loadConfig({
      DOWNBEAT_HOME: join(root, scheme),
      DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${join(root, 'source')}`,
      // The brief's connection id: the warehouse falls back to it.
      [scheme === 'redshift' ? 'DOWNBEAT_CONN_REDSHIFT' : 'DOWNBEAT_CONN_WAREHOUSE']: warehouse,
    }),
    sparkify.connectionDefaults,
  );
  open.push(connections);
  return connections;
}

const runHour = (connections: Connections, i: number): Promise<TaskRunResult[]> =>
  runInProcess({ dag: sparkify, run: sparkify.runFor(hourAt(i)), connections });

const failures = (results: TaskRunResult[]) =>
  results
    .filter((r) => r.state !== 'success')
    .map((r) => `${r.taskId}: ${r.state === 'failed' ? r.error?.message : r.state}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-sparkify-redshift-'));
  await generateSparkifyData(new LocalObjectStore(join(root, 'source')), {
    start: new Date(START),
    end: hourAt(HOURS),
    users: 20,
    songs: 200,
    eventsPerDay: 300,
    matchRate: 0.3,
    seed: 11,
  });
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  for (const database of databases.splice(0)) await database.drop();
  await rm(root, { recursive: true, force: true });
});

describe('sparkify_etl through the Redshift adapter, on PostgreSQL', () => {
  it('gives the same tables as the PostgreSQL adapter, hour by hour and again out of order, concurrently', async () => {
    const postgres = await connectionsFor('postgres');
    const redshift = await connectionsFor('redshift');
    expect((await redshift.warehouse('warehouse')).dialect).toBe('redshift');
    for (let i = 0; i < HOURS; i += 1) {
      expect(failures(await runHour(postgres, i))).toEqual([]);
      expect(failures(await runHour(redshift, i))).toEqual([]);
    }
    const expected = await checksums(await postgres.warehouse('warehouse'));
    expect(expected.songplays).not.toMatch(/^0:/);
    expect(await checksums(await redshift.warehouse('warehouse'))).toEqual(expected);

    // Reruns, newest first and four at a time: an older hour never overwrites a newer level.
    const hours = Array.from({ length: HOURS }, (_, i) => HOURS - 1 - i);
    for (let i = 0; i < hours.length; i += 4) {
      const batch = await Promise.all(hours.slice(i, i + 4).map((h) => runHour(redshift, h)));
      expect(batch.flatMap(failures)).toEqual([]);
    }
    expect(await checksums(await redshift.warehouse('warehouse'))).toEqual(expected);
  });
});
