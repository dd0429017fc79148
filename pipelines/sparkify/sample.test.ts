/**
 * The live feed of the sample: after unpausing `sparkify_etl` in sample mode, the scheduled run of
 * the latest hour finds its day file and succeeds.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { Connections } from '../../src/connections/index.ts';
import { runInProcess } from '../../src/executor/index.ts';
import { LocalObjectStore } from '../../src/storage/index.ts';
import { generateSparkifyData } from './generate/index.ts';
import { sparkifySample } from './sample.ts';
import sparkify from './sparkify.dag.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-feed-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

const lines = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n');

describe('the Sparkify sample feed', () => {
  it("writes today's events up to now, growing as time passes, and the latest hour's run succeeds", async () => {
    const source = join(root, 'source');
    const store = new LocalObjectStore(source);
    // The sample's song catalog (default size and seed), as the first start writes it.
    await generateSparkifyData(store, {
      start: new Date('2018-11-01T00:00:00Z'),
      end: new Date('2018-11-02T00:00:00Z'),
    });
    const early = new Date('2026-11-24T15:20:00Z');
    await sparkifySample.feed?.(store, early);
    const today = join(source, 'log_data/2026/11/2026-11-24-events.json');
    const first = await lines(today);
    expect(first.length).toBeGreaterThan(0);
    expect(Math.max(...first.map((l) => (JSON.parse(l) as { ts: number }).ts))).toBeLessThanOrEqual(
      early.getTime(),
    );
    expect((await lines(join(source, 'log_data/2026/11/2026-11-23-events.json'))).length).toBeGreaterThan(
      first.length,
    );

    const later = new Date('2026-11-24T18:05:00Z');
    await sparkifySample.feed?.(store, later);
    const second = await lines(today);
    expect(second.length).toBeGreaterThan(first.length);
    expect(second.slice(0, first.length)).toEqual(first);

    const connections = new Connections(
      loadConfig({ DOWNBEAT_HOME: join(root, 'home'), DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}` }),
    );
    try {
      const results = await runInProcess({
        dag: sparkify,
        run: sparkify.runFor(new Date('2026-11-24T17:00:00Z'), 'scheduled'),
        connections,
      });
      expect(results.filter((r) => r.state !== 'success')).toEqual([]);
    } finally {
      await connections.close();
    }
  });
});
