/**
 * Range runs as a user runs them: `dags backfill --max-intervals-per-run` (its dry run and its
 * errors), then `dags list-runs` with and without --range-runs, --state, --limit and --json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downbeat as run, linkDownbeat } from '../app/testing.ts';

let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-range-cli-'));
  const dags = join(root, 'dags');
  await mkdir(dags);
  await linkDownbeat(dags);
  await writeFile(
    join(dags, 'hours.dag.ts'),
    `import { dag, sql } from 'downbeat';
     export default dag({ id: 'hours', schedule: '@hourly', startDate: '2018-11-01' }, (d) => {
       d.task('write', sql({ statements: [
         'CREATE TABLE IF NOT EXISTS hours (h TIMESTAMP)',
         'DELETE FROM hours WHERE h >= CAST($interval_start AS TIMESTAMP) AND h < CAST($interval_end AS TIMESTAMP)',
         "INSERT INTO hours SELECT * FROM generate_series(CAST($interval_start AS TIMESTAMP), CAST($interval_end AS TIMESTAMP) - INTERVAL 1 HOUR, INTERVAL 1 HOUR)",
       ] }));
     });`,
  );
  env = { ...process.env, DOWNBEAT_HOME: join(root, 'home'), DOWNBEAT_DAGS_FOLDER: dags };
});
afterAll(async () => rm(root, { recursive: true, force: true }));

const downbeat = (args: string[]) => run(args, env);
const DAY = ['--start', '2018-11-01', '--end', '2018-11-02'];

describe('range runs from the command line', () => {
  it('backfills a day in range runs of 10 hours, and lists every hour and every range', async () => {
    const dry = await downbeat([
      'dags',
      'backfill',
      'hours',
      ...DAY,
      '--max-intervals-per-run',
      '10',
      '--dry-run',
    ]);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(
      'range  2018-11-01T00:00:00.000Z – 2018-11-01T10:00:00.000Z  (10 intervals in one run)',
    );
    expect(dry.stdout).toContain(
      'range  2018-11-01T20:00:00.000Z – 2018-11-02T00:00:00.000Z  (4 intervals in one run)',
    );
    expect(dry.stdout).toContain(
      '24 intervals: 24 to create, 0 to rerun, 0 unfinished to resume, 0 to skip, in 3 range run(s)',
    );

    const bad = await downbeat(['dags', 'backfill', 'hours', ...DAY, '--max-intervals-per-run', 'some']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-intervals-per-run must be a whole number ≥ 1 or all, got "some"');

    const done = await downbeat(['dags', 'backfill', 'hours', ...DAY, '--max-intervals-per-run', '10']);
    expect(done.stdout, done.stderr).toMatch(/backfill 1: 24 succeeded, 0 failed/);
    expect(done.status).toBe(0);

    const listed = await downbeat(['dags', 'list-runs', 'hours', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const runs = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(runs).toHaveLength(24);
    expect(runs[0]).toEqual({
      run_id: 'backfill__2018-11-01T23:00:00.000Z',
      logical_date: '2018-11-01T23:00:00.000Z',
      state: 'success',
      run_type: 'backfill',
      range_run_id: 'range__2018-11-01T20:00:00.000Z--2018-11-02T00:00:00.000Z__b1',
    });
    const ranges = JSON.parse(
      (await downbeat(['dags', 'list-runs', 'hours', '--range-runs', '--json'])).stdout,
    ) as {
      intervals: number;
    }[];
    expect(ranges.map((r) => r.intervals)).toEqual([4, 10, 10]);
    const two = await downbeat(['dags', 'list-runs', 'hours', '--state', 'success', '--limit', '2']);
    expect(two.stdout.trim().split('\n')).toHaveLength(3); // the header and two runs
    expect(two.stdout).toContain('RANGE RUN');
    expect((await downbeat(['dags', 'list-runs', 'hours', '--state', 'failed'])).stdout).toContain(
      '(no runs)',
    );
    const wrong = await downbeat(['dags', 'list-runs', 'hours', '--state', 'lost']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--state must be one of queued, running, success, failed, got "lost"');
  }, 120_000);
});
