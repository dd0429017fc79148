import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkDownbeat } from '../app/testing.ts';
import { runCli } from './testing.ts';

let root: string;
let dags: string;

/** Runs the CLI in this process with captured output. */
function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { DOWNBEAT_HOME: join(root, 'home'), DOWNBEAT_DAGS_FOLDER: dags, ...env });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-cli-'));
  dags = join(root, 'dags');
  await mkdir(dags);
  await linkDownbeat(dags);
  await writeFile(
    join(dags, 'hello.dag.ts'),
    `import { dag, noop, sql } from 'downbeat';
     export default dag({ id: 'hello', schedule: '@daily', startDate: '2018-11-01' }, (d) => {
       d.chain(d.task('start', noop()), d.task('query', sql({ warehouse: 'elsewhere', statements: ['SELECT 1'] })));
     });`,
  );
  await writeFile(
    join(dags, 'broken.dag.ts'),
    `import { dag, noop } from 'downbeat';
     export default dag({ id: 'broken', schedule: 'every hour', startDate: '2018-11-01' }, (d) => { d.task('a', noop()); d.edge('a', 'b'); });`,
  );
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('downbeat CLI', () => {
  it('lists DAGs and reports a DAG file that fails to load, while the others load', async () => {
    const { status, stdout, stderr } = await cli(['dags', 'list']);
    expect(stdout).toMatch(/^hello\s+hello\.dag\.ts\s+@daily/m);
    expect(stderr).toContain('broken.dag.ts failed to load: DAG "broken" is invalid: bad schedule');
    expect(stderr).toContain('edge a → b names unknown task "b"');
    expect(status).toBe(1);
  });

  it('names the flag or argument that is wrong, with exit status 2', async () => {
    expect(await cli(['dags', 'test', 'hello', '2018-13-45'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('LOGICAL_DATE "2018-13-45"') as string,
    });
    expect(await cli(['dags', 'test', 'hello', 'yesterday'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('is not a date') as string,
    });
    expect(await cli(['dags', 'test', 'hello', '2018-11-01', '--bogus'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("'--bogus'") as string,
    });
    expect(await cli(['dags', 'test', 'nope', '2018-11-01'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('no DAG "nope"') as string,
    });
    expect(await cli(['tasks', 'test', 'hello', 'ghost', '2018-11-01'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('no task "ghost"') as string,
    });
    expect(await cli(['dags', 'test', 'hello', '2018-11-01', '--conf', '{oops'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--conf is not valid JSON') as string,
    });
    expect(await cli(['frobnicate'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"') as string,
    });
  });

  it('fails a run whose connection is not defined, saying which variable to set', async () => {
    const { status, stdout, stderr } = await cli(['dags', 'test', 'hello', '2018-11-01']);
    expect(status).toBe(1);
    expect(stdout).toMatch(/^start\s+success/m);
    expect(stdout).toMatch(/^query\s+failed/m);
    expect(stderr).toContain('connection "elsewhere" is not defined: set DOWNBEAT_CONN_ELSEWHERE');
  });

  it('runs a DAG and one task of it, with exit status 0', async () => {
    const env = { DOWNBEAT_CONN_ELSEWHERE: `duckdb://${join(root, 'elsewhere.duckdb')}` };
    const run = await cli(['dags', 'test', 'hello', '2018-11-01T05:00:00Z'], env);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('not on the schedule; running the interval that contains it');
    expect(run.stdout).toContain('interval [2018-11-01T00:00:00.000Z, 2018-11-02T00:00:00.000Z)');
    expect(run.stdout).toMatch(/success: 2 of 2 task\(s\) succeeded/);
    const task = await cli(['tasks', 'test', 'hello', 'query', '2018-11-01'], env);
    expect(task).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/success: 1 of 1 task/) as string,
    });
  });

  it('prints help for every command', async () => {
    expect((await cli(['--help'])).stdout).toContain('dags test');
    expect((await cli(['dags', 'test', '--help'])).stdout).toContain(
      'Usage: downbeat dags test DAG_ID LOGICAL_DATE',
    );
  });

  it('stores connections encrypted, lists them masked, uses them, and says when the key is wrong', async () => {
    const env = { DOWNBEAT_SECRET_KEY: 'the key' };
    const uri = `duckdb://${join(root, 'stored.duckdb')}?password=hunter2`;
    const added = await cli(['connections', 'add', 'elsewhere', '--conn-uri', uri], env);
    expect(added).toMatchObject({ status: 0 });
    expect(added.stdout).not.toContain('hunter2');
    const listed = await cli(['connections', 'list'], env);
    expect(listed.stdout).toContain('elsewhere\t');
    expect(listed.stdout).toContain('password=***');
    expect(listed.stdout).not.toContain('hunter2');
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(join(root, 'home', 'metadata.sqlite'))).includes('hunter2')).toBe(false);

    const wrong = await cli(['connections', 'list'], { DOWNBEAT_SECRET_KEY: 'another key' });
    expect(wrong.stdout).toContain('cannot decrypt connection "elsewhere"');
    expect(await cli(['connections', 'add', 'x', '--uri', 'no-scheme'], env)).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--uri must be a URI') as string,
    });
    // A task uses a stored connection; with the wrong key it fails saying so.
    await cli(['connections', 'add', 'elsewhere', '--uri', `duckdb://${join(root, 'stored.duckdb')}`], env);
    expect(await cli(['tasks', 'test', 'hello', 'query', '2018-11-01'], env)).toMatchObject({ status: 0 });
    const refused = await cli(['tasks', 'test', 'hello', 'query', '2018-11-01'], {
      DOWNBEAT_SECRET_KEY: 'another key',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('cannot decrypt connection "elsewhere"');
    expect(await cli(['connections', 'delete', 'elsewhere'], env)).toMatchObject({ status: 0 });
    expect(await cli(['connections', 'delete', 'elsewhere'], env)).toMatchObject({ status: 1 });
  });
});
