/**
 * The @daily variant loads history day by day with the hourly DAG's tasks: a period loaded daily
 * gives the same warehouse as the same period loaded hourly, and the two may be mixed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import type { Dag } from '../../src/dag/index.ts';
import { runInProcess } from '../../src/executor/index.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { generateSparkifyData } from './generate/index.ts';
import hourly, { daily } from './sparkify.dag.ts';
import { checksums } from './testing.ts';

const START = Date.parse('2018-11-01T00:00:00Z');
const DAYS = 3;
let root: string;
let source: string;
const open: Connections[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-sparkify-daily-'));
  source = join(root, 'source');
  await generateSparkifyData(new LocalObjectStore(source), {
    start: new Date(START),
    end: new Date(START + DAYS * 86_400_000),
    users: 25,
    songs: 300,
    eventsPerDay: 400,
    matchRate: 0.3,
    seed: 11,
  });
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await rm(root, { recursive: true, force: true });
});

function warehouse(name: string): Connections {
  const connections = new Connections(
    loadConfig({
      DOWNBEAT_HOME: join(root, name),
      DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}`,
      DOWNBEAT_CONN_WAREHOUSE: `duckdb://${join(root, name, 'warehouse.duckdb')}`,
    }),
    hourly.connectionDefaults,
  );
  open.push(connections);
  return connections;
}

async function runEach(dag: Dag, connections: Connections, dates: readonly Date[]): Promise<void> {
  for (const date of dates) {
    const results = await runInProcess({ dag, run: dag.runFor(date, 'backfill'), connections });
    const failed = results.filter((r) => r.state !== 'success');
    expect(
      failed.map(
        (r) =>
          `${dag.id} ${date.toISOString()} ${r.taskId}: ${r.state === 'failed' ? r.error?.message : r.state}`,
      ),
    ).toEqual([]);
  }
}

const hours = Array.from({ length: DAYS * 24 }, (_, i) => new Date(START + i * 3_600_000));
const days = Array.from({ length: DAYS }, (_, i) => new Date(START + i * 86_400_000));

describe('sparkify_etl_daily', () => {
  it('has the hourly DAG’s tasks and edges, once a day', () => {
    expect(daily.schedule?.expression).toBe('@daily');
    expect(daily.topologicalOrder()).toEqual(hourly.topologicalOrder());
    expect(daily.runFor(new Date('2018-11-02T13:00:00Z')).dataInterval).toEqual({
      start: new Date('2018-11-02T00:00:00Z'),
      end: new Date('2018-11-03T00:00:00Z'),
    });
  });

  it('gives the same warehouse as the hourly DAG over the same days, and mixes with it', async () => {
    const byHour = warehouse('hourly');
    await runEach(hourly, byHour, hours);
    const byDay = warehouse('daily');
    await runEach(daily, byDay, days);
    const expected = await checksums(await byHour.warehouse('warehouse'));
    expect(Number(expected.songplays?.split(':')[0])).toBeGreaterThan(0);
    expect(await checksums(await byDay.warehouse('warehouse'))).toEqual(expected);
    // Hours of the second day again, hourly, on the warehouse loaded daily: nothing changes.
    await runEach(hourly, byDay, hours.slice(24, 30));
    expect(await checksums(await byDay.warehouse('warehouse'))).toEqual(expected);
  });
});
