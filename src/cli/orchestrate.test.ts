/**
 * The orchestrator's commands as a user runs them: real processes, a SQLite metadata DB and a
 * DuckDB warehouse in a temp folder, a DAGs folder of the test's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, downbeat as run, linkDownbeat } from '../app/testing.ts';

let root: string;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-orchestrate-'));
  const dags = join(root, 'dags');
  await mkdir(dags);
  await linkDownbeat(dags);
  await writeFile(
    join(dags, 'steps.dag.ts'),
    `import { dag, noop, sql } from 'downbeat';
     export default dag({ id: 'steps', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 3 }, (d) => {
       d.chain(d.task('begin', noop()), d.task('write', sql({ statements: [
         'CREATE TABLE IF NOT EXISTS hours (h TIMESTAMP PRIMARY KEY)',
         'DELETE FROM hours WHERE h = CAST($interval_start AS TIMESTAMP)',
         'INSERT INTO hours VALUES (CAST($interval_start AS TIMESTAMP))',
       ] })), d.task('end', noop()));
     });`,
  );
  env = { ...process.env, DOWNBEAT_HOME: join(root, 'home'), DOWNBEAT_DAGS_FOLDER: dags };
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

const downbeat = (args: string[]) => run(args, env);

describe('orchestrator commands', () => {
  it('backfills with its own scheduler and workers when none is running, and resumes nothing twice', async () => {
    const dry = await downbeat([
      'dags',
      'backfill',
      'steps',
      '--start',
      '2018-11-01',
      '--end',
      '2018-11-01T05:00:00Z',
      '--dry-run',
    ]);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(
      '5 intervals: 5 to create, 0 to rerun, 0 unfinished to resume, 0 to skip (dry run',
    );
    const run = await downbeat([
      'dags',
      'backfill',
      'steps',
      '--start',
      '2018-11-01',
      '--end',
      '2018-11-01T05:00:00Z',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('no scheduler is running: running this backfill here');
    expect(run.stdout).toMatch(/backfill 1: 5 succeeded, 0 failed/);
    const again = await downbeat([
      'dags',
      'backfill',
      'steps',
      '--start',
      '2018-11-01',
      '--end',
      '2018-11-01T05:00:00Z',
    ]);
    expect(again.stdout).toContain('0 run(s) of 5 intervals');
  });

  it('names what is wrong in a backfill, trigger or clear command, with exit status 2', async () => {
    const cases: [string[], RegExp][] = [
      [['dags', 'backfill', 'steps', '--start', '2018-11-01'], /--end is required/],
      [
        ['dags', 'backfill', 'steps', '--start', '2018-11-02', '--end', '2018-11-01'],
        /--end .* must be after --start/,
      ],
      [
        ['dags', 'backfill', 'steps', '--start', '2018-11-01', '--end', '2018-11-02', '--reprocess', 'all'],
        /--reprocess must be none, failed, completed, stale/,
      ],
      [
        ['dags', 'trigger', 'steps', '--logical-date', '2018-11-01T00:00:00Z'],
        /already has a run .* clear it to run it again/,
      ],
      [
        ['tasks', 'clear', 'steps', '--start', '2018-11-01', '--task', 'nope'],
        /--task: DAG "steps" has no task "nope"/,
      ],
      [['worker'], /uses the DuckDB warehouse .* cannot be shared by workers/],
    ];
    for (const [args, message] of cases) {
      const result = await downbeat(args);
      expect({ args, status: result.status, stderr: result.stderr }).toMatchObject({
        status: 2,
        stderr: expect.stringMatching(message) as string,
      });
    }
  });

  it('runs standalone: /health answers, a triggered run and a cleared task run, SIGTERM stops it cleanly', async () => {
    const child = spawn(process.execPath, [BIN, 'standalone', '--port', '0'], { env });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`standalone did not start:\n${output}`)), 30_000);
      child.stdout.on('data', () => {
        const match = /health (http:\/\/[\d.:]+)\/health/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    // No DOWNBEAT_ADMIN_USER: the first start makes "admin" with a generated password, printed once.
    const login = /web UI login: admin \/ (\S+)/.exec(output);
    expect(login?.[1]).toBeDefined();
    const basic = `Basic ${Buffer.from(`admin:${login?.[1] ?? ''}`).toString('base64')}`;
    expect((await fetch(`${url}/api/v1/dags`, { headers: { authorization: basic } })).status).toBe(200);
    expect((await fetch(`${url}/api/v1/dags`)).status).toBe(401);

    expect(
      (await downbeat(['dags', 'trigger', 'steps', '--logical-date', '2018-11-02T00:00:00Z'])).status,
    ).toBe(0);
    const cleared = await downbeat([
      'tasks',
      'clear',
      'steps',
      '--start',
      '2018-11-01T02:00:00Z',
      '--task',
      'write',
      '--downstream',
    ]);
    expect(cleared.stdout).toContain('cleared write, end');
    const { SqliteDb } = await import('../store/db/index.ts');
    const db = SqliteDb.open(join(root, 'home', 'metadata.sqlite'));
    try {
      for (let i = 0; i < 300; i += 1) {
        const rows = await db.query<{ state: string; n: number }>(
          'SELECT state, COUNT(*) AS n FROM dag_runs GROUP BY state',
        );
        if (rows.length === 1 && rows[0]?.state === 'success' && rows[0].n === 6) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await db.query('SELECT state, COUNT(*) AS n FROM dag_runs GROUP BY state')).toEqual([
        { state: 'success', n: 6 },
      ]);
      expect(
        await db.query(
          "SELECT COUNT(*) AS n FROM task_tries t JOIN task_instances i ON i.id = t.ti_id WHERE i.task_id = 'write'",
        ),
      ).toEqual([{ n: 7 }]);
    } finally {
      await db.close();
    }
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: stopping');
  });
});
