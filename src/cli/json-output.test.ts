/** What the CLI prints for scripts: `dags test --json`, `tasks states-for-dag-run [--json]`. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downbeat, linkDownbeat } from '../app/testing.ts';

let root: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-json-'));
  const dags = join(root, 'dags');
  await mkdir(dags);
  await linkDownbeat(dags);
  await writeFile(
    join(dags, 'flow.dag.ts'),
    `import { dag, fn } from 'downbeat';
     export default dag({ id: 'flow', schedule: '@daily', startDate: '2024-01-01', params: { factor: { type: 'integer', default: 2 } } }, (d) => {
       d.chain(
         d.task('count', fn(() => ({ rows: 3 }))),
         [d.task('double', fn((c) => (c.output('count') as { rows: number }).rows * (c.params.factor as number))), d.task('quiet', fn(() => undefined))],
         d.task('alert', fn(() => 'alerted'), { triggerRule: 'one_failed' }),
       );
     });`,
  );
  env = { ...process.env, DOWNBEAT_DAGS_FOLDER: dags, DOWNBEAT_HOME: join(root, 'home') };
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('output for scripts', () => {
  it('dags test --json prints one JSON object on stdout, the human lines on stderr', async () => {
    const result = await downbeat(['dags', 'test', 'flow', '2024-01-02', '--json'], env);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      state: 'success',
      tasks: {
        count: { state: 'success', output: { rows: 3 } },
        double: { state: 'success', output: 6 },
        quiet: { state: 'success', output: null },
        alert: { state: 'skipped', output: null },
      },
    });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^double\s+success/m);
    expect(result.stderr).toContain('success: 3 of 4 task(s) succeeded');
  });

  it("refuses a conf its DAG's params do not take, naming the field (exit 2), and uses one they do", async () => {
    const bad = await downbeat(['dags', 'test', 'flow', '2024-01-02', '--conf', '{"factor": "x"}'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--conf: DAG "flow" param "factor": must be a whole number, got "x"');
    const good = await downbeat(
      ['dags', 'test', 'flow', '2024-01-02', '--json', '--conf', '{"factor": 5}'],
      env,
    );
    expect((JSON.parse(good.stdout) as { tasks: { double: { output: number } } }).tasks.double.output).toBe(
      15,
    );
    const trigger = await downbeat(
      ['dags', 'trigger', 'flow', '--logical-date', '2024-02-01', '--conf', '{"factor": 1.5}'],
      env,
    );
    expect(trigger.status).toBe(2);
    expect(trigger.stderr).toContain('param "factor": must be a whole number, got 1.5');
  });

  it("tasks states-for-dag-run prints each task instance's state, and --json", async () => {
    const backfill = await downbeat(
      ['dags', 'backfill', 'flow', '--start', '2024-01-01', '--end', '2024-01-02'],
      env,
    );
    expect(backfill.status, backfill.stdout + backfill.stderr).toBe(0);
    const table = await downbeat(['tasks', 'states-for-dag-run', 'flow', '2024-01-01'], env);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^TASK\s+STATE\s+TRY/);
    expect(table.stdout).toMatch(/^alert\s+skipped\s+0/m);
    const json = await downbeat(['tasks', 'states-for-dag-run', 'flow', '2024-01-01', '--json'], env);
    const items = JSON.parse(json.stdout) as { task_id: string; state: string; try_number: number }[];
    expect(items.map((i) => [i.task_id, i.state, i.try_number])).toEqual([
      ['count', 'success', 1],
      ['double', 'success', 1],
      ['quiet', 'success', 1],
      ['alert', 'skipped', 0],
    ]);
    const none = await downbeat(['tasks', 'states-for-dag-run', 'flow', '2023-01-01'], env);
    expect(none).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('DAG "flow" has no run at 2023-01-01T00:00:00.000Z') as unknown,
    });
  });
});
